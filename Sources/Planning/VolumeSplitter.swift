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

/// A failure of the split that is our bug or GLPK's, not the user's input.
public enum VolumeSplitError: Error, CustomStringConvertible {
    case solver(String)
    public var description: String {
        switch self { case .solver(let message): message }
    }
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
/// is solved as a path-based LP by column generation with GLPK's simplex (also the fallback
/// when the data are not decimals of at most 6 digits). The restricted master has one column
/// per route found so far, a demand row and one capacity row per service those routes use,
/// and the unmet-demand column. Pricing is a shortest path with capacity duals subtracted
/// from arc weights (Yen's order, so a deadline keeps pricing exact up to the examination
/// limit). Stops when no route has negative reduced cost.
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
    /// - Complexity: without a deadline, one network simplex solve on the query graph plus
    ///   O(p · (n + m)) to decompose the flow into p routes; with one, one LP solve and one
    ///   pricing search per column-generation iteration.
    public func split(_ query: RouteQuery, period: CapacityPeriod) throws -> VolumeSplit {
        var perTEU = query
        perTEU.teu = 1
        perTEU.tonnes = query.tonnes / query.teu
        let endpoints = QueryGraph(graph: router.graph, query: perTEU)
        let graph = endpoints.graph
        let network = router.network
        let deadline = query.deadlineHours ?? .infinity
        let baseSearch = endpoints.search(objective: query.objective, respectCargo: true, deadlineHours: query.deadlineHours)
        let baseWeights = baseSearch.weights

        // Capacity per service arc in TEU for the period.
        var capacity: [Int: Double] = [:]
        for (id, arc) in graph.serviceArc {
            guard let service = network.service(id) else { continue }
            let perDeparture = service.capacityTEUPerDeparture
                ?? service.capacityTonnesPerDeparture.map { $0 / max(perTEU.tonnes, 1e-9) } ?? .infinity
            let seasonal = query.month.flatMap { service.adjustment(inMonth: $0)?.capacityFactor } ?? 1
            capacity[arc] = perDeparture * seasonal * (period == .week ? service.departuresPerWeek : 1)
        }
        if query.deadlineHours == nil,
           let split = try splitAsNetworkFlow(query, period: period, endpoints: endpoints, weights: baseWeights, capacity: capacity) {
            return split
        }

        var columns: [[Int]] = []
        var columnCost: [Double] = []
        var rowOfArc: [Int: Int] = [:]
        var arcOfRow: [Int] = []
        var duals: [Int: Double] = [:]
        var demandDual = unmetPenaltyPerTEU
        var iterations = 0
        var solution: LPSolution?

        while iterations < maximumIterations {
            // Pricing: shortest path under reduced arc weights.
            var weights = baseWeights
            for (arc, y) in duals { weights[arc] += -y }
            var search = KShortestPaths(nodeCount: graph.nodeCount, tails: graph.tails, heads: graph.heads,
                                        outgoing: graph.outgoing, weights: weights)
            let hours = { (p: WeightedPath) in p.arcs.reduce(0.0) { $0 + graph.attributes[$1].hours } }
            let (paths, _) = search.yen(from: endpoints.source, to: endpoints.sink, count: 1, limit: router.examinationLimit) {
                hours($0) <= deadline + 1e-9
            }
            guard let best = paths.first(where: { hours($0) <= deadline + 1e-9 }) else { break }
            let reducedCost = best.weight - demandDual
            if !columns.isEmpty && reducedCost >= -1e-7 * max(1, abs(demandDual)) { break }
            if columns.contains(best.arcs) { break }
            columns.append(best.arcs)
            columnCost.append(best.arcs.reduce(0.0) { $0 + baseWeights[$1] })
            for arc in best.arcs where capacity[arc] != nil && rowOfArc[arc] == nil {
                rowOfArc[arc] = arcOfRow.count + 1
                arcOfRow.append(arc)
            }
            iterations += 1

            // Restricted master: demand row 0, capacity rows 1…; columns then the unmet slack.
            var lp = LinearProgram(sense: .minimize)
            var demand: [(variable: Int, value: Double)] = []
            var capacityRows = Array(repeating: [(variable: Int, value: Double)](), count: arcOfRow.count)
            for (j, column) in columns.enumerated() {
                lp.addVariable(.init(lower: 0, upper: nil, objective: columnCost[j]))
                demand.append((j, 1))
                for arc in column { if let row = rowOfArc[arc] { capacityRows[row - 1].append((j, 1)) } }
            }
            let unmet = lp.addVariable(.init(lower: 0, upper: nil, objective: unmetPenaltyPerTEU))
            demand.append((unmet, 1))
            lp.addConstraint(.init(coefficients: demand, lower: query.teu, upper: query.teu))
            for (i, arc) in arcOfRow.enumerated() {
                lp.addConstraint(.init(coefficients: capacityRows[i], lower: nil, upper: capacity[arc]!))
            }
            switch try lp.solve() {
            case .optimal(let s):
                solution = s
                guard let rowDuals = s.duals else { throw VolumeSplitError.solver("GLPK returned no duals") }
                demandDual = rowDuals[0]
                duals = [:]
                for (i, arc) in arcOfRow.enumerated() { duals[arc] = min(0, rowDuals[i + 1]) }
            case .infeasible, .unbounded, .limitReached:
                throw VolumeSplitError.solver("the restricted master LP has no optimum; this is a bug")
            }
        }

        guard let solution else {
            return VolumeSplit(period: period, requestedTEU: query.teu, routes: [], unmetTEU: query.teu,
                               totalCostUSD: 0, bindingServices: [], iterations: iterations,
                               solver: Self.columnGenerationMethod)
        }
        var parts: [(route: Route, teu: Double)] = []
        var carriedCost = 0.0
        for (j, column) in columns.enumerated() where solution.values[j] > 1e-6 {
            var partQuery = query
            partQuery.teu = solution.values[j]
            partQuery.tonnes = query.tonnes * solution.values[j] / query.teu
            let route = endpoints.routeForVolume(WeightedPath(arcs: column, weight: columnCost[j] * solution.values[j]),
                                                 query: partQuery)
            parts.append((route, solution.values[j]))
            carriedCost += columnCost[j] * solution.values[j]
        }
        parts.sort { $0.teu > $1.teu }
        let unmet = solution.values[columns.count]
        var binding: [BindingCapacity] = []
        for (i, arc) in arcOfRow.enumerated() {
            guard case .service(let id) = graph.roles[arc], let cap = capacity[arc] else { continue }
            let used = solution.constraintActivities[i + 1]
            guard used >= cap - 1e-6 else { continue }
            binding.append(BindingCapacity(service: id, capacityTEU: cap, usedTEU: used, dualUSDPerTEU: -(duals[arc] ?? 0)))
        }
        binding.sort { $0.dualUSDPerTEU > $1.dualUSDPerTEU }
        return VolumeSplit(period: period, requestedTEU: query.teu, routes: parts, unmetTEU: unmet,
                           totalCostUSD: carriedCost, bindingServices: binding, iterations: iterations,
                           solver: Self.columnGenerationMethod)
    }

    /// The split as an arc-based min-cost flow solved by the network simplex, or `nil` when
    /// the data do not scale to integers the network simplex takes (the caller then uses
    /// column generation).
    private func splitAsNetworkFlow(_ query: RouteQuery, period: CapacityPeriod, endpoints: QueryGraph,
                                    weights: [Double], capacity: [Int: Double]) throws -> VolumeSplit? {
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
            throw VolumeSplitError.solver("the arc-based split has no optimum (\(outcome)); this is a bug")
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
