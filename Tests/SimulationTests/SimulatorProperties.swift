import NetworkData
import PropertyBased
import Testing
import TestFixtures
@testable import Simulation

/// A random simulation scenario: a random network, in one of five with a service whose
/// departures carry 0.0001 TEU (so shipments that need it are stranded); 1–6 demand lanes
/// between its places (50–5,000 TEU a year in shipments of 1–20 TEU); 0–3 disruptions of a
/// service (days 0–30, 1–20 days long, capacity factor 0, ¼, ½, ¾ or 1); a seed; 7–45
/// simulated days after 0–14 days of warm-up.
struct RandomScenario: Sendable, CustomStringConvertible {
    var network: RandomNetwork
    var lanes: [DemandLane]
    var disruptions: [Disruption]
    var options: SimulationOptions

    var description: String {
        "network: \(network)\nlanes: " + lanes.map { "\($0.origin)→\($0.destination) \($0.teuPerYear) TEU/yr by \($0.shipmentTEU)" }
            .joined(separator: ", ")
            + "\ndisruptions: " + disruptions.map { "\($0.target) days \($0.fromDay)–\($0.toDay) ×\($0.capacityFactor)" }
            .joined(separator: ", ")
            + "\nseed \(options.seed), \(options.days) days after \(options.warmUpDays) of warm-up"
    }
}

let randomScenarios = zip(
    randomNetworks,
    zip(Gen.int(in: 0...5), Gen.int(in: 0...5), Gen.int(in: 50...5_000), Gen.int(in: 1...20)).array(of: 1...6),
    zip(Gen.int(in: 0...9), Gen.int(in: 0...30), Gen.int(in: 1...20), Gen.int(in: 0...4)).array(of: 0...3),
    zip(Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 7...45), Gen.int(in: 0...14)),
    Gen.int(in: 0...49)
).map { network, lanes, cuts, run, tiny in
    var network = network
    if tiny < 10 { network.services[tiny % network.services.count].teuPerDeparture = 0.0001 }
    var options = SimulationOptions()
    options.seed = UInt64(run.0)
    options.days = run.1
    options.warmUpDays = run.2
    return RandomScenario(
        network: network,
        lanes: lanes.enumerated().map { i, lane in
            let (origin, destination) = network.pair(lane.0, lane.1)
            return DemandLane(origin: origin, destination: destination, cargo: .general,
                              teuPerYear: Double(lane.2), shipmentTEU: Double(lane.3), tonnesPerTEU: 10,
                              seasonality: Array(repeating: 1, count: 12), corridor: .domestic, isTransit: false, line: i + 2)
        },
        disruptions: cuts.map { service, from, length, factor in
            Disruption(name: "cut \(service)", target: .service(network.serviceIDs[service % network.serviceIDs.count]),
                       fromDay: Double(from), toDay: Double(from + length), capacityFactor: Double(factor) / 4)
        },
        options: options)
}

/// The shared-border fixture (``sharedBorderNetwork(background:)``) with random edits: each
/// service's departures a week (1–28) and TEU a departure (5–80), the border's trains a day
/// (1–20) and background trains a day (0–12); lanes both ways (500–30,000 TEU a year in
/// shipments of 1–10 TEU); the border restricted or closed for some days (capacity factor 0–1,
/// dwell ×1–3) or not; a seed; 7–40 days after 0–14 days of warm-up. Exercises the border queue.
struct EditedBorderScenario: Sendable, CustomStringConvertible {
    var departures: (Int, Int)
    var teuPerDeparture: (Int, Int)
    var trainsPerDay: Int
    var backgroundPerDay: Int
    var teuPerYear: (Int, Int)
    var shipmentTEU: Int
    var restriction: (fromDay: Int, days: Int, quarters: Int, dwell: Int)?
    var options: SimulationOptions

    var yaml: String {
        sharedBorderNetwork(background: backgroundPerDay == 0 ? ""
                            : "    backgroundTraffic: {vehiclesPerDay: \(backgroundPerDay), source: \"estimate: test stream\"}")
            .replacingFirst("throughput: {unitsPerDay: 10,", with: "throughput: {unitsPerDay: \(trainsPerDay),")
            .replacingFirst("departuresPerWeek: 14, capacityTEUPerDeparture: 50, priceUSDPerTEU: 900",
                            with: "departuresPerWeek: \(departures.0), capacityTEUPerDeparture: \(teuPerDeparture.0), priceUSDPerTEU: 900")
            .replacingFirst("departuresPerWeek: 14, capacityTEUPerDeparture: 50, priceUSDPerTEU: 500",
                            with: "departuresPerWeek: \(departures.1), capacityTEUPerDeparture: \(teuPerDeparture.1), priceUSDPerTEU: 500")
    }

    var lanes: [DemandLane] {
        [("CNAAA", "KZCCC", teuPerYear.0), ("KZCCC", "CNAAA", teuPerYear.1)].enumerated().map { i, lane in
            DemandLane(origin: PlaceCode(lane.0), destination: PlaceCode(lane.1), cargo: .general, teuPerYear: Double(lane.2),
                       shipmentTEU: Double(shipmentTEU), tonnesPerTEU: 10, seasonality: Array(repeating: 1, count: 12),
                       corridor: .chinaEurope, isTransit: false, line: i + 2)
        }
    }

    var disruptions: [Disruption] {
        guard let r = restriction else { return [] }
        return [Disruption(name: "border", target: .place("CNBRD"), fromDay: Double(r.fromDay), toDay: Double(r.fromDay + r.days),
                           capacityFactor: Double(r.quarters) / 4, dwellFactor: Double(r.dwell))]
    }

    var description: String {
        "S1 \(departures.0)×\(teuPerDeparture.0) TEU, S2 \(departures.1)×\(teuPerDeparture.1) TEU, border \(trainsPerDay) trains/day "
            + "+ \(backgroundPerDay) background; lanes \(teuPerYear.0) and \(teuPerYear.1) TEU/yr by \(shipmentTEU); "
            + "restriction \(restriction.map { "days \($0.fromDay)+\($0.days) ×\(Double($0.quarters) / 4) dwell ×\($0.dwell)" } ?? "none"); "
            + "seed \(options.seed), \(options.days) days after \(options.warmUpDays) of warm-up"
    }
}

let editedBorderScenarios = zip(
    zip(Gen.int(in: 1...28), Gen.int(in: 1...28), Gen.int(in: 5...80), Gen.int(in: 5...80)),
    zip(Gen.int(in: 1...20), Gen.int(in: 0...12), Gen.int(in: 500...30_000), Gen.int(in: 500...30_000), Gen.int(in: 1...10)),
    zip(Gen.int(in: 0...30), Gen.int(in: 1...20), Gen.int(in: 0...4), Gen.int(in: 1...3)).optional(valueRate: 0.5),
    zip(Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 7...40), Gen.int(in: 0...14))
).map { services, border, restriction, run in
    var options = SimulationOptions()
    options.seed = UInt64(run.0)
    options.days = run.1
    options.warmUpDays = run.2
    return EditedBorderScenario(departures: (services.0, services.1), teuPerDeparture: (services.2, services.3),
                                trainsPerDay: border.0, backgroundPerDay: border.1, teuPerYear: (border.2, border.3),
                                shipmentTEU: border.4,
                                restriction: restriction.map { (fromDay: $0.0, days: $0.1, quarters: $0.2, dwell: $0.3) },
                                options: options)
}

/// Property tests of the simulator. A failure names the shrunk scenario and the
/// `.fixedSeed(…)` that replays it.
@Suite("Simulator properties")
struct SimulatorProperties {
    /// On random scenarios: arrived TEU = delivered + in flight + stranded (and the event log
    /// agrees, ``expectTEUBalanced(_:sourceLocation:)``); no departure carries more than its
    /// service's TEU per departure; no departure runs while a closure of its service is in force.
    /// 200 scenarios, ~5 s.
    @Test func teuIsConservedAndDeparturesStayWithinCapacity() async {
        await propertyCheck(count: propertyCount(200), input: randomScenarios) { scenario in
            let network = try scenario.network.load()
            let result = Simulator(network: network, lanes: scenario.lanes, disruptions: scenario.disruptions,
                                   options: scenario.options).run()
            expectTEUBalanced(result)
            #expect(result.teuBalance.arrivedTEU > 0 || result.shipments == 0, "\(result.teuBalance)")
            for event in result.events where event.kind == .departureRan {
                let service = try #require(event.service.flatMap { network.service(ServiceID($0)) }, "\(event)")
                let capacity = try #require(service.capacity.teuPerDeparture(tonnesPerTEU: network.defaults.tonnesPerTEU))
                #expect((event.teu ?? 0) <= capacity + 1e-9, "\(event): capacity \(capacity) TEU")
                let closed = scenario.disruptions.contains {
                    $0.hits(service) && $0.capacityFactor == 0 && $0.isActive(atHour: event.hour)
                }
                #expect(!closed, "\(event) ran while its service was closed")
            }
        }
    }

    /// The random scenarios deliver, strand, end with cargo in flight, fill departures and
    /// cancel departures under a closure in a good share of runs, so the property tests each.
    @Test func randomScenariosReachEveryState() throws {
        var random = Xoshiro(seed: (9, 10, 11, 12))
        var delivered = 0, stranded = 0, inFlight = 0, full = 0, cancelled = 0
        for _ in 0..<100 {
            let scenario = randomScenarios.run(using: &random)
            let network = try scenario.network.load()
            let result = Simulator(network: network, lanes: scenario.lanes, disruptions: scenario.disruptions,
                                   options: scenario.options).run()
            if result.teuBalance.deliveredTEU > 0 { delivered += 1 }
            if result.teuBalance.strandedTEU > 0 { stranded += 1 }
            if result.teuBalance.inFlightTEU > 0 { inFlight += 1 }
            if result.events.contains(where: { $0.kind == .departureCancelled }) { cancelled += 1 }
            if result.events.contains(where: { event in
                event.kind == .departureRan && network.service(ServiceID(event.service ?? "")).flatMap {
                    $0.capacity.teuPerDeparture(tonnesPerTEU: network.defaults.tonnesPerTEU)
                }.map { (event.teu ?? 0) >= $0 - 1e-6 } == true
            }) { full += 1 }
        }
        #expect(delivered >= 50 && stranded >= 5 && inFlight >= 2 && full >= 25 && cancelled >= 5,
                "of 100: delivered \(delivered), stranded \(stranded), in flight \(inFlight), full \(full), cancelled \(cancelled)")
    }

    /// On random edits of the shared-border fixture: TEU conserved (cargo queued at the border
    /// counts as in flight) and no departure over its capacity. 60 scenarios, ~3 s.
    @Test func teuIsConservedThroughABorderQueue() async {
        await propertyCheck(count: propertyCount(60), input: editedBorderScenarios) { scenario in
            let network = try NetworkLoader.load(yaml: scenario.yaml, file: "border.yaml")
            let result = Simulator(network: network, lanes: scenario.lanes, disruptions: scenario.disruptions,
                                   options: scenario.options).run()
            expectTEUBalanced(result)
            // Every route crosses the border: cargo delivered means trains queued there.
            #expect(result.teuBalance.deliveredTEU == 0
                        || result.events.contains { $0.kind == .queueEntered && $0.place == "CNBRD" },
                    "cargo was delivered across the border without queueing there")
            for event in result.events where event.kind == .departureRan {
                let service = try #require(event.service.flatMap { network.service(ServiceID($0)) }, "\(event)")
                let capacity = try #require(service.capacity.teuPerDeparture(tonnesPerTEU: network.defaults.tonnesPerTEU))
                #expect((event.teu ?? 0) <= capacity + 1e-9, "\(event): capacity \(capacity) TEU")
            }
        }
    }
}
