import GLPKSolver
import MinCostFlow
import Routing
import NetworkData

/// The capacity period for splitting a volume over services.
public enum CapacityPeriod: String, CaseIterable, Sendable, Codable {
    /// A one-off shipment: each service offers one departure's capacity.
    case departure
    /// A weekly flow: each service offers departures per week × capacity per departure.
    case week
}

/// A service whose capacity binds in a split, and what one more TEU of it is worth.
public struct BindingCapacity: Sendable, Hashable {
    public var service: ServiceID
    public var capacityTEU: Double
    public var usedTEU: Double
    /// Objective saved per extra TEU of capacity (the capacity row's dual, sign flipped).
    public var dualUSDPerTEU: Double
}

/// How a volume splits across routes when one route's capacity is not enough.
public struct VolumeSplit: Sendable {
    public var period: CapacityPeriod
    public var requestedTEU: Double
    /// Routes with the TEU each carries, largest first; route totals are for that TEU.
    public var routes: [(route: Route, teu: Double)]
    public var unmetTEU: Double
    /// Objective of the carried volume (USD for cost and balanced).
    public var totalCostUSD: Double
    public var bindingServices: [BindingCapacity]
    /// Solves: master LP solves (column-generation iterations), or 1 for the network simplex.
    public var iterations: Int
    /// How the split was solved: ``VolumeSplitter/networkSimplexMethod`` or
    /// ``VolumeSplitter/columnGenerationMethod``.
    public var solver: String
    public var carriedTEU: Double { requestedTEU - unmetTEU }
}

/// Splits a volume over service capacities: the min-cost flow from origin to destination.
///
/// Without a deadline this is a pure network problem: one arc per usable arc of the query
/// graph (service arcs capacitated), plus an unmet-demand arc from origin to destination at a
/// high price, so the answer is never "infeasible". It is solved by ``NetworkSimplex`` after
/// scaling the decimal data to integers (``FlowNetwork/decimallyScaled(maxDecimalDigits:)``),
/// and the optimal arc flow is decomposed into routes; capacity duals are the reduced costs
/// of saturated service arcs.
///
/// A deadline binds each route, not each arc, so the problem is no longer a network flow: it
/// is solved as a path-based LP by ``ColumnGeneration``, the batch planner's engine (also the
/// fallback when the data are not decimals of at most 6 digits), with one demand and one
/// period: a demand row, one capacity row per service the routes found so far use, and the
/// unmet-demand column. Pricing is the lightest route within the deadline with capacity duals
/// subtracted from arc weights (an exact label-setting search). Stops when no route has
/// negative reduced cost.
///
/// Capacities come from ``ServiceCapacity``: TEU per departure (or per week) in the query's
/// month, a payload in tonnes converted at the query's own tonnes per TEU.
public struct VolumeSplitter: Sendable {
    /// ``VolumeSplit/solver`` for a split solved as an arc-based min-cost flow.
    public static let networkSimplexMethod = "network simplex, arc-based min-cost flow"
    /// ``VolumeSplit/solver`` for a split solved by column generation.
    public static let columnGenerationMethod = "GLPK simplex, column generation"

    public let router: Router
    /// Price of one TEU left behind, in objective units per TEU.
    public var unmetPenaltyPerTEU = 10_000_000.0
    public var maximumIterations = 200

    public init(router: Router) { self.router = router }

    /// Splits `query.teu` over capacities for `period`.
    /// - Throws: ``PlanningError/invalidOption(name:value:expected:)`` for a bad
    ///   `maximumIterations` or `unmetPenaltyPerTEU`; other ``PlanningError`` cases when a solver
    ///   fails (a bug).
    /// - Complexity: without a deadline, one network simplex solve on the query graph plus
    ///   O(p · (n + m)) to decompose the flow into p routes; with one, one LP solve and one
    ///   pricing search per column-generation iteration.
    public func split(_ query: RouteQuery, period: CapacityPeriod) throws(PlanningError) -> VolumeSplit {
        guard maximumIterations >= 1 else {
            throw .invalidOption(name: "maximumIterations", value: "\(maximumIterations)", expected: "at least 1")
        }
        guard unmetPenaltyPerTEU.isFinite && unmetPenaltyPerTEU >= 0 else {
            throw .invalidOption(name: "unmetPenaltyPerTEU", value: "\(unmetPenaltyPerTEU)", expected: "a finite number ≥ 0")
        }
        var perTEU = query
        perTEU.teu = 1
        perTEU.tonnes = query.tonnes / query.teu
        let endpoints = QueryGraph(graph: router.graph, query: perTEU)
        let graph = endpoints.graph
        let network = router.network
        let baseSearch = endpoints.search(objective: query.objective, respectCargo: true, deadlineHours: query.deadlineHours)
        let baseWeights = baseSearch.weights

        // Capacity per service arc in TEU for the period (none: the service declares no limit).
        var capacity: [Int: Double] = [:]
        for (id, arc) in graph.serviceArc {
            guard let model = network.service(id)?.capacity else { continue }
            capacity[arc] = switch period {
            case .departure: model.teuPerDeparture(tonnesPerTEU: perTEU.tonnes, month: query.month)
            case .week: model.teuPerWeek(tonnesPerTEU: perTEU.tonnes, month: query.month)
            }
        }
        if query.deadlineHours == nil,
           let split = try splitAsNetworkFlow(query, period: period, endpoints: endpoints, weights: baseWeights, capacity: capacity) {
            return split
        }

        let engine = ColumnGeneration(
            graphs: [PricingGraph(graph: endpoints, weights: baseWeights)],
            demands: [Demand(teu: query.teu, graph: 0, destination: 0, departures: [(week: 0, maxHours: query.deadlineHours ?? .infinity)])],
            unmetPenaltyPerTEU: unmetPenaltyPerTEU, maximumIterations: maximumIterations)
        let solution = try engine.solve { capacity[$0.arc] }
        guard !solution.columns.isEmpty else {
            // No route at all within the deadline: nothing to split.
            return VolumeSplit(period: period, requestedTEU: query.teu, routes: [], unmetTEU: query.teu,
                               totalCostUSD: 0, bindingServices: [], iterations: 0,
                               solver: Self.columnGenerationMethod)
        }
        var parts: [(route: Route, teu: Double)] = []
        var carriedCost = 0.0
        for (j, column) in solution.columns.enumerated() where solution.columnTEU[j] > 1e-6 {
            let teu = solution.columnTEU[j]
            var partQuery = query
            partQuery.teu = teu
            partQuery.tonnes = query.tonnes * teu / query.teu
            let route = endpoints.routeForVolume(WeightedPath(arcs: column.arcs, weight: solution.columnCost[j] * teu),
                                                 query: partQuery)
            parts.append((route, teu))
            carriedCost += solution.columnCost[j] * teu
        }
        parts.sort { $0.teu > $1.teu }
        var binding: [BindingCapacity] = []
        for (r, row) in solution.rows.enumerated() {
            guard case .service(let id) = graph.roles[row.arc] else { continue }
            let used = solution.rowActivity[r]
            guard used >= solution.rowCapacityTEU[r] - 1e-6 else { continue }
            binding.append(BindingCapacity(service: id, capacityTEU: solution.rowCapacityTEU[r], usedTEU: used,
                                           dualUSDPerTEU: -min(0, solution.rowDual[r])))
        }
        binding.sort { $0.dualUSDPerTEU > $1.dualUSDPerTEU }
        return VolumeSplit(period: period, requestedTEU: query.teu, routes: parts, unmetTEU: solution.unmetTEU[0],
                           totalCostUSD: carriedCost, bindingServices: binding, iterations: solution.iterations,
                           solver: Self.columnGenerationMethod)
    }

    /// The split as an arc-based min-cost flow solved by the network simplex, or `nil` when
    /// the data do not scale to integers the network simplex takes (the caller then uses
    /// column generation).
    private func splitAsNetworkFlow(_ query: RouteQuery, period: CapacityPeriod, endpoints: QueryGraph,
                                    weights: [Double], capacity: [Int: Double]) throws(PlanningError) -> VolumeSplit? {
        let graph = endpoints.graph
        var arcs: [FlowArc] = []
        var graphArc: [Int] = []  // flow arc → query-graph arc; the last flow arc is "unmet"
        for arc in 0..<graph.arcCount where weights[arc].isFinite {
            arcs.append(FlowArc(tail: graph.tails[arc], head: graph.heads[arc], capacity: capacity[arc] ?? .infinity,
                                unitCost: weights[arc]))
            graphArc.append(arc)
        }
        let unmetArc = arcs.count
        arcs.append(FlowArc(tail: endpoints.source, head: endpoints.sink, unitCost: unmetPenaltyPerTEU))
        var supply = [Double](repeating: 0, count: graph.nodeCount)
        supply[endpoints.source] = query.teu
        supply[endpoints.sink] = -query.teu
        let network = FlowNetwork(nodeCount: graph.nodeCount, arcs: arcs, supply: supply)
        guard let scaled = network.decimallyScaled() else { return nil }
        let outcome: FlowOutcome
        do {
            outcome = try NetworkSimplex(scaled.network).solve()
        } catch {
            return nil  // beyond the network simplex's integer bounds: column generation
        }
        guard case .optimal(let scaledSolution) = outcome else {
            throw .noOptimum(.arcFlowSplit, outcome: "\(outcome)")
        }
        let solution = scaled.unscale(scaledSolution, original: network)

        // Routes: peel source-to-sink paths off the scaled (integral) flow, so amounts are exact.
        var remaining = scaledSolution.flow
        var flowArcOf = [Int: Int]()
        for (k, arc) in graphArc.enumerated() { flowArcOf[arc] = k }
        var parts: [(route: Route, teu: Double)] = []
        var carriedCost = 0.0
        while let path = positivePath(in: graph, from: endpoints.source, to: endpoints.sink,
                                      flow: { flowArcOf[$0].map { remaining[$0] } ?? 0 }) {
            let amount = path.map { remaining[flowArcOf[$0]!] }.min()!
            for arc in path { remaining[flowArcOf[arc]!] -= amount }
            let teu = amount / scaled.flowScale
            let perTEUCost = path.reduce(0.0) { $0 + weights[$1] }
            var partQuery = query
            partQuery.teu = teu
            partQuery.tonnes = query.tonnes * teu / query.teu
            parts.append((endpoints.routeForVolume(WeightedPath(arcs: path, weight: perTEUCost * teu), query: partQuery), teu))
            carriedCost += perTEUCost * teu
        }
        parts.sort { $0.teu > $1.teu }

        var binding: [BindingCapacity] = []
        for (k, arc) in graphArc.enumerated() {
            guard case .service(let id) = graph.roles[arc], let cap = capacity[arc], cap.isFinite else { continue }
            let used = solution.flow[k]
            guard used > 1e-9, used >= cap - 1e-6 else { continue }
            let reducedCost = weights[arc] - solution.potential[graph.tails[arc]] + solution.potential[graph.heads[arc]]
            binding.append(BindingCapacity(service: id, capacityTEU: cap, usedTEU: used, dualUSDPerTEU: max(0, -reducedCost)))
        }
        binding.sort { $0.dualUSDPerTEU > $1.dualUSDPerTEU }
        return VolumeSplit(period: period, requestedTEU: query.teu, routes: parts, unmetTEU: solution.flow[unmetArc],
                           totalCostUSD: carriedCost, bindingServices: binding, iterations: 1,
                           solver: Self.networkSimplexMethod)
    }

    /// A source-to-sink path of query-graph arcs with positive `flow`, by depth-first search.
    private func positivePath(in graph: ModeGraph, from source: Int, to sink: Int, flow: (Int) -> Double) -> [Int]? {
        var visited = [Bool](repeating: false, count: graph.nodeCount)
        var stack: [(node: Int, next: Int)] = [(source, 0)]
        var path: [Int] = []
        visited[source] = true
        while let top = stack.last {
            if top.node == sink { return path }
            let outgoing = graph.outgoing[top.node]
            if top.next == outgoing.count {
                stack.removeLast()
                if !path.isEmpty { path.removeLast() }
                continue
            }
            stack[stack.count - 1].next += 1
            let arc = outgoing[top.next]
            let head = graph.heads[arc]
            guard flow(arc) > 0, !visited[head] else { continue }
            visited[head] = true
            path.append(arc)
            stack.append((head, 0))
        }
        return nil
    }
}

extension QueryGraph {
    /// A route's legs for another volume of the same shipment.
    func routeForVolume(_ path: WeightedPath, query: RouteQuery) -> Route { route(of: path, query: query) }
}
