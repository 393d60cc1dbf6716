import Testing
@testable import MinCostFlow
@testable import GLPKSolver
@testable import Simulation

/// The classic 4-node example: ship 4 units from 0 to 3; optimum 14 (2 via 0→2→3, 2 via 0→1→2→3).
private let classic = FlowNetwork(
    nodeCount: 4,
    arcs: [
        FlowArc(tail: 0, head: 1, capacity: 4, unitCost: 2),
        FlowArc(tail: 0, head: 2, capacity: 2, unitCost: 2),
        FlowArc(tail: 1, head: 2, capacity: 2, unitCost: 1),
        FlowArc(tail: 1, head: 3, capacity: 3, unitCost: 3),
        FlowArc(tail: 2, head: 3, capacity: 5, unitCost: 1),
    ],
    supply: [4, 0, 0, -4])

@Suite("Min-cost flow")
struct MinCostFlowTests {
    @Test("classic network: optimum 14 with a valid certificate", arguments: FlowAlgorithm.allCases)
    func classicOptimum(algorithm: FlowAlgorithm) throws {
        let solution = try #require(try classic.solve(using: algorithm).optimalSolution)
        #expect(abs(solution.cost - 14) < 1e-9)
        #expect(certificateViolations(classic, solution) == [])
    }

    @Test("supply above the cut capacity is infeasible", arguments: FlowAlgorithm.allCases)
    func cutTooSmall(algorithm: FlowAlgorithm) throws {
        var network = classic
        network.supply = [7, 0, 0, -7]  // cut {0} has capacity 6
        guard case .infeasible = try network.solve(using: algorithm) else { Issue.record("expected infeasible"); return }
    }

    @Test("a negative-cost cycle of uncapacitated arcs is unbounded, named in the reason", arguments: FlowAlgorithm.allCases)
    func negativeCycle(algorithm: FlowAlgorithm) throws {
        var network = classic
        network.arcs.append(FlowArc(tail: 1, head: 2, unitCost: -3))  // arc 5
        network.arcs.append(FlowArc(tail: 2, head: 1, unitCost: 1))  // arc 6
        guard case .unbounded(let reason) = try network.solve(using: algorithm) else { Issue.record("expected unbounded"); return }
        #expect(reason.contains("arcs 5, 6") || reason.contains("arcs 6, 5"), "\(reason)")
    }

    @Test("infeasible wins over a negative uncapacitated cycle", arguments: FlowAlgorithm.allCases)
    func infeasibleWins(algorithm: FlowAlgorithm) throws {
        var network = classic
        network.supply = [7, 0, 0, -7]
        network.arcs.append(FlowArc(tail: 1, head: 2, unitCost: -3))
        network.arcs.append(FlowArc(tail: 2, head: 1, unitCost: 1))
        guard case .infeasible = try network.solve(using: algorithm) else { Issue.record("expected infeasible"); return }
    }

    @Test("a negative cycle of finite capacity is saturated, not unbounded", arguments: FlowAlgorithm.allCases)
    func finiteNegativeCycle(algorithm: FlowAlgorithm) throws {
        var network = classic
        network.arcs.append(FlowArc(tail: 3, head: 0, capacity: 1, unitCost: -10))
        let solution = try #require(try network.solve(using: algorithm).optimalSolution)
        // A fifth unit 0→1→3 (cost 5) returns by 3→0 (cost −10): 14 + 5 − 10 = 9.
        #expect(abs(solution.cost - 9) < 1e-9)
        #expect(solution.flow[5] == 1)
        #expect(certificateViolations(network, solution) == [])
    }

    @Test("self-loops, negative and positive lower bounds, uncapacitated arcs", arguments: FlowAlgorithm.allCases)
    func awkwardArcs(algorithm: FlowAlgorithm) throws {
        let network = FlowNetwork(
            nodeCount: 3,
            arcs: [
                FlowArc(tail: 0, head: 0, lower: 0, capacity: 4, unitCost: -2),  // saturated loop
                FlowArc(tail: 1, head: 1, lower: 1, capacity: 9, unitCost: 3),  // loop at lower
                FlowArc(tail: 0, head: 1, lower: -3, capacity: 5, unitCost: 1),  // may run backwards
                FlowArc(tail: 1, head: 2, lower: 2, unitCost: 4),  // uncapacitated, lower 2
                FlowArc(tail: 2, head: 0, unitCost: 1),
            ],
            supply: [-2, 0, 2])
        let solution = try #require(try network.solve(using: algorithm).optimalSolution)
        #expect(certificateViolations(network, solution) == [])
        // Loop 0: 4·(−2); loop 1: 1·3; 2→0 carries 4 and 0→1, 1→2 carry 2: 4 + 2·1 + 2·4 = 14 → −8 + 3 + 14 = 9.
        #expect(abs(solution.cost - 9) < 1e-9)
        #expect(solution.flow[0] == 4 && solution.flow[1] == 1)
    }

    @Test("an uncapacitated negative self-loop is unbounded", arguments: FlowAlgorithm.allCases)
    func negativeSelfLoop(algorithm: FlowAlgorithm) throws {
        var network = classic
        network.arcs.append(FlowArc(tail: 2, head: 2, unitCost: -1))
        guard case .unbounded(let reason) = try network.solve(using: algorithm) else { Issue.record("expected unbounded"); return }
        #expect(reason.contains("arcs 5 "), "\(reason)")
    }

    @Test("networks without arcs", arguments: FlowAlgorithm.allCases)
    func noArcs(algorithm: FlowAlgorithm) throws {
        let empty = FlowNetwork(nodeCount: 2)
        #expect(try empty.solve(using: algorithm) == .optimal(FlowSolution(flow: [], potential: [0, 0], cost: 0)))
        let stranded = FlowNetwork(nodeCount: 2, supply: [1, -1])
        guard case .infeasible(let reason) = try stranded.solve(using: algorithm) else { Issue.record("expected infeasible"); return }
        #expect(reason.contains("node 0"))
    }

    static let badNetworks: [(String, FlowNetwork, FlowAlgorithm, String)] = {
        var rows: [(String, FlowNetwork, FlowAlgorithm, String)] = []
        var n = classic
        n.supply = [5, 0, 0, -3]
        rows.append(("unbalanced", n, .glpkSimplex, "supplies sum to 2.0 (nodes send 5.0, receive 3.0)"))
        n = classic
        n.arcs[4].head = 9
        rows.append(("head out of range", n, .glpkOutOfKilter, "arc 4: head 9 is out of range 0..<4"))
        n = classic
        n.arcs[0].tail = -1
        rows.append(("tail out of range", n, .glpkSimplex, "arc 0: tail -1 is out of range"))
        n = classic
        n.arcs[2].unitCost = .nan
        rows.append(("NaN cost", n, .glpkSimplex, "arc 2 (1→2): unit cost is nan"))
        n = classic
        n.arcs[3].lower = 4
        rows.append(("capacity below lower", n, .glpkOutOfKilter, "arc 3 (1→3): capacity 3.0 is below lower bound 4.0"))
        n = classic
        n.arcs[3].capacity = -.infinity
        rows.append(("capacity −∞", n, .glpkSimplex, "arc 3 (1→3): capacity is -inf"))
        n = classic
        n.supply = [4, -4]
        rows.append(("supply count", n, .glpkSimplex, "supply has 2 entries for 4 nodes"))
        n = FlowNetwork(nodeCount: 0)
        rows.append(("no nodes", n, .glpkOutOfKilter, "nodeCount is 0"))
        n = classic
        n.supply = [1e300, 0, 0, -1e300]
        rows.append(("huge supply", n, .glpkSimplex, "node 0: supply 1e+300 exceeds 2^53"))
        n = classic
        n.supply = [1.5, 0, 0, -1.5]
        rows.append(("fractional supply (okalg)", n, .glpkOutOfKilter, "not integral: node 0: supply is 1.5"))
        n = classic
        n.arcs[1].unitCost = 0.25
        rows.append(("fractional cost (okalg)", n, .glpkOutOfKilter, "not integral: arc 1 (0→2): unit cost is 0.25"))
        n = classic
        n.arcs[4].capacity = 3e9
        rows.append(("capacity above 2^31 (okalg)", n, .glpkOutOfKilter, "not integral: arc 4 (2→3): capacity is 3000000000.0"))
        n = FlowNetwork(
            nodeCount: 2,
            arcs: [FlowArc(tail: 0, head: 1, capacity: 2_000_000_000, unitCost: 1), FlowArc(tail: 0, head: 1, unitCost: 2)],
            supply: [2_000_000_000, -2_000_000_000])
        rows.append(("stand-in capacity too large (okalg)", n, .glpkOutOfKilter, "overflow: uncapacitated arcs need a stand-in capacity"))
        return rows
    }()

    @Test("malformed networks throw, naming the node or arc", arguments: badNetworks)
    func rejectsBadNetwork(label: String, network: FlowNetwork, algorithm: FlowAlgorithm, fragment: String) {
        do {
            let outcome = try network.solve(using: algorithm)
            Issue.record("\(label): expected an error, got \(outcome)")
        } catch {
            #expect(error.description.contains(fragment), "\(label): \(error)")
        }
    }

    @Test("fractional data is fine for the simplex")
    func fractionalSimplex() throws {
        var network = classic
        network.supply = [1.5, 0, 0, -1.5]
        network.arcs[1].unitCost = 0.25
        let solution = try #require(try network.solve(using: .glpkSimplex).optimalSolution)
        #expect(certificateViolations(network, solution) == [])
        #expect(abs(solution.cost - 1.5 * 1.25) < 1e-9)
    }

    @Test("simplex and out-of-kilter agree on random networks", arguments: 0..<150 as Range<UInt64>)
    func crossCheck(seed: UInt64) throws {
        let network = randomNetwork(seed: seed)
        let bySimplex = try network.solve(using: .glpkSimplex)
        let byKilter = try network.solve(using: .glpkOutOfKilter)
        #expect(OutcomeKind(bySimplex) == OutcomeKind(byKilter), "seed \(seed): \(bySimplex) vs \(byKilter)")
        if case .optimal(let a) = bySimplex, case .optimal(let b) = byKilter {
            #expect(abs(a.cost - b.cost) <= 1e-6 * max(1, abs(a.cost)), "seed \(seed): \(a.cost) vs \(b.cost)")
            #expect(certificateViolations(network, a) == [], "seed \(seed), simplex")
            #expect(certificateViolations(network, b) == [], "seed \(seed), out-of-kilter")
        }
    }

    @Test("the random networks cover every outcome")
    func randomOutcomeMix() throws {
        var counts: [OutcomeKind: Int] = [:]
        for seed in 0..<150 as Range<UInt64> {
            counts[OutcomeKind(try randomNetwork(seed: seed).solve(using: .glpkOutOfKilter)), default: 0] += 1
        }
        #expect(counts[.optimal, default: 0] >= 50, "\(counts)")
        #expect(counts[.infeasible, default: 0] >= 15, "\(counts)")
        #expect(counts[.unbounded, default: 0] >= 5, "\(counts)")
    }
}
