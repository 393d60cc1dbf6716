import NetworkData
import Routing
import Planning

/// The JSON contract of `route --format json` (schema: `schemas/route.schema.json`): the query,
/// the alternatives best first, the Pareto front, the rejected candidates when nothing is
/// feasible, and the volume split when one route's capacity is not enough.
public struct RouteAnswer: Codable, Sendable {
    /// The query as understood: resolved place codes, volume, cargo, deadline, objective.
    public struct Query: Codable, Sendable {
        public var from: String
        public var to: String
        public var teu: Double
        public var tonnes: Double
        public var cargo: String
        public var deadlineHours: Double?
        public var objective: String
        public var alternatives: Int
        public var month: Int?
    }

    /// A near-copy of an alternative (same corridor and gateway, cost within a few percent),
    /// shown on the alternative's line as "also via …" instead of as a line of its own.
    public struct AlsoVia: Codable, Sendable {
        /// Places the copy stops at that the alternative does not.
        public var via: [String]
        /// Services the copy takes that the alternative does not.
        public var services: [String]
        public var costUSD: Double
        public var days: Double
    }

    /// One route with its totals and its legs (each in the one leg encoding of ``RouteLeg``).
    public struct RouteSummary: Codable, Sendable {
        /// 1 for the best alternative; absent on the Pareto front, rejected and split routes.
        public var rank: Int?
        public var costUSD: Double
        public var transitHours: Double
        public var days: Double
        public var co2eKg: Double
        public var objectiveValue: Double
        /// Modes in order, repeats removed: `road→rail→road`.
        public var modes: String
        public var corridors: [String]
        public var borderCrossings: [String]
        public var bottleneckTEUPerDeparture: Double?
        /// TEU this route carries in a volume split.
        public var teu: Double?
        /// Why a rejected route breaks the query's constraints.
        public var reasons: [String]?
        /// Near-copies folded into this alternative; absent when there are none.
        public var alsoVia: [AlsoVia]?
        public var legs: [RouteLeg]

        /// The summary of `route`, numbers rounded as the contract shows them.
        ///
        /// - Complexity: O(L) for L legs.
        public init(_ route: Route, rank: Int?) {
            var corridors: [String] = []
            for leg in route.legs { if let c = leg.corridor?.rawValue, !corridors.contains(c) { corridors.append(c) } }
            self.rank = rank
            costUSD = rounded(route.costUSD, 2)
            transitHours = rounded(route.transitHours, 2)
            days = rounded(route.days, 2)
            co2eKg = rounded(route.co2eKg, 1)
            objectiveValue = rounded(route.objectiveValue, 3)
            modes = route.modeSummary
            self.corridors = corridors
            borderCrossings = route.borderPlaces.map(\.rawValue)
            bottleneckTEUPerDeparture = route.bottleneckTEUPerDeparture.map { rounded($0, 2) }
            legs = route.legs
            let copies = route.alsoVia.map {
                AlsoVia(via: $0.via.map(\.rawValue), services: $0.services, costUSD: rounded($0.costUSD, 2), days: rounded($0.transitHours / 24, 2))
            }
            alsoVia = copies.isEmpty ? nil : copies
        }
    }

    /// A service whose capacity binds the split, with its dual.
    public struct BindingService: Codable, Sendable {
        public var id: String
        public var capacityTEU: Double
        public var usedTEU: Double
        public var dualUSDPerTEU: Double
    }

    /// How the volume splits over routes when one route cannot carry it.
    public struct VolumeSplitSummary: Codable, Sendable {
        public var period: String
        public var requestedTEU: Double
        public var carriedTEU: Double
        public var unmetTEU: Double
        public var totalCostUSD: Double
        public var solver: String
        public var routes: [RouteSummary]
        public var bindingServices: [BindingService]
    }

    public var schemaVersion: String
    public var network: String
    public var query: Query
    /// `ok`, `noFeasibleRoute` or `noPath`.
    public var status: String
    public var alternatives: [RouteSummary]
    public var paretoFront: [RouteSummary]
    public var rejected: [RouteSummary]?
    public var volumeSplit: VolumeSplitSummary?

    /// The answer to `query` on `network`.
    ///
    /// - Complexity: O(total legs of all routes shown).
    public init(network: Network, origin: Place, destination: Place, query: RouteQuery, outcome: RouteOutcome,
                split: VolumeSplit?) {
        schemaVersion = SchemaVersion.current
        self.network = network.name
        self.query = Query(from: origin.code.rawValue, to: destination.code.rawValue, teu: rounded(query.teu, 3),
                           tonnes: rounded(query.tonnes, 3), cargo: query.cargo.description,
                           deadlineHours: query.deadlineHours, objective: query.objective.rawValue,
                           alternatives: query.alternatives, month: query.month)
        status = "ok"
        alternatives = []
        paretoFront = []
        switch outcome {
        case .found(let routes, let front):
            alternatives = routes.enumerated().map { RouteSummary($1, rank: $0 + 1) }
            paretoFront = front.map { RouteSummary($0, rank: nil) }
        case .noFeasibleRoute(let candidates):
            status = "noFeasibleRoute"
            rejected = candidates.map { var r = RouteSummary($0.route, rank: nil); r.reasons = $0.reasons; return r }
        case .noPath:
            status = "noPath"
        }
        if let split {
            volumeSplit = VolumeSplitSummary(
                period: split.period.rawValue, requestedTEU: split.requestedTEU, carriedTEU: rounded(split.carriedTEU, 3),
                unmetTEU: rounded(split.unmetTEU, 3), totalCostUSD: rounded(split.totalCostUSD, 2), solver: split.solver,
                routes: split.routes.map { var r = RouteSummary($0.route, rank: nil); r.teu = rounded($0.teu, 3); return r },
                bindingServices: split.bindingServices.map {
                    BindingService(id: $0.service.rawValue, capacityTEU: rounded($0.capacityTEU, 3),
                                   usedTEU: rounded($0.usedTEU, 3), dualUSDPerTEU: rounded($0.dualUSDPerTEU, 2))
                })
        }
    }
}
