import TestFixtures
@testable import MinCostFlow
@testable import GLPKSolver
@testable import Simulation

/// Everything wrong with `solution` as a certificate of optimality for `network`: bounds,
/// conservation, complementary slackness (with the sign convention of `FlowSolution`), and
/// dual objective = primal objective. Empty means the certificate holds.
func certificateViolations(_ network: FlowNetwork, _ solution: FlowSolution, tolerance: Double = 1e-6) -> [String] {
    var issues: [String] = []
    guard solution.flow.count == network.arcs.count, solution.potential.count == network.nodeCount else {
        return ["sizes: \(solution.flow.count) flows for \(network.arcs.count) arcs, \(solution.potential.count) potentials for \(network.nodeCount) nodes"]
    }
    var balance = [Double](repeating: 0, count: network.nodeCount)
    var primal = 0.0
    var dual = zip(network.supply, solution.potential).reduce(0) { $0 + $1.0 * $1.1 }
    for (k, arc) in network.arcs.enumerated() {
        let x = solution.flow[k]
        if x < arc.lower - tolerance || x > arc.capacity + tolerance {
            issues.append("arc \(k): flow \(x) outside [\(arc.lower), \(arc.capacity)]")
        }
        balance[arc.tail] += x
        balance[arc.head] -= x
        primal += arc.unitCost * x
        let reduced = arc.unitCost - solution.potential[arc.tail] + solution.potential[arc.head]
        if x < arc.capacity - tolerance && reduced < -tolerance {
            issues.append("arc \(k): flow \(x) below capacity but reduced cost \(reduced) < 0")
        }
        if x > arc.lower + tolerance && reduced > tolerance {
            issues.append("arc \(k): flow \(x) above lower bound but reduced cost \(reduced) > 0")
        }
        if reduced > 0 { dual += arc.lower * reduced } else if reduced < 0 { dual += arc.capacity * reduced }
    }
    for i in 0..<network.nodeCount where abs(balance[i] - network.supply[i]) > tolerance {
        issues.append("node \(i): outflow − inflow = \(balance[i]), supply \(network.supply[i])")
    }
    let scale = max(1, abs(primal))
    if abs(primal - solution.cost) > tolerance * scale {
        issues.append("reported cost \(solution.cost) ≠ Σ cost·flow \(primal)")
    }
    if !(abs(dual - primal) <= tolerance * scale) {
        issues.append("dual objective \(dual) ≠ primal objective \(primal)")
    }
    return issues
}

/// The kind of a flow outcome, for comparing solvers.
enum OutcomeKind: String, Hashable, Sendable {
    case optimal, infeasible, unbounded
    init(_ outcome: FlowOutcome) {
        switch outcome {
        case .optimal: self = .optimal
        case .infeasible: self = .infeasible
        case .unbounded: self = .unbounded
        }
    }
}

/// A seeded random network with integral data (5–40 nodes). Seeds ≡ 0, 1 (mod 10) give
/// tight, finitely capacitated networks with large supplies (often infeasible); ≡ 2, 3 allow
/// negative costs on uncapacitated arcs (often unbounded); the rest have an uncapacitated
/// ring of positive cost (feasible unless lower bounds interfere), and finite arcs with
/// negative costs (negative cycles of finite capacity).
func randomNetwork(seed: UInt64) -> FlowNetwork {
    var random = SeededGenerator(seed: seed &* 0x2545_F491_4F6C_DD1D &+ 17)
    let n = Int.random(in: 5...40, using: &random)
    let kind = seed % 10
    let tight = kind <= 1
    var arcs: [FlowArc] = []
    if !tight {
        for i in 0..<n {
            arcs.append(FlowArc(tail: i, head: (i + 1) % n, unitCost: Double(Int.random(in: 10...30, using: &random))))
        }
    }
    let m = n * Int.random(in: 2...4, using: &random)
    for _ in 0..<m {
        let tail = Int.random(in: 0..<n, using: &random)
        var head = Int.random(in: 0..<n, using: &random)
        if head == tail && Int.random(in: 0..<10, using: &random) > 0 { head = (tail + 1) % n }  // keep a few self-loops
        let uncapacitated = !tight && Int.random(in: 0..<4, using: &random) == 0
        let capacity = uncapacitated ? Double.infinity : Double(Int.random(in: 0...20, using: &random))
        var lower = 0.0
        if Int.random(in: 0..<10, using: &random) == 0 {
            lower = Double(Int.random(in: 1...3, using: &random))
            if capacity < lower { lower = capacity }
        }
        let cost: Double
        if uncapacitated && (kind == 2 || kind == 3) {
            cost = Double(Int.random(in: -8...10, using: &random))
        } else if uncapacitated {
            cost = Double(Int.random(in: 0...20, using: &random))
        } else {
            cost = Double(Int.random(in: -5...20, using: &random))
        }
        arcs.append(FlowArc(tail: tail, head: head, lower: lower, capacity: capacity, unitCost: cost))
    }
    var supply = [Double](repeating: 0, count: n)
    let pairs = Int.random(in: 1...max(1, n / 4), using: &random)
    for _ in 0..<pairs {
        let source = Int.random(in: 0..<n, using: &random)
        let sink = Int.random(in: 0..<n, using: &random)
        let amount = Double(Int.random(in: 1...15, using: &random) * (tight ? 3 : 1))
        supply[source] += amount
        supply[sink] -= amount
    }
    return FlowNetwork(nodeCount: n, arcs: arcs, supply: supply)
}
