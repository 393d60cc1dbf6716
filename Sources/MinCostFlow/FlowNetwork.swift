/// One arc of a ``FlowNetwork``: flow from `tail` to `head` in `[lower, capacity]` at
/// `unitCost` per unit.
public struct FlowArc: Sendable, Hashable {
    /// The 0-based node the flow leaves.
    public var tail: Int
    /// The 0-based node the flow enters.
    public var head: Int
    /// The least flow on the arc (finite).
    public var lower: Double
    /// The most flow on the arc; `.infinity` for an uncapacitated arc.
    public var capacity: Double
    /// The cost of one unit of flow (finite, may be negative).
    public var unitCost: Double

    /// Creates an arc; by default uncapacitated with lower bound 0.
    public init(tail: Int, head: Int, lower: Double = 0, capacity: Double = .infinity, unitCost: Double) {
        self.tail = tail
        self.head = head
        self.lower = lower
        self.capacity = capacity
        self.unitCost = unitCost
    }
}

/// A single-commodity min-cost flow instance: nodes `0..<nodeCount`, arcs, supplies.
///
/// Feasible flows `x` satisfy `lower ≤ x_a ≤ capacity` on every arc and
/// `Σ_{a out of i} x_a − Σ_{a into i} x_a = supply[i]` at every node; the optimum minimises
/// `Σ unitCost_a · x_a`.
public struct FlowNetwork: Sendable, Hashable {
    /// The number of nodes (at least 1).
    public var nodeCount: Int
    /// The arcs; parallel arcs and self-loops are allowed.
    public var arcs: [FlowArc]
    /// Net supply per node: positive sends, negative receives; must sum to 0.
    public var supply: [Double]

    /// Creates a network; `supply` defaults to all zeros.
    ///
    /// - Complexity: O(n) for n nodes when `supply` is defaulted, else O(1).
    public init(nodeCount: Int, arcs: [FlowArc] = [], supply: [Double]? = nil) {
        self.nodeCount = nodeCount
        self.arcs = arcs
        self.supply = supply ?? Array(repeating: 0, count: max(nodeCount, 0))
    }

    /// The relative tolerance on `Σ supply = 0`: the sum may be off by this times
    /// `max(1, Σ |supply|)` (rounding in the caller's arithmetic), no more.
    public static let balanceTolerance = 1e-9

    /// Checks the network before any solver sees it.
    ///
    /// Rejected: no nodes, more than 10^8 nodes or 5·10^8 arcs; `supply.count ≠ nodeCount`;
    /// a tail or head out of range; a non-finite supply, lower bound or unit cost; a NaN or
    /// −∞ capacity; a capacity below the lower bound; any finite number above 2^53 in
    /// magnitude; supplies that do not sum to zero (see ``balanceTolerance``).
    ///
    /// - Throws: ``FlowError/invalidInput(_:)`` naming the node or arc.
    /// - Complexity: O(n + m).
    public func validate() throws(FlowError) {
        guard nodeCount >= 1 else {
            throw .invalidInput("nodeCount is \(nodeCount); a network needs at least one node")
        }
        guard nodeCount <= GLPKLimits.maxRowsOrColumns else {
            throw .invalidInput("nodeCount \(nodeCount) exceeds GLPK's limit of \(GLPKLimits.maxRowsOrColumns)")
        }
        guard arcs.count <= GLPKLimits.maxRowsOrColumns else {
            throw .invalidInput("\(arcs.count) arcs exceed GLPK's limit of \(GLPKLimits.maxRowsOrColumns)")
        }
        guard supply.count == nodeCount else {
            throw .invalidInput("supply has \(supply.count) entries for \(nodeCount) nodes; give one per node")
        }
        var sent = 0.0
        var received = 0.0
        for (i, value) in supply.enumerated() {
            try Self.check(value, "node \(i): supply")
            if value > 0 { sent += value } else { received -= value }
        }
        for (k, arc) in arcs.enumerated() {
            guard (0..<nodeCount).contains(arc.tail) else {
                throw .invalidInput("arc \(k): tail \(arc.tail) is out of range 0..<\(nodeCount)")
            }
            guard (0..<nodeCount).contains(arc.head) else {
                throw .invalidInput("arc \(k): head \(arc.head) is out of range 0..<\(nodeCount)")
            }
            let label = { "arc \(k) (\(arc.tail)→\(arc.head))" }  // built only for a message
            try Self.check(arc.lower, "\(label()): lower bound")
            try Self.check(arc.unitCost, "\(label()): unit cost")
            if arc.capacity != .infinity {
                try Self.check(arc.capacity, "\(label()): capacity", infinityAllowed: true)
            }
            guard arc.capacity >= arc.lower else {
                throw .invalidInput("\(label()): capacity \(arc.capacity) is below lower bound \(arc.lower)")
            }
        }
        let imbalance = sent - received
        guard abs(imbalance) <= Self.balanceTolerance * max(1, sent + received) else {
            throw .invalidInput("supplies sum to \(imbalance) (nodes send \(sent), receive \(received)); they must sum to 0")
        }
    }

    private static func check(_ value: Double, _ what: @autoclosure () -> String, infinityAllowed: Bool = false) throws(FlowError) {
        guard value.isFinite else {
            throw .invalidInput("\(what()) is \(value); a finite number is required" + (infinityAllowed ? " (or +infinity for no capacity)" : ""))
        }
        guard abs(value) <= GLPKLimits.maxMagnitude else {
            throw .invalidInput("\(what()) \(value) exceeds 2^53 in magnitude")
        }
    }
}

/// Which algorithm solves a ``FlowNetwork``.
public enum FlowAlgorithm: Sendable, Hashable, CaseIterable {
    /// The LP (one column per arc, one equality row per node) by GLPK's primal simplex.
    /// Accepts any finite data.
    case glpkSimplex
    /// GLPK's out-of-kilter algorithm (`glp_mincost_okalg`). Needs integral supplies,
    /// bounds and costs within ±(2^31 − 1).
    case glpkOutOfKilter
    /// RoutePlanner's own primal network simplex (``NetworkSimplex``), much faster than both
    /// GLPK solvers on large networks. Needs integral data within ``NetworkSimplex/limit``.
    case networkSimplex
    /// The network simplex when the data suit it (integral, within its bounds), else GLPK's
    /// simplex.
    case automatic
}

/// The answer to a min-cost flow problem. "No answer" is an outcome, not an error.
public enum FlowOutcome: Sendable, Hashable {
    /// An optimal flow with optimal potentials.
    case optimal(FlowSolution)
    /// No flow meets every supply within the arc bounds. Checked first: an instance that is
    /// infeasible *and* has a negative-cost cycle of unbounded capacity is `infeasible`.
    case infeasible(reason: String)
    /// The instance is feasible and a directed cycle of uncapacitated arcs has negative
    /// total cost, so the cost decreases without limit; the reason names the cycle.
    case unbounded(reason: String)

    /// The solution when the outcome is ``optimal(_:)``, else `nil`.
    public var optimalSolution: FlowSolution? {
        if case .optimal(let solution) = self { return solution }
        return nil
    }
}

/// An optimal flow and its certificate.
///
/// Sign convention: the reduced cost of arc (i → j) is `unitCost − potential[i] + potential[j]`;
/// it is ≥ 0 where the flow is below capacity and ≤ 0 where the flow is above the lower bound
/// (so 0 on arcs strictly between their bounds). Potentials are the duals of the rows
/// `outflow − inflow = supply`, and `Σ supply·potential + Σ_arcs (lower·max(d, 0) +
/// capacity·min(d, 0)) = cost`. Potentials are unique only up to a constant per connected part.
public struct FlowSolution: Sendable, Hashable {
    /// Flow per arc, indexed like ``FlowNetwork/arcs``.
    public var flow: [Double]
    /// Potential (dual value) per node.
    public var potential: [Double]
    /// The total cost `Σ unitCost · flow`.
    public var cost: Double

    /// Creates a solution (normally made by ``FlowNetwork/solve(using:)``).
    public init(flow: [Double], potential: [Double], cost: Double) {
        self.flow = flow
        self.potential = potential
        self.cost = cost
    }
}

/// Why a min-cost flow could not be solved: the input is malformed, or a solver failed.
public enum FlowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The network breaks a rule of ``FlowNetwork/validate()``; the message names the node or arc.
    case invalidInput(String)
    /// The out-of-kilter solver or the network simplex needs integers and this number is not
    /// one (or, for out-of-kilter, exceeds 2^31 − 1).
    case notIntegral(String)
    /// A number the out-of-kilter solver would compute exceeds 32-bit integers, or one the
    /// network simplex would compute exceeds ``NetworkSimplex/limit``.
    case overflow(String)
    /// GLPK returned a code that is not an answer (for `GLP_EDATA`: a bug in RoutePlanner's checks).
    case solverFailed(code: Int32, meaning: String)

    /// A one-line description.
    public var description: String {
        switch self {
        case .invalidInput(let message): return "invalid flow network: \(message)"
        case .notIntegral(let message): return "not integral: \(message)"
        case .overflow(let message): return "overflow: \(message)"
        case .solverFailed(let code, let meaning): return "GLPK failed (code \(code)): \(meaning)"
        }
    }
}
