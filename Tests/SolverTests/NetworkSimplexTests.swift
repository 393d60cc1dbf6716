import NetworkData
import Testing
import TestFixtures
@testable import MinCostFlow
@testable import GLPKSolver
@testable import Simulation

/// A seeded random network of a "transport" shape: a few sources and sinks, positive costs,
/// finite capacities, plus an uncapacitated expensive backbone so it is feasible. Larger than
/// `randomNetwork` (up to 300 nodes), to exercise deep trees and many degenerate pivots.
func randomTransportNetwork(seed: UInt64, nodes: ClosedRange<Int> = 50...300) -> FlowNetwork {
    var random = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 3)
    let n = Int.random(in: nodes, using: &random)
    var arcs: [FlowArc] = []
    for i in 0..<(n - 1) { arcs.append(FlowArc(tail: i, head: i + 1, unitCost: 500)) }
    arcs.append(FlowArc(tail: n - 1, head: 0, unitCost: 500))
    for _ in 0..<(n * 6) {
        let tail = Int.random(in: 0..<n, using: &random)
        let head = Int.random(in: 0..<n, using: &random)
        arcs.append(FlowArc(tail: tail, head: head, capacity: Double(Int.random(in: 1...30, using: &random)),
                            unitCost: Double(Int.random(in: 1...100, using: &random))))
    }
    var supply = [Double](repeating: 0, count: n)
    for _ in 0..<max(1, n / 10) {
        let amount = Double(Int.random(in: 1...60, using: &random))
        supply[Int.random(in: 0..<n, using: &random)] += amount
        supply[Int.random(in: 0..<n, using: &random)] -= amount
    }
    return FlowNetwork(nodeCount: n, arcs: arcs, supply: supply)
}

/// The cross-check instances: `randomNetwork` (seeds 0..<160); the same with an uncapacitated
/// 2-cycle of cost −2 added between nodes 0 and 1 (160..<200: unbounded when feasible, else the
/// infeasible-wins case); `randomTransportNetwork` (200 and up).
func crossCheckNetwork(seed: UInt64) -> FlowNetwork {
    if seed >= 200 { return randomTransportNetwork(seed: seed) }
    var network = randomNetwork(seed: seed)
    if seed >= 160 {
        network.arcs.append(FlowArc(tail: 0, head: 1, unitCost: -3))
        network.arcs.append(FlowArc(tail: 1, head: 0, unitCost: 1))
    }
    return network
}

@Suite("Network simplex")
struct NetworkSimplexTests {
    @Test("a transportation problem: optimum 2 by hand, potentials certify it")
    func transportation() throws {
        // Two plants (10, 5) and two markets (−8, −7): costs 1 (0→2), 3 (0→3), 4 (1→2), 2 (1→3).
        // Cheapest: 8 on 0→2 (8), 2 on 0→3 (6), 5 on 1→3 (10) = 24.
        let network = FlowNetwork(
            nodeCount: 4,
            arcs: [FlowArc(tail: 0, head: 2, unitCost: 1), FlowArc(tail: 0, head: 3, unitCost: 3),
                   FlowArc(tail: 1, head: 2, unitCost: 4), FlowArc(tail: 1, head: 3, unitCost: 2)],
            supply: [10, 5, -8, -7])
        let solution = try #require(try NetworkSimplex(network).solve().optimalSolution)
        #expect(solution.cost == 24)
        #expect(solution.flow == [8, 2, 0, 5])
        #expect(certificateViolations(network, solution) == [])
    }

    @Test("a zero-supply network with a negative cycle of finite capacity saturates it")
    func circulation() throws {
        let network = FlowNetwork(
            nodeCount: 3,
            arcs: [FlowArc(tail: 0, head: 1, capacity: 5, unitCost: -4), FlowArc(tail: 1, head: 2, capacity: 3, unitCost: 1),
                   FlowArc(tail: 2, head: 0, unitCost: 1)])
        let solution = try #require(try NetworkSimplex(network).solve().optimalSolution)
        #expect(solution.cost == -6)  // 3 units round the cycle of cost −2
        #expect(certificateViolations(network, solution) == [])
    }

    @Test("networks with no arcs but self-loops; infeasible still wins over an unbounded loop")
    func onlySelfLoops() throws {
        let loops = FlowNetwork(nodeCount: 2, arcs: [FlowArc(tail: 0, head: 0, capacity: 5, unitCost: -2),
                                                     FlowArc(tail: 1, head: 1, lower: 1, unitCost: 3)])
        let solution = try #require(try NetworkSimplex(loops).solve().optimalSolution)
        #expect(solution.flow == [5, 1] && solution.cost == -7)
        #expect(certificateViolations(loops, solution, tolerance: 0) == [])
        let stranded = FlowNetwork(nodeCount: 2, arcs: [FlowArc(tail: 0, head: 0, unitCost: -1)], supply: [1, -1])
        guard case .infeasible = try NetworkSimplex(stranded).solve() else { Issue.record("expected infeasible"); return }
        let spinning = FlowNetwork(nodeCount: 1, arcs: [FlowArc(tail: 0, head: 0, unitCost: -1)])
        guard case .unbounded(let reason) = try NetworkSimplex(spinning).solve() else { Issue.record("expected unbounded"); return }
        #expect(reason.hasPrefix("arcs 0 form the cycle 0 → 0"))
        #expect(try NetworkSimplex(FlowNetwork(nodeCount: 3)).solve() == .optimal(FlowSolution(flow: [], potential: [0, 0, 0], cost: 0)))
    }

    @Test("the unbounded cycle is named in the direction of flow")
    func unboundedCycleNamed() throws {
        // Feasible (1 unit 0→3), and 1→2→1 costs −1 per lap with no capacity.
        let network = FlowNetwork(
            nodeCount: 4,
            arcs: [FlowArc(tail: 0, head: 1, capacity: 1, unitCost: 1), FlowArc(tail: 1, head: 3, capacity: 1, unitCost: 1),
                   FlowArc(tail: 1, head: 2, unitCost: 2), FlowArc(tail: 2, head: 1, unitCost: -3)],
            supply: [1, 0, 0, -1])
        guard case .unbounded(let reason) = try NetworkSimplex(network).solve() else { Issue.record("expected unbounded"); return }
        #expect(reason.hasPrefix("arcs 2, 3 form the cycle 1 → 2 → 1") || reason.hasPrefix("arcs 3, 2 form the cycle 2 → 1 → 2"), "\(reason)")
        #expect(reason.contains("total unit cost -1.0"))
    }

    @Test("non-integral data is refused with .notIntegral; .automatic falls back to GLPK")
    func fractionalData() throws {
        var network = FlowNetwork(nodeCount: 2, arcs: [FlowArc(tail: 0, head: 1, capacity: 4, unitCost: 0.5)], supply: [1, -1])
        #expect(throws: FlowError.notIntegral("arc 0 (0→1): unit cost is 0.5; the network simplex needs integers (use .glpkSimplex or .automatic otherwise)")) {
            try NetworkSimplex(network)
        }
        let solution = try #require(try network.solve(using: .automatic).optimalSolution)
        #expect(solution.cost == 0.5)
        network.arcs[0].unitCost = 1
        network.supply = [1.5, -1.5]
        #expect(throws: FlowError.self) { try network.solve(using: .networkSimplex) }
    }

    @Test("sums beyond 2^60 are refused with .overflow")
    func overflow() throws {
        // Each number < 2^53, but the artificial cost (big + 1) · (200 + 1) > 2^60.
        let big = 8_000_000_000_000_000.0
        var supply = [Double](repeating: 0, count: 200)
        supply[0] = 1
        supply[1] = -1
        let network = FlowNetwork(nodeCount: 200, arcs: [FlowArc(tail: 0, head: 1, unitCost: big)], supply: supply)
        do {
            _ = try NetworkSimplex(network)
            Issue.record("expected .overflow")
        } catch {
            guard case .overflow(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("artificial cost"))
        }
        #expect(try network.solve(using: .automatic).optimalSolution?.cost == big)
    }

    #if DEBUG  // the invariant checks exist in debug builds only
    @Test("the spanning tree invariants hold after every pivot", arguments: [3, 11, 12, 25, 40] as [UInt64])
    func treeInvariants(seed: UInt64) throws {
        for network in [randomNetwork(seed: seed), randomTransportNetwork(seed: seed, nodes: 20...60)] {
            let solver = try NetworkSimplex(network)
            #expect(solver.invariantViolationsDuringSolve() == [], "seed \(seed)")
        }
    }
    #endif

    @Test("agrees with GLPK's out-of-kilter on 240 random networks, with certificates",
          arguments: 0..<240 as Range<UInt64>)
    func agreesWithOutOfKilter(seed: UInt64) throws {
        let network = crossCheckNetwork(seed: seed)
        let ours = try network.solve(using: .networkSimplex)
        let kilter = try network.solve(using: .glpkOutOfKilter)
        #expect(OutcomeKind(ours) == OutcomeKind(kilter), "seed \(seed): \(ours) vs \(kilter)")
        if case .optimal(let a) = ours, case .optimal(let b) = kilter {
            #expect(a.cost == b.cost, "seed \(seed)")
            #expect(certificateViolations(network, a, tolerance: 0) == [], "seed \(seed)")
        }
        // Precedence: an unbounded answer needs a feasible flow; the zero-cost problem has one.
        if case .unbounded = ours {
            var zeroCost = network
            for k in zeroCost.arcs.indices { zeroCost.arcs[k].unitCost = 0 }
            #expect(OutcomeKind(try zeroCost.solve(using: .glpkOutOfKilter)) == .optimal, "seed \(seed)")
        }
    }

    @Test("the random networks cover infeasible, unbounded and infeasible-with-a-negative-cycle cases")
    func outcomeMix() throws {
        var counts: [OutcomeKind: Int] = [:]
        var infeasibleWithCycle = 0
        for seed in 0..<200 as Range<UInt64> {
            let network = crossCheckNetwork(seed: seed)
            let kind = OutcomeKind(try network.solve(using: .networkSimplex))
            counts[kind, default: 0] += 1
            if kind == .infeasible && network.negativeUncapacitatedCycle() != nil { infeasibleWithCycle += 1 }
        }
        #expect(counts[.optimal, default: 0] >= 60, "\(counts)")
        #expect(counts[.infeasible, default: 0] >= 20, "\(counts)")
        #expect(counts[.unbounded, default: 0] >= 10, "\(counts)")
        #expect(infeasibleWithCycle >= 5, "too few infeasible instances also have a negative uncapacitated cycle")
    }
}


@Suite("Decimal scaling for the network simplex")
struct DecimalScalingTests {
    @Test("decimal data scale by the smallest powers of ten; other data do not scale")
    func scales() throws {
        let network = FlowNetwork(nodeCount: 3,
                                  arcs: [FlowArc(tail: 0, head: 1, capacity: 1926.3999999999999, unitCost: 65.425),
                                         FlowArc(tail: 1, head: 2, capacity: 2.2, unitCost: 14.25),
                                         FlowArc(tail: 0, head: 2, unitCost: 1000)],
                                  supply: [100.5, 0, -100.5])
        let scaled = try #require(network.decimallyScaled())
        #expect(scaled.flowScale == 10 && scaled.costScale == 1000)
        #expect(scaled.network.arcs[0].capacity == 19264 && scaled.network.arcs[0].unitCost == 65425)
        let solution = try #require(try NetworkSimplex(scaled.network).solve().optimalSolution)
        let original = scaled.unscale(solution, original: network)
        #expect(certificateViolations(network, original, tolerance: 1e-9) == [])
        let glpk = try #require(try network.solve(using: .glpkSimplex).optimalSolution)
        #expect(abs(original.cost - glpk.cost) <= 1e-9 * abs(glpk.cost))

        var third = network
        third.arcs[2].unitCost = 1.0 / 3.0
        #expect(third.decimallyScaled() == nil)
    }
}
