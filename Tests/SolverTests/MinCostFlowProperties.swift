import Foundation
import PropertyBased
import Testing
import TestFixtures
@testable import MinCostFlow
@testable import GLPKSolver

/// Random min-cost flow instances with integral data, built from shrinkable parts: 2–8 nodes;
/// up to 30 arcs (ends taken modulo the node count, so self-loops occur; lower bound 0, or 1–2
/// on a fifth of them; capacity 0–20 or uncapacitated; cost −5…20, so negative cycles of finite
/// and of infinite capacity occur); 1–3 supply pairs of 1–10 units; flows (bounds, supplies)
/// and costs each scaled by 1, 10, …, 10⁶. A mix of optimal, infeasible and unbounded instances;
/// shrinking drops arcs and pairs and moves numbers towards 0 and scales towards 1.
let randomFlowNetworks = zip(
    Gen.int(in: 2...8),
    zip(Gen.int(in: 0...9), Gen.int(in: 0...9), Gen.int(in: 0...9), Gen.int(in: -3...20), Gen.int(in: -5...20))
        .array(of: 0...30),
    zip(Gen.int(in: 0...9), Gen.int(in: 0...9), Gen.int(in: 1...10)).array(of: 1...3),
    zip(Gen.int(in: 0...6), Gen.int(in: 0...6))
).map { nodes, arcs, pairs, scales in
    let flowScale = pow(10, Double(scales.0)), costScale = pow(10, Double(scales.1))
    var supply = [Double](repeating: 0, count: nodes)
    for (source, sink, amount) in pairs {
        supply[source % nodes] += Double(amount) * flowScale
        supply[sink % nodes] -= Double(amount) * flowScale
    }
    return FlowNetwork(nodeCount: nodes, arcs: arcs.map { tail, head, lower, capacity, cost in
        // Lower bounds are rare (0–7 → 0) and never above the capacity; −3…−1 is uncapacitated.
        let capacity = capacity < 0 ? Double.infinity : Double(capacity)
        return FlowArc(tail: tail % nodes, head: head % nodes, lower: min(Double(max(0, lower - 7)), capacity) * flowScale,
                       capacity: capacity * flowScale, unitCost: Double(cost) * costScale)
    }, supply: supply)
}

/// Property tests of the network simplex against its certificate and GLPK's LP. A failure
/// names the shrunk instance and the `.fixedSeed(…)` that replays it.
@Suite("Min-cost flow properties")
struct MinCostFlowProperties {
    /// The network simplex's optimum is feasible (bounds, conservation), certified optimal by its
    /// potentials (complementary slackness, dual = primal) and costs what GLPK's simplex finds;
    /// infeasible and unbounded instances get the same answer from both. 2,000 instances, ~1 s.
    @Test func networkSimplexIsCertifiedAndAgreesWithGLPK() async {
        await propertyCheck(count: propertyCount(2_000), input: randomFlowNetworks) { network in
            let ours = try network.solve(using: .networkSimplex)
            let glpk = try network.solve(using: .glpkSimplex)
            #expect(OutcomeKind(ours) == OutcomeKind(glpk), "network simplex \(ours) vs GLPK \(glpk)")
            if case .optimal(let solution) = ours {
                #expect(certificateViolations(network, solution, tolerance: 1e-9) == [])
                if case .optimal(let reference) = glpk {
                    #expect(abs(solution.cost - reference.cost) <= 1e-9 * max(1, abs(reference.cost)),
                            "network simplex \(solution.cost) vs GLPK \(reference.cost)")
                }
            }
            // Feasibility does not depend on costs: the zero-cost instance is infeasible exactly
            // when this one is (so "unbounded" was not said of an infeasible instance).
            var zeroCost = network
            for k in zeroCost.arcs.indices { zeroCost.arcs[k].unitCost = 0 }
            let feasible = try zeroCost.solve(using: .glpkSimplex).optimalSolution != nil
            #expect(feasible == (OutcomeKind(ours) != .infeasible), "zero-cost instance feasible: \(feasible); \(ours)")
        }
    }

    /// The generator reaches every outcome, each in at least 5 % of instances, and infeasible
    /// instances that also have a negative uncapacitated cycle, so the property tests them all.
    @Test func randomNetworksCoverEveryOutcome() throws {
        var random = Xoshiro(seed: (1, 2, 3, 4))
        var counts: [OutcomeKind: Int] = [:]
        var infeasibleWithCycle = 0
        for _ in 0..<300 {
            let network = randomFlowNetworks.run(using: &random)
            let kind = OutcomeKind(try network.solve(using: .networkSimplex))
            counts[kind, default: 0] += 1
            if kind == .infeasible && network.negativeUncapacitatedCycle() != nil { infeasibleWithCycle += 1 }
        }
        #expect(counts[.optimal, default: 0] >= 15 && counts[.infeasible, default: 0] >= 15
                    && counts[.unbounded, default: 0] >= 15, "\(counts)")
        #expect(infeasibleWithCycle >= 3, "\(infeasibleWithCycle) infeasible instances with a negative uncapacitated cycle")
    }
}
