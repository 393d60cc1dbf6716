import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Simulation

/// The progress hook and the cooperative cancel of ``Simulator/run(monitor:)``.
@Suite("simulation: progress and cancel inside a run")
struct SimulationMonitorTests {
    static func simulator(days: Int = 60, seed: UInt64 = 3) throws -> Simulator {
        let network = try NetworkLoader.load(yaml: handPricedNetwork)
        let lanes = [
            DemandLane(origin: "CNAAA", destination: "DEDDD", cargo: .general, teuPerYear: 20_000, shipmentTEU: 6,
                       tonnesPerTEU: 10, seasonality: Array(repeating: 1, count: 12), corridor: .domestic, isTransit: false, line: 2),
        ]
        var options = SimulationOptions()
        options.days = days
        options.seed = seed
        return Simulator(network: network, lanes: lanes, options: options)
    }

    /// Collects what a hook is called with, from the run's thread.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [SimulationProgress] = []
        private var asked = 0
        func add(_ p: SimulationProgress) { lock.withLock { list.append(p) } }
        var all: [SimulationProgress] { lock.withLock { list } }
        /// Counts the cancel questions; true from the `after`-th on.
        func ask(cancelAfter after: Int) -> Bool { lock.withLock { asked += 1; return asked >= after } }
        var questions: Int { lock.withLock { asked } }
    }

    @Test func theHookDoesNotChangeTheResult() throws {
        let simulator = try Self.simulator()
        let plain = simulator.run()
        let reports = Reports()
        let watched = try simulator.run(monitor: SimulationMonitor(reportEveryDays: 1, progress: { reports.add($0) },
                                                                   isCancelled: { reports.ask(cancelAfter: .max) }))
        #expect(try eventLog(watched) == eventLog(plain))
        #expect(watched.kpis == plain.kpis)
        #expect(watched.teuBalance == plain.teuBalance)
        #expect(watched.queues == plain.queues)
        #expect(!plain.events.isEmpty)
        // It was listened to: every simulated day asked, reported daily.
        #expect(reports.questions > 100)
        #expect(reports.all.count > 100)
    }

    @Test func progressIsReportedBetweenZeroAndOneInOrderAndEndsAtOne() throws {
        let simulator = try Self.simulator(days: 120)
        let reports = Reports()
        _ = try simulator.run(monitor: SimulationMonitor(reportEveryDays: 5, progress: { reports.add($0) }))
        let all = reports.all
        let total = simulator.options.warmUpDays + 120 + 120
        #expect(all.allSatisfy { $0.daysTotal == total })
        #expect(all.contains { $0.fraction > 0 && $0.fraction < 1 })
        #expect(all.map(\.daysSimulated) == all.map(\.daysSimulated).sorted())
        #expect(all.last?.fraction == 1)
        // At most every 5 simulated days (the last report, at the end, excepted).
        for (a, b) in zip(all, all.dropFirst().dropLast()) { #expect(b.daysSimulated - a.daysSimulated >= 5) }
    }

    @Test func aCancelStopsTheRunAtTheDayItWasAsked() throws {
        let simulator = try Self.simulator(days: 120)
        let reports = Reports()
        // Asked once per simulated day that has an event (every day here: about 9 shipments arrive a day).
        let error = #expect(throws: SimulationCancelled.self) {
            _ = try simulator.run(monitor: SimulationMonitor(progress: { reports.add($0) }, isCancelled: { reports.ask(cancelAfter: 40) }))
        }
        let cancelled = try #require(error)
        let total = simulator.options.warmUpDays + 240
        #expect(cancelled.progress.daysTotal == total)
        #expect((40...45).contains(cancelled.progress.daysSimulated), "\(cancelled)")
        #expect(cancelled.description == "cancelled at simulated day \(cancelled.progress.daysSimulated) of \(total)")
        #expect(reports.questions == 40)
        // Nothing was reported after the cancel, and never the end.
        #expect(reports.all.allSatisfy { $0.daysSimulated < cancelled.progress.daysSimulated })
    }

    /// The headroom search watched: the same answer, a call after every step, and a cancel that stops it.
    @Test func aWatchedHeadroomSearchGivesTheSameAnswerAndCanBeCancelled() throws {
        let network = try NetworkLoader.load(yaml: singleServiceNetwork())
        var options = SimulationOptions()
        options.days = 120
        options.seed = 1
        let search = HeadroomSearch(network: network, lanes: [singleServiceLane(teuPerYear: 1_825)], options: options,
                                    growth: [.all], criteria: [.backlog(maximumShare: 0.02)], seeds: 1, steps: 3, jobs: 1)
        let plain = search.run()
        let steps = Steps()
        let watched = try search.run(monitor: HeadroomMonitor(progress: { steps.add($0) }, isCancelled: { false }))
        #expect(watched.base.steps.map(\.factor) == plain.base.steps.map(\.factor))
        #expect(watched.base.steps.map(\.held) == plain.base.steps.map(\.held))
        #expect(watched.base.limitFactor == plain.base.limitFactor)
        #expect(watched.reliefs.map(\.outcome.limitFactor) == plain.reliefs.map(\.outcome.limitFactor))
        let all = steps.all
        let stepCount = plain.base.steps.count + plain.reliefs.reduce(0) { $0 + $1.outcome.steps.count }
        #expect(all.count == stepCount + 1)
        #expect(all.last?.stepsDone == stepCount && all.last?.stepsPlanned == stepCount)
        #expect(all.allSatisfy { $0.stepsDone <= $0.stepsPlanned })
        #expect(all.dropLast().contains { $0.fraction > 0 && $0.fraction < 1 })
        // Cancelled from the 100th simulated day asked: the search stops and says so.
        let questions = Reports()
        let error = #expect(throws: HeadroomCancelled.self) {
            _ = try search.run(monitor: HeadroomMonitor(isCancelled: { questions.ask(cancelAfter: 100) }))
        }
        // 100 simulated days: inside the first step (a step simulates warm-up + 120 + 120 days).
        #expect(error?.stepsDone == 0)
    }

    final class Steps: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [HeadroomProgress] = []
        func add(_ p: HeadroomProgress) { lock.withLock { list.append(p) } }
        var all: [HeadroomProgress] { lock.withLock { list } }
    }
}
