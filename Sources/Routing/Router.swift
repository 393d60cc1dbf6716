import NetworkData

/// A route that breaks a constraint, with the reasons.
public struct RejectedRoute: Sendable {
    public var route: Route
    /// One line per broken constraint: `cargo: …`, `deadline: …`.
    public var reasons: [String]
}

/// The answer to a route query.
public enum RouteOutcome: Sendable {
    /// Routes best first (distinct leg sequences), and the cost/time/CO2 Pareto front among
    /// every feasible route examined.
    case found(routes: [Route], paretoFront: [Route])
    /// No route meets the constraints; the best unconstrained candidates and why each fails.
    case noFeasibleRoute(rejected: [RejectedRoute])
    /// The network has no path at all between the two places.
    case noPath
}

/// A query the router cannot answer because it is malformed.
public enum RouteQueryError: Error, Sendable, CustomStringConvertible {
    case unknownPlace(PlaceCode)
    case sameOriginAndDestination(PlaceCode)
    case invalid(field: String, message: String)

    public var description: String {
        switch self {
        case .unknownPlace(let code): "unknown place '\(code)'"
        case .sameOriginAndDestination(let code): "origin and destination are both '\(code)'; expected two different places"
        case .invalid(let field, let message): "\(field): \(message)"
        }
    }
}

/// Finds the k best distinct routes for a shipment on the mode-expanded graph.
public struct Router: Sendable {
    public let graph: ModeGraph
    public var network: Network { graph.network }
    /// Most paths Yen's algorithm examines for one query before giving up on constraints.
    public var examinationLimit = 400

    /// Builds the graph of `network` for departures in `month` (nil: nominal timetable).
    /// - Complexity: see ``ModeGraph/init(network:month:closedServices:)``.
    public init(network: Network, month: Int? = nil) {
        graph = ModeGraph(network: network, month: month)
    }

    /// The `count` best routes of `query` by its objective that pass each place once and use
    /// only `allowedModes` (nil: every mode): Yen's loopless paths with no diversification, no
    /// deadline and no Pareto front; what the simulator offers a shipment as its alternatives.
    ///
    /// - Parameter examinationLimit: most paths Yen's algorithm examines before it stops.
    /// - Returns: up to `count` routes, best first; fewer when fewer exist.
    /// - Complexity: O(E · L · (n + m) log n) for E examined paths of at most L arcs.
    public func bestRoutes(for query: RouteQuery, count: Int, allowedModes: Set<TransportMode>? = nil,
                           examinationLimit: Int) -> [Route] {
        let endpoints = QueryGraph(graph: graph, query: query)
        var search = endpoints.search(objective: query.objective, respectCargo: true, allowedModes: allowedModes)
        let (found, _) = search.yen(from: endpoints.source, to: endpoints.sink, count: count, limit: examinationLimit) {
            endpoints.visitsEachPlaceOnce($0)
        }
        return found.filter { endpoints.visitsEachPlaceOnce($0) }.prefix(count).map { endpoints.route(of: $0, query: query) }
    }

    /// Routes `query`.
    /// - Throws: ``RouteQueryError`` for a malformed query (unknown places, bad numbers).
    /// - Complexity: O(k · L · (n + m) log n) per objective for k alternatives and routes of L arcs.
    public func routes(for query: RouteQuery, paretoFront: Bool = true) throws(RouteQueryError) -> RouteOutcome {
        try validate(query)
        let endpoints = QueryGraph(graph: graph, query: query)
        var search = endpoints.search(objective: query.objective, respectCargo: true, deadlineHours: query.deadlineHours)
        let deadline = query.deadlineHours ?? .infinity
        let hoursOf = { (path: WeightedPath) in path.arcs.reduce(0.0) { $0 + endpoints.graph.attributes[$1].hours } }
        // A route meets the deadline and passes each place once (no truck out and back).
        let isFeasible = { (path: WeightedPath) in hoursOf(path) <= deadline + 1e-9 && endpoints.visitsEachPlaceOnce(path) }
        let (examined, _) = search.yen(from: endpoints.source, to: endpoints.sink, count: query.alternatives,
                                       limit: examinationLimit, accept: isFeasible)
        var feasible = Array(examined.filter(isFeasible).prefix(query.alternatives))
        if feasible.isEmpty {
            // Yen stopped at its limit among slow routes: the fastest route still answers.
            var fastest = endpoints.search(objective: .time, respectCargo: true, deadlineHours: query.deadlineHours)
            if let path = fastest.shortestPath(from: endpoints.source, to: endpoints.sink), isFeasible(path) {
                feasible = [WeightedPath(arcs: path.arcs, weight: path.arcs.reduce(0) { $0 + search.weights[$1] })]
            }
        }
        if feasible.isEmpty {
            return explainInfeasibility(endpoints, query: query)
        }
        let routes = diversify(feasible, endpoints: endpoints, query: query, isFeasible: isFeasible)
            .map { endpoints.route(of: $0, query: query) }
        guard paretoFront else { return .found(routes: routes, paretoFront: []) }
        var pool = routes
        var seen = Set(routes.map(\.arcs))
        for objective in Objective.allCases where objective != query.objective && objective != .balanced {
            var other = endpoints.search(objective: objective, respectCargo: true, deadlineHours: query.deadlineHours)
            let (more, _) = other.yen(from: endpoints.source, to: endpoints.sink, count: query.alternatives,
                                      limit: examinationLimit, accept: isFeasible)
            for path in more where isFeasible(path) && seen.insert(path.arcs).inserted {
                pool.append(endpoints.route(of: path, query: query))
            }
        }
        let front = pool.filter { candidate in !pool.contains { $0.dominates(candidate) } }
            .sorted { ($0.costUSD, $0.transitHours) < ($1.costUSD, $1.transitHours) }
        return .found(routes: routes, paretoFront: front)
    }

    /// Mode families a planner compares side by side (road is always allowed for feeders).
    package static let modeFamilies: [Set<TransportMode>] = [
        [.rail], [.rail, .sea], [.inlandWater, .sea], [.inlandWater, .rail, .sea], [.sea], [.air], [.air, .rail],
        [.inlandWater], [.inlandWater, .rail], [],
    ]

    /// The k alternatives: the overall best, then the best route of each other mode family
    /// (rail, rail-sea, river-sea, air, …), then the next best overall; distinct leg
    /// sequences, ordered by the objective.
    private func diversify(_ best: [WeightedPath], endpoints: QueryGraph, query: RouteQuery, respectCargo: Bool = true,
                           isFeasible: (WeightedPath) -> Bool) -> [WeightedPath] {
        guard let first = best.first else { return [] }
        guard query.alternatives > 1 else { return [first] }
        func family(_ path: WeightedPath) -> Set<TransportMode> {
            let modes = Set(path.arcs.compactMap { endpoints.graph.arcMode[$0] })
            return modes == [.road] ? [] : modes.subtracting([.road])
        }
        var chosen = [first]
        var families: Set<Set<TransportMode>> = [family(first)]
        var familyBest: [WeightedPath] = []
        for modes in Self.modeFamilies where !families.contains(modes) {
            var search = endpoints.search(objective: query.objective, respectCargo: respectCargo, allowedModes: modes.union([.road]),
                                          deadlineHours: respectCargo ? query.deadlineHours : nil)
            let (paths, _) = search.yen(from: endpoints.source, to: endpoints.sink, count: 1, limit: 20, accept: isFeasible)
            guard let path = paths.first(where: isFeasible), family(path) == modes else { continue }
            familyBest.append(path)
            families.insert(modes)
        }
        familyBest.sort { $0.weight < $1.weight }
        for path in familyBest where chosen.count < query.alternatives { chosen.append(path) }
        for path in best.dropFirst() where chosen.count < query.alternatives && !chosen.contains(where: { $0.arcs == path.arcs }) {
            chosen.append(path)
        }
        return chosen.sorted { $0.weight < $1.weight }
    }

    private func validate(_ query: RouteQuery) throws(RouteQueryError) {
        guard network.place(query.origin) != nil else { throw .unknownPlace(query.origin) }
        guard network.place(query.destination) != nil else { throw .unknownPlace(query.destination) }
        guard query.origin != query.destination else { throw .sameOriginAndDestination(query.origin) }
        guard query.teu.isFinite, query.teu > 0, query.teu <= 1_000_000 else {
            throw .invalid(field: "teu", message: "\(query.teu); expected a number above 0 and at most 1000000")
        }
        guard query.tonnes.isFinite, query.tonnes > 0, query.tonnes <= 10_000_000 else {
            throw .invalid(field: "tonnes", message: "\(query.tonnes); expected a number above 0 and at most 10000000")
        }
        guard (1...100).contains(query.alternatives) else {
            throw .invalid(field: "alternatives", message: "\(query.alternatives); expected 1 to 100")
        }
        if let deadline = query.deadlineHours, !(deadline.isFinite && deadline > 0) {
            throw .invalid(field: "deadline", message: "\(deadline) hours; expected a positive duration")
        }
        if let month = query.month, !(1...12).contains(month) {
            throw .invalid(field: "month", message: "\(month); expected 1 to 12")
        }
    }

    private func explainInfeasibility(_ endpoints: QueryGraph, query: RouteQuery) -> RouteOutcome {
        var search = endpoints.search(objective: query.objective, respectCargo: false)
        let (candidates, _) = search.yen(from: endpoints.source, to: endpoints.sink, count: query.alternatives,
                                         limit: query.alternatives * 4) { endpoints.visitsEachPlaceOnce($0) }
        let simple = candidates.filter { endpoints.visitsEachPlaceOnce($0) }
        guard !simple.isEmpty else { return candidates.isEmpty ? .noPath : .noFeasibleRoute(rejected: []) }
        let diverse = diversify(simple, endpoints: endpoints, query: query, respectCargo: false) { endpoints.visitsEachPlaceOnce($0) }
        let rejected = diverse.map { path -> RejectedRoute in
            let route = endpoints.route(of: path, query: query)
            var reasons: [String] = []
            for leg in route.legs {
                guard let service = network.service(ServiceID(leg.service)), !service.cargo.accepts(query.cargo) else { continue }
                reasons.append("cargo: service \(service.id) (\(service.mode.rawValue) \(service.from)→\(service.to)) does not accept \(query.cargo); it takes \(service.cargo.names.joined(separator: ", "))")
            }
            if let deadline = query.deadlineHours, route.transitHours > deadline + 1e-9 {
                reasons.append("deadline: takes \(format(days: route.days)) days, deadline is \(format(days: deadline / 24)) days")
            }
            return RejectedRoute(route: route, reasons: reasons)
        }
        return .noFeasibleRoute(rejected: rejected)
    }

    private func format(days: Double) -> String { String(format: "%.1f", days) }
}
