import Foundation
import NetworkData
import Testing
@testable import Simulation

/// A hub city with one terminal, a train to Laos and one on to Thailand; the hub and a days
/// target come from the data.
let laosThailandNetwork = """
network: laos-thailand
tonnesPerTEU: 10
defaults:
  handling: {hours: 6, costUSDPerTEU: 45}
  connectionHours: 2
source: "estimate: hand-made test network"
places:
  - {code: CNHUB, name: Hub city, country: CN, lonLat: [106, 29], kind: city, source: "estimate: hand-made test value"}
  - {code: CNHUR, name: Hub rail, country: CN, lonLat: [106.1, 29], kind: railTerminal, city: CNHUB,
     cityAccess: {distanceKm: 10, hours: 1, costUSDPerTEU: 50}, source: "estimate: hand-made test value"}
  - {code: LAVTE, name: Vientiane, country: LA, lonLat: [102.6, 17.97], kind: railTerminal, source: "estimate: hand-made test value"}
  - {code: THBKK, name: Bangkok, country: TH, lonLat: [100.5, 13.75], kind: railTerminal, source: "estimate: hand-made test value"}
services:
  - {id: R1, name: Hub–Vientiane, mode: rail, corridor: landSea, from: CNHUR, to: LAVTE, distanceKm: 1800,
     transitHours: {mean: 30, p90: 40}, departuresPerWeek: 14, capacityTEUPerDeparture: 100, priceUSDPerTEU: 900,
     co2eGramsPerTonneKm: 20, cargo: [general], source: "estimate: hand-made test value"}
  - {id: R2, name: Vientiane–Bangkok, mode: rail, corridor: landSea, from: LAVTE, to: THBKK, distanceKm: 650,
     transitHours: {mean: 15, p90: 20}, departuresPerWeek: 14, capacityTEUPerDeparture: 100, priceUSDPerTEU: 400,
     co2eGramsPerTonneKm: 20, cargo: [general], source: "estimate: hand-made test value"}
hub:
  name: Test hub
  cities: [CNHUB]
  timedJourney: {toCountry: TH, throughCountry: LA}
  source: "estimate: test hub of one city"
targets:
  - {id: laosThailandDays, description: Hub to Thailand through Laos, kpi: chinaLaosThailandDays, comparison: atMost,
     year: 2027, value: 5, unit: days, unmeasuredNote: no hub–Thailand shipment through Laos, source: "estimate: test target"}
"""

@Suite("Hub KPIs from the network's data")
struct HubMeasureTests {
    func run(_ yaml: String) throws -> SimulationResult {
        let network = try NetworkLoader.load(yaml: yaml, file: "laos.yaml")
        var options = SimulationOptions()
        options.days = 56
        let lane = DemandLane(origin: "CNHUB", destination: "THBKK", cargo: .general, teuPerYear: 5_000, shipmentTEU: 4,
                              tonnesPerTEU: 10, seasonality: Array(repeating: 1, count: 12), corridor: .landSea,
                              isTransit: false, line: 2)
        return checkedRun(Simulator(network: network, lanes: [lane], options: options))
    }

    @Test func timedJourneyIsMeasuredFromTheLog() throws {
        let result = try run(laosThailandNetwork)
        var arrived: [Int: Double] = [:]
        var days: [Double] = []
        for event in result.events {
            if event.kind == .shipmentArrived { arrived[event.shipment!] = event.hour }
            if event.kind == .shipmentDelivered, event.hour >= 0, event.hour < 56 * 24, let start = arrived[event.shipment!] {
                days.append((event.hour - start) / 24)
            }
        }
        #expect(days.count > 20)
        let mean = days.reduce(0, +) / Double(days.count)
        let measured = try #require(result.kpis["chinaLaosThailandDays"])
        // The log rounds hours to 0.001.
        #expect(abs(measured - mean) < 1e-4, "\(measured) vs \(mean)")
        let check = try #require(result.targets.first)
        #expect(check.name == "laosThailandDays" && check.value == measured && check.comparison == "atMost")
        #expect(check.met == (measured <= 5) && check.note == nil)
    }

    @Test func journeyThroughAnotherCountryIsNotMeasured() throws {
        let result = try run(laosThailandNetwork.replacingOccurrences(of: "throughCountry: LA", with: "throughCountry: VN"))
        // Nothing to measure: absent from the KPIs (never 0), listed with the reason.
        #expect(result.kpis["chinaLaosThailandDays"] == nil && result.kpis["chinaLaosThailandCostUSDPerTEU"] == nil)
        let reason = try #require(result.unmeasuredKPIs["chinaLaosThailandDays"])
        #expect(reason.hasPrefix("no hub–TH shipment took a route through VN; "), "\(reason)")
        #expect(result.unmeasuredKPIs["chinaLaosThailandCostUSDPerTEU"] == reason)
        let check = try #require(result.targets.first)
        #expect(!check.met && !check.measured && check.value == nil, "an at-most target with nothing measured is not met")
        #expect(check.reason == "no hub–Thailand shipment through Laos: \(reason)")
        // The delivered shipments that went another way are counted in the reason.
        let delivered = try #require(result.kpis["shipmentsDelivered"])
        #expect(delivered > 0 && reason.hasSuffix("; \(Int(delivered)) went by other routes"), "\(reason)")
    }

    /// Cost per TEU on the journey is the mean of the delivered shipments' route costs; a baseline
    /// turns it into the change the −30 % target compares.
    @Test func journeyCostIsMeasuredAgainstItsBaseline() throws {
        let yaml = laosThailandNetwork + "\n" + """
          - {id: laosThailandCost, description: Cost change, kpi: chinaLaosThailandCostUSDPerTEU, comparison: atMost,
             year: 2027, value: -0.3, unit: share, baseline: {year: 2025, value: 2000, unit: USD/TEU, source: "estimate: test baseline"},
             source: "estimate: test target"}

        """
        let result = try run(yaml)
        let cost = try #require(result.kpis["chinaLaosThailandCostUSDPerTEU"])
        // Hub city → rail terminal access (50) + handling + the two trains (900 + 400): the route price, not a constant.
        #expect(cost > 1300 && cost < 2000, "\(cost)")
        let check = try #require(result.targets.last)
        let value = try #require(check.value)
        #expect(abs(value - (cost / 2000 - 1)) < 1e-12 && check.met == (value <= -0.3))
        // A cheaper baseline makes the same run miss the target.
        let cheaper = try run(yaml.replacingOccurrences(of: "value: 2000", with: "value: 1000"))
        #expect(cheaper.targets.last?.met == false && (cheaper.targets.last?.value ?? -1) > 0)
    }
}
