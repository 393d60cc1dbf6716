import Dispatch
import Foundation
import Testing
import TestFixtures
@testable import MinCostFlow
@testable import GLPKSolver
@testable import Simulation

/// A value behind a lock (the package also targets macOS 14, where `Mutex` is unavailable).
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

@Suite("Thread confinement")
struct ThreadConfinementTests {
    @Test("LPs and flows solved concurrently on several threads match the serial answers")
    func concurrentSolves() throws {
        let networks = (200..<240 as Range<UInt64>).map(randomNetwork(seed:))
        let programs = (0..<40).map { seed in
            var random = SeededGenerator(seed: UInt64(seed))
            var program = LinearProgram(sense: .maximize)
            for _ in 0..<10 {
                program.addVariable(.init(lower: 0, upper: 4, objective: Double(Int.random(in: 1...9, using: &random)), isInteger: seed % 2 == 0))
            }
            for _ in 0..<6 {
                program.addConstraint(.init(
                    coefficients: (0..<10).map { ($0, Double(Int.random(in: 0...7, using: &random))) },
                    upper: Double(Int.random(in: 10...40, using: &random))))
            }
            return program
        }
        let expectedLP = try programs.map { try $0.solve().optimalSolution?.objectiveValue }
        let expectedFlow = try networks.map { try $0.solve(using: .glpkOutOfKilter).optimalSolution?.cost }

        let mismatches = Locked<[String]>([])
        let threads = Locked<Set<String>>([])
        // Explicit threads: concurrentPerform may run everything on one thread on a busy machine.
        let group = DispatchGroup()
        for worker in 0..<4 {
            group.enter()
            Thread {
                defer { group.leave() }
                work(worker)
            }.start()
        }
        group.wait()
        @Sendable func work(_ worker: Int) {
            threads.withLock { _ = $0.insert("\(pthread_self())") }
            for round in 0..<5 {
                for index in stride(from: (worker + round) % 4, to: programs.count, by: 4) {
                    do {
                        let value = try programs[index].solve().optimalSolution?.objectiveValue
                        if value != expectedLP[index] { mismatches.withLock { $0.append("LP \(index): \(String(describing: value))") } }
                        let algorithm: FlowAlgorithm = index % 2 == 0 ? .glpkSimplex : .glpkOutOfKilter
                        let cost = try networks[index].solve(using: algorithm).optimalSolution?.cost
                        let same = switch (cost, expectedFlow[index]) {
                        case (nil, nil): true
                        case (let a?, let b?): abs(a - b) <= 1e-6 * max(1, abs(b))
                        default: false
                        }
                        if !same { mismatches.withLock { $0.append("flow \(index): \(String(describing: cost))") } }
                    } catch {
                        mismatches.withLock { $0.append("\(index): \(error)") }
                    }
                }
            }
        }
        #expect(mismatches.withLock { $0 } == [])
        #expect(threads.withLock { $0.count } == 4, "each worker runs on its own thread")
    }

    @Test("freeing a GLPK problem on another thread traps instead of corrupting GLPK")
    func crossThreadFreeTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            final class Box: @unchecked Sendable {
                var problem: GLPKProblem? = GLPKProblem()
            }
            let box = Box()
            let thread = Thread { box.problem = nil }  // deinit on the wrong thread
            thread.start()
            // The wrong-thread call traps the process; if it ever returns, the child exits 0
            // and the expectation of a failure exit fails.
            while !thread.isFinished { usleep(1_000) }
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("on a thread other than the one that created it"), "\(message)")
    }

    @Test("using a GLPK graph on another thread traps")
    func crossThreadUseTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            final class Box: @unchecked Sendable {
                var graph: GLPKGraph? = GLPKGraph(vertexCount: 2)
            }
            let box = Box()
            let thread = Thread { box.graph?.setSupply(1, ofNode: 0) }
            thread.start()
            // The wrong-thread call traps the process; if it ever returns, the child exits 0
            // and the expectation of a failure exit fails.
            while !thread.isFinished { usleep(1_000) }
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("on a thread other than the one that created it"), "\(message)")
    }
}
