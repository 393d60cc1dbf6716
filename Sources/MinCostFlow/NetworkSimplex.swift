/// Min-cost flow by the primal network simplex on a spanning tree basis, for integral data.
///
/// Building a `NetworkSimplex` checks and converts a ``FlowNetwork`` once (lower bounds
/// shifted away, self-loops set aside, arcs interleaved so that each pricing block sees many
/// tails); ``solve()`` runs the simplex from an artificial starting basis (big-M) with block
/// search pricing and Cunningham's leaving-arc rule (strongly feasible trees, so degenerate
/// pivots never cycle). The design follows LEMON's `NetworkSimplex`; see
/// `docs/min-cost-flow.md`.
///
/// Data: supplies, lower bounds, finite capacities and unit costs must be integers (each at
/// most 2^53 in magnitude, as ``FlowNetwork/validate()`` demands). Two derived sums must stay
/// within ``limit`` (2^60) so that 64-bit arithmetic cannot overflow: the flow bound
/// `Σ positive supplies + Σ finite (capacity − lower)` after shifting, and the artificial
/// cost `(max |unit cost| + 1) · (n + 1)`. Use ``FlowAlgorithm/automatic`` to fall back to
/// GLPK's simplex for other data.
///
/// Outcome precedence is that of ``FlowNetwork/solve(using:)``: feasibility first. When a
/// pivot finds an unbounded cycle, a second run with zero costs decides whether any flow
/// meets the supplies; only then is the answer ``FlowOutcome/unbounded(reason:)``.
public struct NetworkSimplex: Sendable {
    /// Bound on the flow and cost sums derived from the data (2^60), so that potentials,
    /// reduced costs and flows fit in `Int64` with room to spare.
    public static let limit: Int64 = 1 << 60

    /// Counters from one ``solve(statistics:)``.
    public struct Statistics: Sendable, Hashable {
        /// Pivots of the main run (degenerate ones included).
        public var pivots = 0
        /// Pivots of the zero-cost feasibility run (done only after an unbounded cycle).
        public var feasibilityPivots = 0
        /// Zero counts.
        public init() {}
    }

    /// The network as given.
    public let network: FlowNetwork
    /// Solver arc `p` is network arc `networkArc[p]`; self-loops are not solver arcs.
    private let networkArc: [Int32]
    private let tails: [Int32]
    private let heads: [Int32]
    private let costs: [Int64]
    /// `capacity − lower`, or ``SpanningTreeBasis/unlimited``.
    private let capacities: [Int64]
    /// Supplies after moving every lower bound's flow.
    private let supplies: [Int64]
    private let artificialCost: Int64
    private let selfLoops: [Int]

    /// Checks and converts `network` (the "build" step).
    ///
    /// - Throws: ``FlowError/invalidInput(_:)`` if ``FlowNetwork/validate()`` fails;
    ///   ``FlowError/notIntegral(_:)`` for a number that is not an integer;
    ///   ``FlowError/overflow(_:)`` when a derived sum exceeds ``limit``.
    /// - Complexity: O(n + m).
    public init(_ network: FlowNetwork) throws(FlowError) {
        try network.validate()
        try self.init(validated: network)
    }

    /// As ``init(_:)`` for a network that passed ``FlowNetwork/validate()``.
    package init(validated network: FlowNetwork) throws(FlowError) {
        self.network = network
        let n = network.nodeCount
        func integer(_ value: Double, _ what: @autoclosure () -> String) throws(FlowError) -> Int64 {
            guard value.rounded(.towardZero) == value else {
                throw .notIntegral("\(what()) is \(value); the network simplex needs integers (use .glpkSimplex or .automatic otherwise)")
            }
            return Int64(value)  // |value| ≤ 2^53, checked by validate()
        }
        func overflow(_ what: String) -> FlowError {
            .overflow("\(what) exceeds 2^60, the network simplex's bound for 64-bit arithmetic (use .glpkSimplex or .automatic)")
        }

        var supply = [Int64](repeating: 0, count: n)
        for i in 0..<n { supply[i] = try integer(network.supply[i], "node \(i): supply") }
        var loops: [Int] = []
        var order: [Int] = []
        order.reserveCapacity(network.arcs.count)
        var maxCost: Int64 = 0
        var capacityTotal: Int64 = 0
        var shiftedCapacity = [Int64](repeating: SpanningTreeBasis.unlimited, count: network.arcs.count)
        var cost = [Int64](repeating: 0, count: network.arcs.count)
        for (k, arc) in network.arcs.enumerated() {
            let label = { "arc \(k) (\(arc.tail)→\(arc.head))" }  // built only for a message
            let lower = try integer(arc.lower, "\(label()): lower bound")
            cost[k] = try integer(arc.unitCost, "\(label()): unit cost")
            if arc.capacity.isFinite {
                shiftedCapacity[k] = try integer(arc.capacity, "\(label()): capacity") - lower  // both ≤ 2^53
            }
            if arc.tail == arc.head {
                loops.append(k)
                continue
            }
            order.append(k)
            maxCost = max(maxCost, abs(cost[k]))
            if shiftedCapacity[k] != SpanningTreeBasis.unlimited {
                capacityTotal += shiftedCapacity[k]
                guard capacityTotal <= Self.limit else { throw overflow("the sum of finite capacities (less lower bounds)") }
            }
            if lower != 0 {
                let (t, o1) = supply[arc.tail].subtractingReportingOverflow(lower)
                let (h, o2) = supply[arc.head].addingReportingOverflow(lower)
                guard !o1, !o2, abs(t) <= Self.limit, abs(h) <= Self.limit else {
                    throw overflow("a supply after moving arc lower bounds")
                }
                supply[arc.tail] = t
                supply[arc.head] = h
            }
        }
        var supplyTotal: Int64 = 0
        for value in supply where value > 0 {
            supplyTotal += value
            guard supplyTotal <= Self.limit else { throw overflow("the total supply after moving arc lower bounds") }
        }
        guard capacityTotal + supplyTotal <= Self.limit else { throw overflow("total supply + Σ finite capacities") }
        let (product, o) = (maxCost + 1).multipliedReportingOverflow(by: Int64(n + 1))
        guard !o, product <= Self.limit else {
            throw overflow("the artificial cost (max |unit cost| + 1) · (nodes + 1) = (\(maxCost) + 1) · \(n + 1)")
        }

        // Interleave the arcs (arc files list them by tail): position i, i + stride, i + 2·stride, …
        let m = order.count
        let stride = max(3, m / max(n, 1))
        var position = 0
        var round = 0
        var networkArc = [Int32](repeating: 0, count: m)
        for k in order {
            networkArc[position] = Int32(k)
            position += stride
            if position >= m {
                round += 1
                position = round
            }
        }
        var tails = [Int32](repeating: 0, count: m)
        var heads = [Int32](repeating: 0, count: m)
        var costs = [Int64](repeating: 0, count: m)
        var capacities = [Int64](repeating: 0, count: m)
        network.arcs.withUnsafeBufferPointer { arcs in
            for p in 0..<m {
                let k = Int(networkArc[p])
                tails[p] = Int32(arcs[k].tail)
                heads[p] = Int32(arcs[k].head)
                costs[p] = cost[k]
                capacities[p] = shiftedCapacity[k]
            }
        }
        self.networkArc = networkArc
        self.tails = tails
        self.heads = heads
        self.costs = costs
        self.capacities = capacities
        self.supplies = supply
        self.artificialCost = product
        self.selfLoops = loops
    }

    /// Solves the instance.
    ///
    /// - Returns: an optimal flow with potentials (sign convention of ``FlowSolution``), or
    ///   why there is none: ``FlowOutcome/infeasible(reason:)`` before
    ///   ``FlowOutcome/unbounded(reason:)``.
    /// - Complexity: no polynomial bound (the primal network simplex can take exponentially
    ///   many pivots); in practice near-linear pivots, each O(√m + cycle length + size of
    ///   the subtree that moves). Memory O(n + m).
    public func solve() -> FlowOutcome {
        var statistics = Statistics()
        return solve(statistics: &statistics)
    }

    /// As ``solve()``, and reports pivot counts in `statistics`.
    ///
    /// - Complexity: as ``solve()``.
    public func solve(statistics: inout Statistics) -> FlowOutcome {
        var basis = SpanningTreeBasis(tails: tails, heads: heads, costs: costs, capacities: capacities,
                                      supplies: supplies, artificialCost: artificialCost)
        let termination = basis.run(warmStart: warmStartArcs())
        statistics.pivots = basis.pivots
        switch termination {
        case .unbounded(let cycle):
            var feasibility = SpanningTreeBasis(tails: tails, heads: heads, costs: costs, capacities: capacities,
                                                supplies: supplies, artificialCost: 1, zeroCosts: true)
            _ = feasibility.run()
            statistics.feasibilityPivots = feasibility.pivots
            if let reason = infeasibility(feasibility) { return .infeasible(reason: reason) }
            let arcs = cycle.compactMap { $0 < networkArc.count ? Int(networkArc[$0]) : nil }
            if arcs.count == cycle.count {
                return .unbounded(reason: network.describe(cycle: arcs))
            }
            // Not reached: a cycle through the root costs at least the artificial cost.
            if let found = network.negativeUncapacitatedCycle() { return .unbounded(reason: network.describe(cycle: found)) }
            return .unbounded(reason: "the network simplex found a cycle of uncapacitated arcs with negative cost")
        case .optimal:
            if let reason = infeasibility(basis) { return .infeasible(reason: reason) }
            if let loop = selfLoops.first(where: { network.arcs[$0].unitCost < 0 && network.arcs[$0].capacity == .infinity }) {
                return .unbounded(reason: network.describe(cycle: [loop]))
            }
            return .optimal(solution(from: basis))
        }
    }

    /// Why the supplies cannot be met, if an artificial arc still carries flow.
    private func infeasibility(_ basis: borrowing SpanningTreeBasis) -> String? {
        let m = networkArc.count
        var unsent: Int64 = 0
        var example: (node: Int, amount: Int64, sends: Bool)?
        for u in 0..<supplies.count {
            let amount = basis.flow[m + u]
            guard amount != 0 else { continue }
            let sends = Int(basis.tail[m + u]) == u
            if sends { unsent += amount }
            if example == nil { example = (u, amount, sends) }
        }
        guard let example else { return nil }
        let what = example.sends ? "cannot send \(example.amount) of its supply" : "cannot receive \(example.amount) of its demand"
        return "no flow meets every supply within the arc bounds: \(unsent) unit\(unsent == 1 ? "" : "s") of supply cannot reach a demand (network simplex; e.g. node \(example.node) \(what), after moving lower bounds)"
    }

    /// The flow, potentials and cost of an optimal basis, in the network's terms.
    private func solution(from basis: borrowing SpanningTreeBasis) -> FlowSolution {
        let arcs = network.arcs
        var flow = [Double](repeating: 0, count: arcs.count)
        for p in 0..<networkArc.count {
            let k = Int(networkArc[p])
            flow[k] = arcs[k].lower + Double(basis.flow[p])
        }
        for k in selfLoops {
            flow[k] = arcs[k].unitCost < 0 ? arcs[k].capacity : arcs[k].lower
        }
        var potential = [Double](repeating: 0, count: network.nodeCount)
        // Relative to the root: pivots that shift the root's side let its potential drift (the
        // wrapping arithmetic keeps every difference exact).
        let rootPotential = basis.pi[basis.root]
        for u in 0..<network.nodeCount { potential[u] = -Double(basis.pi[u] &- rootPotential) }
        var cost = 0.0
        for k in 0..<arcs.count { cost += arcs[k].unitCost * flow[k] }
        return FlowSolution(flow: flow, potential: potential, cost: cost)
    }

    /// Arcs to pivot in before block search (each only if it prices out at its turn), to
    /// replace artificial arcs cheaply. With one supply node and one demand node: the arcs of a
    /// backward depth-first search from the demand node over arcs that can carry the whole
    /// supply (a skeleton of paths that need no splitting). Otherwise: the cheapest arc into
    /// each demand node. (LEMON's `NetworkSimplex` starts the same way.)
    ///
    /// - Complexity: O(n + m).
    private func warmStartArcs() -> [Int] {
        let n = supplies.count
        var source = -1, sink = -1, sources = 0, sinks = 0
        for u in 0..<n {
            if supplies[u] > 0 { source = u; sources += 1 } else if supplies[u] < 0 { sink = u; sinks += 1 }
        }
        guard sources == 1 && sinks == 1 else { return cheapestArcIntoEachDemandNode() }
        let total = supplies[source]
        // Incoming arcs per node (counting sort by head).
        var start = [Int32](repeating: 0, count: n + 1)
        for p in 0..<heads.count { start[Int(heads[p]) + 1] += 1 }
        for u in 0..<n { start[u + 1] += start[u] }
        var fill = start
        var incoming = [Int32](repeating: 0, count: heads.count)
        for p in 0..<heads.count {
            let v = Int(heads[p])
            incoming[Int(fill[v])] = Int32(p)
            fill[v] += 1
        }
        var reached = [Bool](repeating: false, count: n)
        var stack = [sink]
        var arcs: [Int] = []
        reached[sink] = true
        while let v = stack.popLast(), v != source {
            for i in Int(start[v])..<Int(start[v + 1]) {
                let p = Int(incoming[i])
                let u = Int(tails[p])
                guard !reached[u], capacities[p] >= total else { continue }
                arcs.append(p)
                reached[u] = true
                stack.append(u)
            }
        }
        return arcs
    }

    /// For every node with demand, its cheapest incoming arc.
    ///
    /// - Complexity: O(n + m).
    private func cheapestArcIntoEachDemandNode() -> [Int] {
        let n = supplies.count
        var best = [Int32](repeating: -1, count: n)
        for p in 0..<tails.count {
            let v = Int(heads[p])
            guard supplies[v] < 0 else { continue }
            let current = Int(best[v])
            if current < 0 || costs[p] < costs[current] { best[v] = Int32(p) }
        }
        return best.compactMap { $0 >= 0 ? Int($0) : nil }
    }

    #if DEBUG
    /// Runs the simplex and checks the tree invariants after every pivot (tests only).
    func invariantViolationsDuringSolve(maxPivots: Int = 10_000) -> [String] {
        var basis = SpanningTreeBasis(tails: tails, heads: heads, costs: costs, capacities: capacities,
                                      supplies: supplies, artificialCost: artificialCost)
        var issues = basis.invariantViolations(supplies: supplies)
        var steps = 0
        while issues.isEmpty && steps < maxPivots {
            let before = basis.pivots
            guard case .optimal = basis.runOnePivot() else { break }
            if basis.pivots == before { break }
            issues = basis.invariantViolations(supplies: supplies).map { "after pivot \(basis.pivots): \($0)" }
            steps += 1
        }
        return issues
    }
    #endif
}
