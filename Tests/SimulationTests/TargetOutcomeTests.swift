import Foundation
import NetworkData
import Testing
@testable import Simulation

/// A hub city with an airport, one freighter route abroad (both ways, 10 TEU a flight, daily) and
/// one passenger route; the hub's air-route rule and one-bill share come from the data.
let airHubNetwork = """
network: air-hub
tonnesPerTEU: 10
defaults:
  handling: {hours: 2, costUSDPerTEU: 45}
  connectionHours: 2
source: "estimate: hand-made test network"
places:
  - {code: CNHUB, name: Hub city, country: CN, lonLat: [106, 29], kind: city, source: "estimate: hand-made test value"}
  - {code: CNAIR, name: Hub airport, country: CN, lonLat: [106.6, 29.7], kind: airport, city: CNHUB,
     cityAccess: {distanceKm: 20, hours: 1, costUSDPerTEU: 50}, source: "estimate: hand-made test value"}
  - {code: DEFRA, name: Frankfurt airport, country: DE, lonLat: [8.57, 50.03], kind: airport, source: "estimate: hand-made test value"}
  - {code: JPKIX, name: Kansai airport, country: JP, lonLat: [135.2, 34.4], kind: airport, source: "estimate: hand-made test value"}
services:
  - {id: F1, name: Freighter, mode: air, corridor: air, from: CNAIR, to: DEFRA, distanceKm: 8000,
     transitHours: {mean: 12, p90: 16}, departuresPerWeek: 7, capacityTonnesPerDeparture: 100, priceUSDPerKg: 3,
     co2eGramsPerTonneKm: 600, cargo: [general], bothWays: true, source: "estimate: hand-made test value"}
  - {id: P1-PAX, name: Passenger belly, mode: air, corridor: air, from: CNAIR, to: JPKIX, distanceKm: 3000,
     transitHours: {mean: 5, p90: 8}, departuresPerWeek: 3, capacityTonnesPerDeparture: 5, priceUSDPerKg: 3,
     co2eGramsPerTonneKm: 700, cargo: [general], bothWays: true, source: "estimate: hand-made test value"}
hub:
  name: Test hub
  cities: [CNHUB]
  airport: CNAIR
  airRoutes: {minimumLoadFactor: 0.2, minimumShareOfWeeks: 0.5, passengerServiceSuffix: "-PAX", source: "estimate: test rule of the test hub"}
  oneBill: {adoptionShare: 0.5, source: "estimate: test share of one half"}
  source: "estimate: test hub of one city"
targets:
  - {id: routes, description: Routes in operation, kpi: ckgInternationalRoutes, comparison: atLeast, year: 2027, value: 2,
     unit: routes, source: "estimate: test target"}
  - {id: bills, description: Bills issued 2025-2027, kpi: oneBillDocuments, comparison: atLeast, year: 2027, value: 400,
     unit: documents, cumulative: {fromYear: 2025, actuals: [{year: 2025, value: 100, unit: documents, source: "estimate: test actual for 2025"}]},
     source: "estimate: test target"}
"""

@Suite("Targets measured as outcomes")
struct TargetOutcomeTests {
    /// 2,600 TEU a year hub → Frankfurt: about 50 TEU a week on 70 offered outbound and 70 back.
    static let freight = DemandLane(origin: "CNHUB", destination: "DEFRA", cargo: .general, teuPerYear: 2_600, shipmentTEU: 4,
                                    tonnesPerTEU: 10, seasonality: Array(repeating: 1, count: 12), corridor: .air,
                                    isTransit: false, line: 2)

    func run(_ yaml: String = airHubNetwork, lanes: [DemandLane] = [freight], days: Int = 70) throws -> SimulationResult {
        let network = try NetworkLoader.load(yaml: yaml, file: "air.yaml")
        var options = SimulationOptions()
        options.days = days
        return checkedRun(Simulator(network: network, lanes: lanes, options: options))
    }

    /// The week count comes from what the flights carried: cross-checked against the utilisation rows.
    @Test func freighterRouteOperatesWhenItsFreightFillsTheFlights() throws {
        let result = try run()
        let route = try #require(result.airRoutes.first { $0.kind == "freighter" })
        #expect(route.destination == "DEFRA" && route.weeks == 10)
        var carried = Array(repeating: 0.0, count: 10)
        for row in result.utilisation where row.service.hasPrefix("F1") && row.week < 10 { carried[row.week] += row.teu }
        let offered = 2 * 7 * 10.0
        #expect(route.weeksOperating == carried.filter { $0 >= 0.2 * offered - 1e-9 }.count)
        #expect(abs(route.loadFactor - carried.reduce(0, +) / (offered * 10)) < 1e-9)
        #expect(route.counted == (Double(route.weeksOperating) >= 5) && route.counted)
        #expect(result.kpis["ckgCargoRoutesOperating"] == 1 && result.kpis["ckgPassengerRoutesTimetabled"] == 1)
        #expect(result.kpis["ckgInternationalRoutes"] == 2 && result.targets[0].met)
        // The passenger route's return (P1-PAX.back) is the same passenger route, not a freighter.
        #expect(result.airRoutes.map(\.kind).sorted() == ["freighter", "passenger"])
    }

    /// A higher minimum load factor never adds routes; above what the outbound freight alone can
    /// fill (one half of the round trip, with nothing back) no week operates.
    @Test func raisingTheMinimumLoadFactorLowersTheRouteCount() throws {
        var counts: [Double] = []
        for factor in ["0.2", "0.4", "0.6"] {
            let result = try run(airHubNetwork.replacingOccurrences(of: "minimumLoadFactor: 0.2", with: "minimumLoadFactor: \(factor)"))
            counts.append(try #require(result.kpis["ckgCargoRoutesOperating"]))
            if factor == "0.6" {
                #expect(result.airRoutes.first { $0.kind == "freighter" }?.weeksOperating == 0)
                #expect(result.kpis["ckgInternationalRoutes"] == 1 && !result.targets[0].met, "only the passenger route is left")
                let freighter = try #require(result.airRoutes.first { $0.kind == "freighter" })
                let binds = result.targets[0].binds ?? ""
                #expect(binds.hasPrefix("demand: 1 freighter routes do not fill their flights to 60 %") && binds.contains(freighter.destination),
                        "\(binds)")
            }
        }
        #expect(counts == counts.sorted(by: >) && counts.first == 1 && counts.last == 0, "\(counts)")
    }

    @Test func noAirCargoMeansNoFreighterRouteOperates() throws {
        let result = try run(lanes: [])
        #expect(result.kpis["ckgCargoRoutesOperating"] == 0)
        #expect(result.airRoutes.first { $0.kind == "freighter" }?.loadFactor == 0)
        // The passenger route is timetabled whatever it carries: an input, counted apart.
        #expect(result.kpis["ckgPassengerRoutesTimetabled"] == 1 && result.targets[0].value == 1)
    }

    @Test func routesWithoutARuleAreNotMeasured() throws {
        let yaml = airHubNetwork.replacingOccurrences(
            of: "  airRoutes: {minimumLoadFactor: 0.2, minimumShareOfWeeks: 0.5, passengerServiceSuffix: \"-PAX\", source: \"estimate: test rule of the test hub\"}\n",
            with: "")
        let result = try run(yaml)
        #expect(result.kpis["ckgInternationalRoutes"] == nil && result.airRoutes.isEmpty)
        let reason = try #require(result.unmeasuredKPIs["ckgInternationalRoutes"])
        #expect(reason.contains("no airRoutes rule"))
        #expect(result.targets[0].value == nil && !result.targets[0].measured && !result.targets[0].met)
        #expect(result.targets[0].reason == reason)
    }

    /// Documents = multimodal consignments × the adoption share; the target sums 2025's actual
    /// and the simulated year for 2026 and 2027.
    @Test func oneBillDocumentsFollowTheAdoptionShare() throws {
        let result = try run()
        let consignments = try #require(result.kpis["multimodalConsignments"])
        #expect(consignments > 50, "hub city → airport by road, then the flight: two modes")
        #expect(result.kpis["oneBillDocuments"] == consignments * 0.5)
        let bills = result.targets[1]
        #expect(bills.value == 100 + 2 * consignments * 0.5 && bills.met == (100 + consignments >= 400))
        #expect(bills.note == "2025–2027: 2025 estimated 100 + 2 × the simulated year's \(String(format: "%.0f", consignments * 0.5))")

        let none = try run(airHubNetwork.replacingOccurrences(of: "adoptionShare: 0.5", with: "adoptionShare: 0"))
        #expect(none.kpis["oneBillDocuments"] == 0 && none.targets[1].value == 100 && !none.targets[1].met)

        let unset = try run(airHubNetwork.replacingOccurrences(
            of: "  oneBill: {adoptionShare: 0.5, source: \"estimate: test share of one half\"}\n", with: ""))
        #expect(unset.kpis["oneBillDocuments"] == nil && unset.unmeasuredKPIs["oneBillDocuments"] != nil)
        #expect(unset.targets[1].value == nil && !unset.targets[1].met)
    }
}
