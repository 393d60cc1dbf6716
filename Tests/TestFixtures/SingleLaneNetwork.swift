import NetworkData

/// One rail service between two terminals, `departuresPerWeek` departures of `teuPerDeparture`
/// TEU a week each way: the only capacity a lane between them has, so its headroom is known by
/// hand (capacity ÷ demand).
public func singleServiceNetwork(departuresPerWeek: Double = 7, teuPerDeparture: Double = 10) -> String {
    """
    network: single-service
    tonnesPerTEU: 10
    defaults:
      handling: {hours: 2, costUSDPerTEU: 20}
      connectionHours: 1
    source: "estimate: hand-made test network with one service of known capacity"
    places:
      - {code: CNAAA, name: Alpha, country: CN, lonLat: [106, 29], kind: railTerminal, source: "estimate: hand-made test value"}
      - {code: CNBBB, name: Beta, country: CN, lonLat: [104, 30], kind: railTerminal, source: "estimate: hand-made test value"}
    services:
      - {id: S1, name: The only train, mode: rail, corridor: chinaEurope, from: CNAAA, to: CNBBB, distanceKm: 300,
         transitHours: {mean: 10, p90: 12}, departuresPerWeek: \(departuresPerWeek), capacityTEUPerDeparture: \(teuPerDeparture),
         priceUSDPerTEU: 300, co2eGramsPerTonneKm: 20, cargo: [general], source: "estimate: hand-made test value"}
    """
}

/// The one lane of ``singleServiceNetwork(departuresPerWeek:teuPerDeparture:)``: `teuPerYear`
/// from CNAAA to CNBBB in shipments of one TEU, flat over the year.
public func singleServiceLane(teuPerYear: Double) -> DemandLane {
    DemandLane(origin: "CNAAA", destination: "CNBBB", cargo: .general, teuPerYear: teuPerYear, shipmentTEU: 1, tonnesPerTEU: 10,
               seasonality: Array(repeating: 1, count: 12), corridor: .chinaEurope, isTransit: false, line: 2)
}

/// The same lane as a demand table (docs/demand-format.md), for the command-line tests.
public func singleServiceDemandCSV(teuPerYear: Double) -> String {
    """
    origin,destination,cargo,teuPerYear,tonnesPerYear,shipmentSize,seasonality,corridor,transit,source
    CNAAA,CNBBB,general,\(teuPerYear),,1,,chinaEurope,false,"estimate: hand-made test lane"

    """
}
