import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Simulation

@Suite("Background traffic at shared borders")
struct BackgroundTrafficTests {
    func run(background: String, seed: UInt64, days: Int = 120) throws -> SimulationResult {
        let network = try NetworkLoader.load(yaml: sharedBorderNetwork(background: background), file: "border.yaml")
        var options = SimulationOptions()
        options.days = days
        options.seed = seed
        let lane = { (from: PlaceCode, to: PlaceCode) in
            DemandLane(origin: from, destination: to, cargo: .general, teuPerYear: 20_000, shipmentTEU: 4, tonnesPerTEU: 10,
                       seasonality: Array(repeating: 1, count: 12), corridor: .chinaEurope, isTransit: false, line: 2)
        }
        return checkedRun(Simulator(network: network, lanes: [lane("CNAAA", "KZCCC"), lane("KZCCC", "CNAAA")], options: options))
    }

    func border(_ result: SimulationResult) throws -> QueueStatistics {
        try #require(result.queues.first { $0.place == "CNBRD" })
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func backgroundTrainsRaiseOurWaitAtTheBorder(seed: UInt64) throws {
        let alone = try run(background: "", seed: seed)
        let shared = try run(background: "    backgroundTraffic: {vehiclesPerDay: 7, source: \"estimate: test stream\"}", seed: seed)
        let (a, s) = (try border(alone), try border(shared))
        #expect(a.vehicles > 0 && s.vehicles > 0, "our trains reach the border in both runs")
        #expect(s.meanWaitHours > a.meanWaitHours, "mean wait \(s.meanWaitHours) h with background vs \(a.meanWaitHours) h alone")
        #expect(s.p90WaitHours > a.p90WaitHours, "p90 wait \(s.p90WaitHours) h with background vs \(a.p90WaitHours) h alone")
        #expect(s.meanQueueLength > a.meanQueueLength)
        // The background trains carry none of our cargo and are not in the event log.
        // (Queue statistics count the counted year; the log also has the warm-up, at negative hours.)
        let entered = shared.events.filter { $0.kind == .queueEntered && $0.place == "CNBRD" }.count
        let left = shared.events.filter { $0.kind == .queueLeft && $0.place == "CNBRD" && $0.hour >= 0 }.count
        #expect(left == s.vehicles && entered >= left)
    }

    @Test func moreBackgroundMeansLongerWaits() throws {
        let light = try border(try run(background: "    backgroundTraffic: {vehiclesPerDay: 3, source: \"estimate: test stream\"}", seed: 7))
        let heavy = try border(try run(background: "    backgroundTraffic: {vehiclesPerDay: 7.5, source: \"estimate: test stream\"}", seed: 7))
        #expect(heavy.meanWaitHours > light.meanWaitHours, "\(heavy.meanWaitHours) h at 7.5/day vs \(light.meanWaitHours) h at 3/day")
    }

    @Test func aBackgroundRunIsReproducible() throws {
        let line = "    backgroundTraffic: {vehiclesPerDay: 6, byMonth: [2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1], source: \"estimate: test stream\"}"
        let first = try run(background: line, seed: 11)
        let second = try run(background: line, seed: 11)
        #expect(first.events == second.events)
        #expect(try border(first) == border(second))
    }

    /// The month factors shape the stream: with all background in January–April, our trains that
    /// reach the border then wait longer than those reaching it in May–August, when there is none.
    @Test func monthFactorsShapeTheStream() throws {
        let line = "    backgroundTraffic: {vehiclesPerDay: 3.5, byMonth: [2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1], source: \"estimate: test stream\"}"
        let result = try run(background: line, seed: 5, days: 240)
        // Our trains leave the queue in the order they entered (first come, first served).
        var entered: [Double] = [], busy: [Double] = [], quiet: [Double] = []
        for event in result.events where event.place == "CNBRD" {
            if event.kind == .queueEntered { entered.append(event.hour) }
            if event.kind == .queueLeft, !entered.isEmpty {
                let start = entered.removeFirst()
                if start < 118 * 24 { busy.append(event.hour - start) } else if start > 122 * 24 && start < 240 * 24 { quiet.append(event.hour - start) }
            }
        }
        try #require(!busy.isEmpty && !quiet.isEmpty)
        let mean = { (x: [Double]) in x.reduce(0, +) / Double(x.count) }
        #expect(mean(busy) > mean(quiet), "busy months \(mean(busy)) h vs quiet months \(mean(quiet)) h")
    }
}
