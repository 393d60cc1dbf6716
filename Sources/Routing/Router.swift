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
    /// Searches as before issue 13 (see ``KShortestPaths/usesReferenceSearch``), for tests that
    /// compare old and new answers.
    package var usesReferenceSearch = false

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
        search.usesReferenceSearch = usesReferenceSearch
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
        search.usesReferenceSearch = usesReferenceSearch
        let deadline = query.deadlineHours ?? .infinity
        let hoursOf = { (path: WeightedPath) in path.arcs.reduce(0.0) { $0 + endpoints.graph.attributes[$1].hours } }
        // A route meets the deadline and passes each place once (no truck out and back).
        let isFeasible = { (path: WeightedPath) in hoursOf(path) <= deadline + 1e-9 && endpoints.visitsEachPlaceOnce(path) }
        let (examined, _) = search.yen(from: endpoints.source, to: endpoints.sink, count: query.alternatives * 3,
                                       limit: examinationLimit, accept: isFeasible)
        // Three times k: the lines folded as near-copies leave room for the k distinct ones.
        var feasible = Array(examined.filter(isFeasible).prefix(query.alternatives * 3))
        if feasible.isEmpty {
            // Yen stopped at its limit among slow routes: the fastest route still answers.
            var fastest = endpoints.search(objective: .time, respectCargo: true, deadlineHours: query.deadlineHours)
            fastest.usesReferenceSearch = usesReferenceSearch
            if let path = fastest.shortestPath(from: endpoints.source, to: endpoints.sink), isFeasible(path) {
                feasible = [WeightedPath(arcs: path.arcs, weight: path.arcs.reduce(0) { $0 + search.weights[$1] })]
            }
        }
        if feasible.isEmpty {
            return explainInfeasibility(endpoints, query: query)
        }
        // The best routes of the other objectives are candidates too (the express train, the
        // fastest sailing), weighed by this query's objective; they also make the Pareto front.
        var others: [WeightedPath] = []
        if paretoFront {
            for objective in Objective.allCases where objective != query.objective && objective != .balanced {
                var other = endpoints.search(objective: objective, respectCargo: true, deadlineHours: query.deadlineHours)
                other.usesReferenceSearch = usesReferenceSearch
                let (more, _) = other.yen(from: endpoints.source, to: endpoints.sink, count: query.alternatives,
                                          limit: examinationLimit, accept: isFeasible)
                others += more.filter(isFeasible).map { path in
                    WeightedPath(arcs: path.arcs, weight: path.arcs.reduce(0) { $0 + search.weights[$1] })
                }
            }
        }
        let routes = diversify(feasible, endpoints: endpoints, query: query, isFeasible: isFeasible, more: others)
        guard paretoFront else { return .found(routes: routes, paretoFront: []) }
        var pool = routes
        var seen = Set(routes.map(\.arcs))
        for path in others where seen.insert(path.arcs).inserted {
            pool.append(endpoints.route(of: path, query: query))
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

    /// Routes of one corridor and gateway whose costs differ by at most this share are one
    /// alternative: the lighter is shown, the other as "also via …".
    public static let nearCopyCostShare = 0.05
    /// … and whose door-to-door hours differ by at most this share.
    public static let nearCopyHoursShare = 0.1
    /// Gateways tried per mode family (Qinzhou, Shanghai, Beihai, … for rail-sea).
    static let gatewaysPerFamily = 4
    /// A route some other alternative beats by this share on cost, days and CO2e together is
    /// far from the Pareto front; a dominated route within it is near the front.
    static let frontMargin = 0.2

    /// The k alternatives, distinct by corridor and gateway. Candidates: the overall best
    /// routes, and for each mode family the best route through each of up to
    /// ``gatewaysPerFamily`` gateways (Qinzhou rail-sea beside rail to Shanghai and sea).
    /// Near-copies (same key, cost within ``nearCopyCostShare``, hours within
    /// ``nearCopyHoursShare``) fold into the lighter line as ``Route/alsoVia``. Then, after the
    /// overall best, lines are taken greedily: on the Pareto front before near it before far
    /// from it; within that, a new mode family before a new corridor or gateway before a repeat;
    /// then the lightest. Ordered by the objective.
    ///
    /// - Complexity: O(F · G · 20 · L · (n + m) log n) for F families and G gateways each, on
    ///   top of the candidates given.
    private func diversify(_ best: [WeightedPath], endpoints: QueryGraph, query: RouteQuery, respectCargo: Bool = true,
                           isFeasible: (WeightedPath) -> Bool, more: [WeightedPath] = []) -> [Route] {
        guard let first = best.first else { return [] }
        guard query.alternatives > 1 else { return [endpoints.route(of: first, query: query)] }
        func family(_ path: WeightedPath) -> Set<TransportMode> {
            let modes = Set(path.arcs.compactMap { endpoints.graph.arcMode[$0] })
            return modes == [.road] ? [] : modes.subtracting([.road])
        }
        var candidates = best + more
        let graph = endpoints.graph
        for modes in Self.modeFamilies {
            // A path of exactly this family: Yen goes on past lighter paths of fewer modes
            // (rail alone under rail + sea).
            let ofFamily = { (path: WeightedPath) in isFeasible(path) && family(path) == modes }
            // With road services allowed (a truck shuttle between two terminals) …
            var loose = endpoints.search(objective: query.objective, respectCargo: respectCargo, allowedModes: modes.union([.road]),
                                         deadlineHours: respectCargo ? query.deadlineHours : nil)
            loose.usesReferenceSearch = usesReferenceSearch
            // Yen would examine its 40 paths in vain when no path of the family exists.
            if usesReferenceSearch || Self.someWalk(uses: modes, weights: loose.weights, endpoints: endpoints) {
                let (found, _) = loose.yen(from: endpoints.source, to: endpoints.sink, count: 1, limit: 40, accept: ofFamily)
                candidates += found.filter(ofFamily)
            }
            // … and without, so that cheap road-only paths do not crowd out, say, air; here
            // each found gateway is closed in turn to find the next one.
            var weights = endpoints.search(objective: query.objective, respectCargo: respectCargo,
                                           allowedModes: modes.isEmpty ? [.road] : modes,
                                           deadlineHours: respectCargo ? query.deadlineHours : nil).weights
            for _ in 0..<Self.gatewaysPerFamily {
                guard usesReferenceSearch || Self.someWalk(uses: modes, weights: weights, endpoints: endpoints) else { break }
                var search = KShortestPaths(nodeCount: graph.nodeCount, tails: graph.tails, heads: graph.heads,
                                            outgoing: graph.outgoing, weights: weights)
                search.usesReferenceSearch = usesReferenceSearch
                search.nodeGroups = endpoints.placeOfNode
                let (paths, _) = search.yen(from: endpoints.source, to: endpoints.sink, count: 1, limit: 40, accept: ofFamily)
                guard let path = paths.first(where: ofFamily) else { break }
                candidates.append(path)
                guard let gateway = endpoints.route(of: path, query: query).gateway else { break }
                // The next search of this family avoids the gateway: no sea or air departure
                // from it, or, for a land gateway (a border), no arc into it.
                let landGateway = !path.arcs.contains { graph.arcMode[$0] == .sea || graph.arcMode[$0] == .air }
                for arc in 0..<weights.count where weights[arc].isFinite {
                    if landGateway {
                        if graph.nodePlace[graph.heads[arc]] == gateway { weights[arc] = .infinity }
                    } else if graph.nodePlace[graph.tails[arc]] == gateway,
                              graph.arcMode[arc] == .sea || graph.arcMode[arc] == .air {
                        weights[arc] = .infinity
                    }
                }
            }
        }
        // One line per corridor and gateway; near-copies fold into the lighter line.
        var seen = Set<[Int]>()
        let unique = candidates.filter { seen.insert($0.arcs).inserted }.sorted { $0.weight < $1.weight }
        // Each line's key computed once (``Route/isNearCopy(of:costShare:hoursShare:)`` with it).
        var lines: [(route: Route, family: Set<TransportMode>, repeatsKey: Bool, key: AlternativeKey)] = []
        for path in unique {
            let route = endpoints.route(of: path, query: query)
            let key = route.alternativeKey
            if let i = lines.firstIndex(where: { key == $0.key && route.isNear(to: $0.route, costShare: Self.nearCopyCostShare, hoursShare: Self.nearCopyHoursShare) }) {
                if lines[i].route.alsoVia.count < 3 { lines[i].route.alsoVia.append(NearCopy(route, foldedInto: lines[i].route)) }
                continue
            }
            lines.append((route, family(path), lines.contains { $0.key == key }, key))
        }
        // Greedy: the line nearest the Pareto front, then the one that adds a mode family, then
        // a corridor or gateway, then the lightest.
        let routes = lines.map(\.route)
        let tiers = routes.map { $0.frontTier(within: routes, margin: Self.frontMargin) }
        var chosen = [0]
        var families: Set<Set<TransportMode>> = [lines[0].family]
        var keys: Set<AlternativeKey> = [lines[0].key]
        var left = Array(lines.indices.dropFirst())
        while chosen.count < query.alternatives, !left.isEmpty {
            // Ties of weight (prices are round numbers) go to the faster route.
            func rank(_ i: Int) -> (Int, Int, Double, Double) {
                let novelty = !families.contains(lines[i].family) ? 0 : !keys.contains(lines[i].key) ? 1 : 2
                return (tiers[i], novelty, routes[i].objectiveValue, routes[i].transitHours)
            }
            let pick = left.indices.min { rank(left[$0]) < rank(left[$1]) }!
            let i = left.remove(at: pick)
            chosen.append(i)
            families.insert(lines[i].family)
            keys.insert(lines[i].key)
        }
        return chosen.map { routes[$0] }.sorted { $0.objectiveValue < $1.objectiveValue }
    }

    /// Whether some walk from the source to the sink over arcs of finite `weights` rides every
    /// mode of `modes`: a breadth-first search over (node, modes ridden so far). Every path of
    /// the family is such a walk, so without one Yen finds none of its paths.
    /// - Complexity: O(2^|modes| · (n + m)).
    static func someWalk(uses modes: Set<TransportMode>, weights: [Double], endpoints: QueryGraph) -> Bool {
        let graph = endpoints.graph
        let order = TransportMode.allCases.filter { modes.contains($0) && $0 != .road }
        guard !order.isEmpty else { return true }
        let states = 1 << order.count
        let all = states - 1
        var bit = [TransportMode: Int]()
        for (i, mode) in order.enumerated() { bit[mode] = 1 << i }
        var seen = [Bool](repeating: false, count: graph.nodeCount * states)
        var queue = [endpoints.source * states]
        seen[endpoints.source * states] = true
        var next = 0
        while next < queue.count {
            let state = queue[next]
            next += 1
            let node = state / states, ridden = state % states
            if node == endpoints.sink && ridden == all { return true }
            for arc in graph.outgoing[node] where weights[arc].isFinite {
                let after = ridden | (graph.arcMode[arc].flatMap { bit[$0] } ?? 0)
                let head = graph.heads[arc] * states + after
                if !seen[head] {
                    seen[head] = true
                    queue.append(head)
                }
            }
        }
        return false
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
        search.usesReferenceSearch = usesReferenceSearch
        let (candidates, _) = search.yen(from: endpoints.source, to: endpoints.sink, count: query.alternatives,
                                         limit: query.alternatives * 4) { endpoints.visitsEachPlaceOnce($0) }
        let simple = candidates.filter { endpoints.visitsEachPlaceOnce($0) }
        guard !simple.isEmpty else { return candidates.isEmpty ? .noPath : .noFeasibleRoute(rejected: []) }
        let diverse = diversify(simple, endpoints: endpoints, query: query, respectCargo: false) { endpoints.visitsEachPlaceOnce($0) }
        let rejected = diverse.map { route -> RejectedRoute in
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
