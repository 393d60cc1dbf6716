import Foundation
import NetworkData
import Testing
@testable import Simulation

/// Three places in a line: CNAAA → CNBBB by an ordinary train, CNBBB → CNCCC by a service whose
/// departures carry a ten-thousandth of a TEU, so no shipment fits within the 5,000 departures
/// booking looks ahead and every shipment to CNCCC is stranded at CNBBB.
let tinyCapacityNetwork = """
network: tiny-capacity
tonnesPerTEU: 10
defaults:
  handling: {hours: 6, costUSDPerTEU: 45}
  connectionHours: 2
source: "estimate: hand-made test network with one almost empty service"
places:
  - {code: CNAAA, name: Alpha, country: CN, lonLat: [106, 29], kind: railTerminal, source: "estimate: hand-made test value"}
  - {code: CNBBB, name: Beta, country: CN, lonLat: [100, 35], kind: railTerminal, source: "estimate: hand-made test value"}
  - {code: CNCCC, name: Gamma, country: CN, lonLat: [90, 40], kind: railTerminal, source: "estimate: hand-made test value"}
services:
  - {id: S1, name: Ordinary, mode: rail, corridor: domestic, from: CNAAA, to: CNBBB, distanceKm: 1000,
     transitHours: {mean: 20, p90: 30}, departuresPerWeek: 7, capacityTEUPerDeparture: 100, priceUSDPerTEU: 500,
     co2eGramsPerTonneKm: 20, cargo: [general], source: "estimate: hand-made test value"}
  - {id: S2, name: Tiny, mode: rail, corridor: domestic, from: CNBBB, to: CNCCC, distanceKm: 1000,
     transitHours: {mean: 20, p90: 30}, departuresPerWeek: 7, capacityTEUPerDeparture: 0.0001, priceUSDPerTEU: 500,
     co2eGramsPerTonneKm: 20, cargo: [general], source: "estimate: hand-made test value"}
"""

func tinyLane(_ origin: PlaceCode, _ destination: PlaceCode, teuPerYear: Double) -> DemandLane {
    DemandLane(origin: origin, destination: destination, cargo: .general, teuPerYear: teuPerYear, shipmentTEU: 4,
               tonnesPerTEU: 10, seasonality: Array(repeating: 1, count: 12), corridor: .domestic, isTransit: false, line: 2)
}

@Suite("TEU balance and stranded shipments")
struct TEUBalanceTests {
    @Test func shipmentThatCannotBeBookedIsStrandedAndCounted() throws {
        let network = try NetworkLoader.load(yaml: tinyCapacityNetwork, file: "tiny.yaml")
        var options = SimulationOptions()
        options.days = 60
        let result = checkedRun(Simulator(network: network, lanes: [tinyLane("CNAAA", "CNCCC", teuPerYear: 600),
                                                                    tinyLane("CNAAA", "CNBBB", teuPerYear: 3000)],
                                          options: options))
        var arrivedTEU: [Int: Double] = [:], destination: [Int: String] = [:]
        for event in result.events where event.kind == .shipmentArrived { arrivedTEU[event.shipment!] = event.teu }
        let stranded = result.events.filter { $0.kind == .shipmentStranded }
        let delivered = result.events.filter { $0.kind == .shipmentDelivered }
        for event in delivered { destination[event.shipment!] = event.place }
        #expect(!stranded.isEmpty, "shipments to CNCCC cannot be booked on S2")
        #expect(!delivered.isEmpty, "shipments to CNBBB still arrive")
        #expect(delivered.allSatisfy { $0.place == "CNBBB" })
        for event in stranded {
            // Stranded where the tiny service leaves, waiting for it, with the TEU it arrived with; never delivered.
            #expect(event.service == "S2" && event.place == "CNBBB", "\(event)")
            #expect(event.teu != nil && event.teu == arrivedTEU[event.shipment!], "\(event)")
            #expect(destination[event.shipment!] == nil, "a stranded shipment was delivered")
        }
        #expect(Set(stranded.map(\.shipment)).count == stranded.count, "stranded twice")
        let loggedTEU = stranded.reduce(0) { $0 + $1.teu! }
        #expect(abs(result.strandedTEU - loggedTEU) <= 1e-3 * Double(stranded.count))
        #expect(result.kpis["strandedTEU"] == result.strandedTEU)
        #expect(result.teuBalance.deliveredTEU > 0 && result.teuBalance.strandedTEU > 0)
        #expect(result.teuBalance.isBalanced())
    }

    @Test func strandingIsCountedWithoutTheEventLog() throws {
        let network = try NetworkLoader.load(yaml: tinyCapacityNetwork, file: "tiny.yaml")
        var options = SimulationOptions()
        options.days = 30
        let lanes = [tinyLane("CNAAA", "CNCCC", teuPerYear: 600)]
        let logged = checkedRun(Simulator(network: network, lanes: lanes, options: options))
        options.recordEvents = false
        let silent = checkedRun(Simulator(network: network, lanes: lanes, options: options))
        #expect(silent.events.isEmpty)
        #expect(silent.strandedTEU > 0)
        #expect(silent.teuBalance == logged.teuBalance)
    }

    /// A run stops 120 days after its last simulated day; cargo still between legs then (here: a
    /// 1,900-hour train, then a 1,500-hour dwell) is in flight, found in the events never handled.
    @Test func runStoppedAtItsHorizonCountsCargoBetweenLegs() throws {
        var yaml = tinyCapacityNetwork.replacingOccurrences(
            of: "{code: CNBBB, name: Beta, country: CN, lonLat: [100, 35], kind: railTerminal,",
            with: "{code: CNBBB, name: Beta, country: CN, lonLat: [100, 35], kind: borderCrossing, dwell: {meanHours: 1500, p90Hours: 1900},")
        yaml = yaml.replacingOccurrences(of: "transitHours: {mean: 20, p90: 30}, departuresPerWeek: 7, capacityTEUPerDeparture: 100",
                                         with: "transitHours: {mean: 1900, p90: 1990}, departuresPerWeek: 7, capacityTEUPerDeparture: 100")
        // The second leg has room here: a through booking refuses a route whose leg never has any.
        yaml = yaml.replacingOccurrences(of: "capacityTEUPerDeparture: 0.0001", with: "capacityTEUPerDeparture: 100")
        let network = try NetworkLoader.load(yaml: yaml, file: "long.yaml")
        #expect(network.service("S1")?.transit.meanHours == 1900 && network.place("CNBBB")?.dwell?.meanHours == 1500)
        var options = SimulationOptions()
        options.days = 1
        options.warmUpDays = 0
        let result = checkedRun(Simulator(network: network, lanes: [tinyLane("CNAAA", "CNCCC", teuPerYear: 50_000)], options: options))
        #expect(result.teuBalance.arrivedTEU > 0)
        #expect(result.teuBalance.deliveredTEU == 0 && result.teuBalance.strandedTEU == 0)
        #expect(result.teuBalance.inFlightTEU == result.teuBalance.arrivedTEU, "\(result.teuBalance)")
        // The first leg ended (its trains reached the border); the cargo waits out its dwell when the run stops.
        #expect(result.events.contains { $0.kind == .vehicleArrived && $0.place == "CNBBB" })
    }

    @Test func balanceNoticesLostOrDoubleCountedTEU() {
        #expect(TEUBalance(arrivedTEU: 100, deliveredTEU: 60, inFlightTEU: 30, strandedTEU: 10).isBalanced())
        #expect(!TEUBalance(arrivedTEU: 100, deliveredTEU: 60, inFlightTEU: 30, strandedTEU: 0).isBalanced())
        #expect(!TEUBalance(arrivedTEU: 100, deliveredTEU: 60, inFlightTEU: 45, strandedTEU: 0).isBalanced())
        #expect(TEUBalance(arrivedTEU: 1e6, deliveredTEU: 1e6 - 0.5, inFlightTEU: 0, strandedTEU: 0).isBalanced())
        #expect(!TEUBalance(arrivedTEU: 1e6, deliveredTEU: 1e6 - 2, inFlightTEU: 0, strandedTEU: 0).isBalanced())
    }

    /// Targets come from the network's data: the KPI each names, its comparison and baseline.
    @Test func targetsAreCheckedAsTheNetworkDefinesThem() throws {
        let yaml = tinyCapacityNetwork + """

            targets:
              - {id: deliveredGrowth, description: Delivered TEU over a baseline, kpi: deliveredTEU, comparison: atLeast,
                 year: 2027, value: 0.1, unit: share, note: delivered within the run,
                 baseline: {year: 2024, value: 100, unit: TEU, source: "estimate: test baseline of 100 TEU"},
                 source: "estimate: test target"}
              - {id: noStranding, description: Nothing stranded, kpi: strandedTEU, comparison: atMost, year: 2027,
                 value: 0, unit: TEU, source: "estimate: test target"}
              - {id: fewArrivals, description: Arrivals at most one, kpi: shipmentsArrived, comparison: atMost, year: 2027,
                 value: 1, unit: shipments, source: "estimate: test target"}

            """
        let network = try NetworkLoader.load(yaml: yaml, file: "tiny.yaml")
        var options = SimulationOptions()
        options.days = 60
        let delivering = checkedRun(Simulator(network: network, lanes: [tinyLane("CNAAA", "CNBBB", teuPerYear: 3000)], options: options))
        #expect(delivering.targets.map(\.name) == ["deliveredGrowth", "noStranding", "fewArrivals"])
        let growth = delivering.targets[0]
        let deliveredTEU = try #require(delivering.kpis["deliveredTEU"])
        let growthValue = try #require(growth.value)
        #expect(abs(growthValue - (deliveredTEU / 100 - 1)) < 1e-12)
        #expect(growth.met == (growthValue >= 0.1) && growth.comparison == "atLeast" && growth.measured)
        #expect(growth.note == "delivered within the run, against 2024's estimated 100 TEU")
        // At most 0 stranded TEU: met when nothing is stranded (a measured zero meets an at-most target).
        #expect(delivering.targets[1].value == 0 && delivering.targets[1].met && delivering.targets[1].comparison == "atMost")
        #expect(delivering.targets[2].value == delivering.kpis["shipmentsArrived"] && delivering.targets[2].met == false)
        let stranding = checkedRun(Simulator(network: network, lanes: [tinyLane("CNAAA", "CNCCC", teuPerYear: 600)], options: options))
        #expect(stranding.targets[1].value == stranding.strandedTEU && stranding.strandedTEU > 0)
        #expect(!stranding.targets[1].met)
    }

    /// A missed corridor target names the corridor's most delayed service; a met one names nothing.
    @Test func aMissedTargetSaysWhatBindsIt() throws {
        let yaml = tinyCapacityNetwork
            .replacingOccurrences(of: "corridor: domestic, from: CNAAA", with: "corridor: landSea, from: CNAAA")
            .replacingOccurrences(of: "capacityTEUPerDeparture: 100", with: "capacityTEUPerDeparture: 6") + """

            targets:
              - {id: hugeCorridor, description: An unreachable corridor volume, kpi: landSeaCorridorTEU, comparison: atLeast,
                 year: 2027, value: 1000000000, unit: TEU, source: "estimate: test target"}
              - {id: someCorridor, description: A reachable corridor volume, kpi: landSeaCorridorTEU, comparison: atLeast,
                 year: 2027, value: 1, unit: TEU, source: "estimate: test target"}

            """
        let network = try NetworkLoader.load(yaml: yaml, file: "tiny.yaml")
        var options = SimulationOptions()
        options.days = 60
        // 3,000 TEU a year is 58 a week against S1's 7 × 6 = 42: its departures leave full and cargo waits.
        let result = checkedRun(Simulator(network: network, lanes: [tinyLane("CNAAA", "CNBBB", teuPerYear: 3000)], options: options))
        let missed = try #require(result.targets.first { $0.name == "hugeCorridor" })
        #expect(!missed.met && missed.measured)
        #expect(missed.binds?.contains("S1 (CNAAA→CNBBB) full departures") == true, "\(missed.binds ?? "nil")")
        let met = try #require(result.targets.first { $0.name == "someCorridor" })
        #expect(met.met && met.binds == nil)
    }
}
