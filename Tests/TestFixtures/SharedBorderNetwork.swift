// A network with one shared border, for the route-dwell and simulator tests of background traffic.

/// CNAAA → border CNBRD (10 trains a day, 50 TEU a train) → KZCCC by rail, 14 departures a week
/// each way with 50 TEU a train; `background` is inserted as the border's `backgroundTraffic`.
public func sharedBorderNetwork(background: String) -> String {
    """
    network: shared-border
    tonnesPerTEU: 10
    defaults:
      handling: {hours: 6, costUSDPerTEU: 45}
      connectionHours: 2
    source: "estimate: hand-made test network with one shared border"
    places:
      - {code: CNAAA, name: Alpha, country: CN, lonLat: [106, 29], kind: railTerminal, source: "estimate: hand-made test value"}
      - code: CNBRD
        name: Border
        country: CN
        lonLat: [82, 45]
        kind: borderCrossing
        dwell: {meanHours: 4, p90Hours: 8}
        throughput: {unitsPerDay: 10, unit: trains, teuPerUnit: 50}
    \(background)
        source: "estimate: hand-made test value"
      - {code: KZCCC, name: Gamma, country: KZ, lonLat: [76, 43], kind: railTerminal, source: "estimate: hand-made test value"}
    services:
      - {id: S1, name: To the border, mode: rail, corridor: chinaEurope, from: CNAAA, to: CNBRD, distanceKm: 3000,
         transitHours: {mean: 60, p90: 72}, departuresPerWeek: 14, capacityTEUPerDeparture: 50, priceUSDPerTEU: 900,
         co2eGramsPerTonneKm: 20, cargo: [general], bothWays: true, source: "estimate: hand-made test value"}
      - {id: S2, name: Beyond, mode: rail, corridor: chinaEurope, from: CNBRD, to: KZCCC, distanceKm: 900,
         transitHours: {mean: 20, p90: 30}, departuresPerWeek: 14, capacityTEUPerDeparture: 50, priceUSDPerTEU: 500,
         co2eGramsPerTonneKm: 20, cargo: [general], bothWays: true, source: "estimate: hand-made test value"}
    """
}
