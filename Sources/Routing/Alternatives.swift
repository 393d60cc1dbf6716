import NetworkData

/// A route folded into a better one of the same corridor and gateway: where it differs and
/// what it costs. A planner reads it as "also via …".
public struct NearCopy: Hashable, Sendable {
    /// Places this route stops at that the route it is folded into does not.
    public var via: [PlaceCode]
    /// Services this route takes that the route it is folded into does not.
    public var services: [String]
    public var costUSD: Double
    public var transitHours: Double

    public init(via: [PlaceCode], services: [String], costUSD: Double, transitHours: Double) {
        self.via = via
        self.services = services
        self.costUSD = costUSD
        self.transitHours = transitHours
    }

    /// `copy` described against `kept`.
    /// - Complexity: O(L) for routes of L legs.
    public init(_ copy: Route, foldedInto kept: Route) {
        let keptStops = Set(kept.stops)
        let keptServices = Set(kept.serviceLegs.map(\.service))
        self.init(via: copy.stops.filter { !keptStops.contains($0) },
                  services: copy.serviceLegs.map(\.service).filter { !keptServices.contains($0) },
                  costUSD: copy.costUSD, transitHours: copy.transitHours)
    }

    /// How a planner reads it: the differing places, else the differing services.
    public var label: String {
        if !via.isEmpty { return via.map(\.rawValue).joined(separator: " ") }
        return services.isEmpty ? "another departure" : services.joined(separator: " ")
    }
}

/// What makes two routes different alternatives for a planner: the modes in order up to the
/// main haul (road left out; what follows the first sea or air leg is on-carriage and does not
/// count), the corridor of the first long-haul leg, and the gateway.
public struct AlternativeKey: Hashable, Sendable {
    public var modes: [TransportMode]
    public var corridor: Corridor?
    public var gateway: PlaceCode?
}

extension Route {
    /// Places between the ends: each leg's arrival but the last.
    public var stops: [PlaceCode] { legs.dropLast().map(\.to) }

    /// Where the shipment leaves the land or river network: the loading port or airport of the
    /// first sea or air leg (Qinzhou for the Land-Sea rail-sea route, Shanghai for river-sea,
    /// Chongqing Jiangbei for air); on a land or river route, its first border crossing or
    /// gauge change; nil when there is neither.
    public var gateway: PlaceCode? {
        if let leg = legs.first(where: { $0.mode == .sea || $0.mode == .air }) { return leg.from }
        return borderPlaces.first
    }

    /// The route's corridor and gateway, for telling alternatives apart.
    /// - Complexity: O(L) for L legs.
    public var alternativeKey: AlternativeKey {
        var modes: [TransportMode] = []
        for leg in serviceLegs where leg.mode != .road {
            if modes.last != leg.mode { modes.append(leg.mode) }
            if leg.mode == .sea || leg.mode == .air { break }
        }
        let corridor = serviceLegs.first(where: { $0.mode != .road })?.corridor ?? serviceLegs.first?.corridor
        return AlternativeKey(modes: modes, corridor: corridor, gateway: gateway)
    }

    /// Whether `self` is a near-copy of `other`: the same corridor and gateway, a cost within
    /// `costShare` of `other`'s, and door-to-door hours within `hoursShare` (a timetabled
    /// express at a few percent more than the consolidated train is another product, not a copy).
    public func isNearCopy(of other: Route, costShare: Double, hoursShare: Double) -> Bool {
        alternativeKey == other.alternativeKey && isNear(to: other, costShare: costShare, hoursShare: hoursShare)
    }

    /// The cost and hours half of ``isNearCopy(of:costShare:hoursShare:)``.
    func isNear(to other: Route, costShare: Double, hoursShare: Double) -> Bool {
        abs(costUSD - other.costUSD) <= costShare * max(other.costUSD, 1)
            && abs(transitHours - other.transitHours) <= hoursShare * max(other.transitHours, 1)
    }

    /// How far from the Pareto front of `others` this route is: 0 when no route dominates it,
    /// 1 when one does, 2 when one beats it by `margin` (a share) on cost, hours and CO2e together.
    /// - Complexity: O(r) for r routes.
    func frontTier(within others: [Route], margin: Double) -> Int {
        guard others.contains(where: { $0.dominates(self) }) else { return 0 }
        let factor = 1 - margin
        let far = others.contains { other in
            other.costUSD <= factor * costUSD && other.transitHours <= factor * transitHours
                && other.co2eKg <= factor * co2eKg
        }
        return far ? 2 : 1
    }
}

extension Router {
    /// Up to `count` routes of `query` using only `modes`, each through a different gateway
    /// (`gatewayOf` a route: by default its ``Route/gateway``, the first border crossing or the
    /// port or airport where the main leg starts): the best, then the best that avoids its
    /// gateway, and so on. What a shipper compares when one crossing is congested: Alashankou,
    /// then Khorgos, then Erenhot.
    /// - Complexity: `count` shortest-path searches, O(count · (n + m) log n).
    package func routesByGateway(for query: RouteQuery, modes: Set<TransportMode>, count: Int,
                                 gatewayOf: (Route) -> PlaceCode? = { $0.gateway }) -> [Route] {
        diverseRoutes(for: query, modes: modes, count: count) { route, path, graph in
            guard let gateway = gatewayOf(route) else { return nil }
            let landGateway = !path.arcs.contains { graph.arcMode[$0] == .sea || graph.arcMode[$0] == .air }
            return { arc in
                landGateway ? graph.nodePlace[graph.heads[arc]] == gateway
                    : graph.nodePlace[graph.tails[arc]] == gateway && (graph.arcMode[arc] == .sea || graph.arcMode[arc] == .air)
            }
        }
    }

    /// Up to `count` routes of `query` using only `modes`, each leaving from a different terminal
    /// on its main leg: the best, then the best whose first service does not leave from that
    /// terminal, and so on. A city's rail-sea trains leave from several stations (Tuanjiecun,
    /// Guoyuan, Xiaonanya), and when one's trains are full a shipper trucks to the next.
    /// - Complexity: `count` shortest-path searches, O(count · (n + m) log n).
    package func routesByTerminal(for query: RouteQuery, modes: Set<TransportMode>, count: Int) -> [Route] {
        diverseRoutes(for: query, modes: modes, count: count) { route, _, graph in
            guard let first = route.serviceLegs.first(where: { $0.mode != .road }) else { return nil }
            return { arc in graph.nodePlace[graph.tails[arc]] == first.from && graph.arcMode[arc] == first.mode }
        }
    }

    /// The best route, then the best once the arcs `blocked` by the routes found so far are
    /// closed, up to `count` routes (fewer when `blocked` returns nil or no route is left).
    private func diverseRoutes(for query: RouteQuery, modes: Set<TransportMode>, count: Int,
                               blocked: (Route, WeightedPath, ModeGraph) -> ((Int) -> Bool)?) -> [Route] {
        let endpoints = QueryGraph(graph: graph, query: query)
        let graph = endpoints.graph
        let isFeasible = { (path: WeightedPath) in endpoints.visitsEachPlaceOnce(path) }
        var weights = endpoints.search(objective: query.objective, respectCargo: true, allowedModes: modes).weights
        var found: [Route] = []
        for _ in 0..<count {
            var search = KShortestPaths(nodeCount: graph.nodeCount, tails: graph.tails, heads: graph.heads,
                                        outgoing: graph.outgoing, weights: weights)
            search.nodeGroups = endpoints.placeOfNode
            search.usesReferenceSearch = usesReferenceSearch
            let (paths, _) = search.yen(from: endpoints.source, to: endpoints.sink, count: 1, limit: 20, accept: isFeasible)
            guard let path = paths.first(where: isFeasible) else { break }
            let route = endpoints.route(of: path, query: query)
            found.append(route)
            guard let isBlocked = blocked(route, path, graph) else { break }
            for arc in 0..<weights.count where weights[arc].isFinite && isBlocked(arc) { weights[arc] = .infinity }
        }
        return found
    }
}
