import GLPKSolver
import MinCostFlow
import Routing
import NetworkData

/// Plans a batch of shipments over shared weekly service capacities: a multi-commodity
/// min-cost flow solved as a path-based LP by column generation.
///
/// ## Detailed design
/// `plan` runs in phases, one function each:
/// 1. **Grouping** (``groupShipments(_:options:)``): weeks run from the earliest ready day in
///    steps of 7 days; alike shipments (same origin, destination, cargo, tonnes per TEU, dates
///    and value of time) form a group with one demand row, priced on one graph per commodity
///    (origin, cargo, tonnes per TEU, value of time for `balanced`) with a sink per destination.
/// 2. **Capacity** (``weeklyCapacityTEU(_:horizonStart:options:)``): a service's TEU in a week
///    from the one capacity model, ``ServiceCapacity``, with the season of the week's month and
///    the disruptions in force.
/// 3. **Pricing and master** (``ColumnGeneration``): a column is one route for one group leaving
///    in one week; it books capacity on every service of the route in that departure week (a
///    through booking on the week's rotation, so weekly flows balance; the leg that runs weeks
///    later is counted in the departure week). Pricing is the lightest route within the deadline
///    under arc weights minus the week's capacity duals: one shortest-path tree per commodity and
///    week for all its destinations, an exact label-setting search where a deadline binds. The loop
///    stops when no column has negative reduced cost, so the LP is optimal.
/// 4. **Whole departures** (`integer` only, ``wholeDepartures(_:batch:options:)``): a MIP over
///    the final columns adds whole departures per service and week (`glp_intopt`), each with a
///    fixed cost, and reports the LP relaxation bound.
/// 5. **Assembly** (``assemble(batch:solution:options:)``): routes per shipment, reasons for
///    what is left behind, service usage per week.
///
/// - Complexity: per iteration, one shortest-path tree per commodity and week whose duals
///   changed (plus a constrained search where a deadline binds) and one LP solve.
public struct BatchPlanner: Sendable {
    public let router: Router
    public var network: Network { router.network }

    public init(network: Network) { router = Router(network: network) }

    /// Fixed cost of one departure, for integer plans: half the revenue of a full departure
    /// (estimate: block-train and vessel operating costs run at roughly half of full-load
    /// revenue; networks carry no operating costs yet).
    public func fixedCostPerDeparture(_ service: Service) -> Double {
        if let teu = service.capacityTEUPerDeparture, let price = service.priceUSDPerTEU { return 0.5 * teu * price }
        if let tonnes = service.capacityTonnesPerDeparture, let perKg = service.priceUSDPerKg { return 0.5 * tonnes * 1000 * perKg }
        return 0
    }

    /// Alike shipments planned together: one demand row, one pricing graph.
    struct Group {
        /// Indices into the planned shipments.
        var shipments: [Int]
        var teu: Double
        /// Index of the group's ``PricingGraph`` (its commodity) in ``Batch/graphs``.
        var graph: Int
        /// Index of its destination's sink in that graph.
        var destination: Int
        /// Allowed departure weeks: week index, start day, hours available until the deadline.
        var weeks: [(week: Int, start: CalendarDay, maxHours: Double)]
        var query: RouteQuery
    }

    /// The shipments of a plan in the planner's terms: weeks, groups and their pricing graphs.
    struct Batch {
        var shipments: [Shipment]
        /// First day of week 0.
        var horizonStart: CalendarDay
        var weekCount: Int
        var graphs: [PricingGraph]
        var groups: [Group]

        /// The groups as column generation sees them.
        var demands: [Demand] {
            groups.map { Demand(teu: $0.teu, graph: $0.graph, destination: $0.destination,
                                departures: $0.weeks.map { ($0.week, $0.maxHours) }) }
        }
    }

    /// The planner's answer before assembly: TEU per column and unmet per group, row use and
    /// duals, and (integer plans) whole departures with the LP bound.
    struct MasterSolution {
        var columns: [ColumnGeneration.Column]
        var columnCost: [Double]
        var rows: [ServiceWeek]
        var rowCapacityTEU: [Double]
        var columnTEU: [Double]
        var unmetTEU: [Double]
        var rowActivity: [Double]
        /// The LP's capacity duals (GLPK's sign: ≤ 0 when binding), also for integer plans.
        var rowDual: [Double]
        var iterations: Int
        var lowerBound: Double?
        var departures: [ServiceWeek: Int]?

        init(_ lp: ColumnGeneration.Solution) {
            columns = lp.columns
            columnCost = lp.columnCost
            rows = lp.rows
            rowCapacityTEU = lp.rowCapacityTEU
            columnTEU = lp.columnTEU
            unmetTEU = lp.unmetTEU
            rowActivity = lp.rowActivity
            rowDual = lp.rowDual
            iterations = lp.iterations
        }
    }

    /// Plans `shipments`.
    /// - Throws: ``PlanningError/invalidOption(name:value:expected:)`` for an option out of
    ///   range; other ``PlanningError`` cases when GLPK fails (a bug, not bad input).
    /// - Complexity: see the type's; grouping is O(s + g · (n + m) log n) for s shipments and
    ///   g graphs of n nodes and m arcs.
    public func plan(_ shipments: [Shipment], options: PlanOptions = .init()) throws(PlanningError) -> Plan {
        try options.validate()
        let started = ContinuousClock.now
        guard let batch = groupShipments(shipments, options: options) else {
            return Plan(shipments: [], services: [], totalCostUSD: 0, objective: options.objective,
                        horizonStart: CalendarDay(daysSinceEpoch: 0), weeks: 0, iterations: 0, lowerBound: nil,
                        isInteger: options.integer)
        }
        var capacityCache: [ServiceWeek: Double?] = [:]
        let engine = ColumnGeneration(graphs: batch.graphs, demands: batch.demands,
                                      unmetPenaltyPerTEU: options.unmetPenaltyPerTEU,
                                      maximumIterations: options.maximumIterations)
        let lp = try engine.solve { serviceWeek in
            if let known = capacityCache[serviceWeek] { return known }
            let capacity = weeklyCapacityTEU(serviceWeek, horizonStart: batch.horizonStart, options: options)
            capacityCache[serviceWeek] = .some(capacity)
            return capacity
        }
        var solution = MasterSolution(lp)
        var search: IntegerPlanSearch?
        if options.integer { (solution, search) = try wholeDepartures(solution, batch: batch, options: options, started: started) }
        var plan = assemble(batch: batch, solution: solution, options: options)
        plan.integerSearch = search
        return plan
    }

    /// Phase 1: the plan's weeks, and groups of alike shipments on shared pricing graphs (one per
    /// commodity: origin, cargo, tonnes per TEU and, for `balanced`, value of time); `nil` for no
    /// shipments.
    /// - Complexity: O(s) for s shipments plus, per commodity, O(n + m) to extend the base graph
    ///   of n nodes and m arcs by its endpoints, and per distinct destination place one query graph.
    func groupShipments(_ shipments: [Shipment], options: PlanOptions) -> Batch? {
        guard let horizonStart = shipments.map(\.ready).min(), let last = shipments.map(\.deadline).max() else { return nil }
        var commodities: [(query: RouteQuery, destinations: [PlaceCode])] = []
        var commodityIndex: [ShipmentProfile.Commodity: Int] = [:]
        var destinationIndex: [ShipmentProfile.GraphKey: Int] = [:]
        var groups: [Group] = []
        var groupIndex: [ShipmentProfile.GroupKey: Int] = [:]
        for (i, shipment) in shipments.enumerated() {
            let profile = ShipmentProfile(shipment, options: options)
            if let g = groupIndex[profile.group] {
                groups[g].shipments.append(i)
                groups[g].teu += shipment.teu
                continue
            }
            let graph: Int
            if let existing = commodityIndex[profile.graph.commodity] { graph = existing } else {
                graph = commodities.count
                commodityIndex[profile.graph.commodity] = graph
                commodities.append((profile.query, []))
            }
            let destination: Int
            if let existing = destinationIndex[profile.graph] { destination = existing } else {
                destination = commodities[graph].destinations.count
                destinationIndex[profile.graph] = destination
                commodities[graph].destinations.append(shipment.destination)
            }
            var weeks: [(week: Int, start: CalendarDay, maxHours: Double)] = []
            let firstWeek = (shipment.ready.daysSinceEpoch - horizonStart.daysSinceEpoch) / 7
            var lastWeek = (shipment.deadline.daysSinceEpoch - horizonStart.daysSinceEpoch) / 7
            if let window = options.departureWindowWeeks { lastWeek = min(lastWeek, firstWeek + max(1, window) - 1) }
            for week in firstWeek...lastWeek {
                let start = max(shipment.ready, horizonStart.adding(days: 7 * week))
                weeks.append((week, start, Double(shipment.deadline.daysSinceEpoch + 1 - start.daysSinceEpoch) * 24))
            }
            groupIndex[profile.group] = groups.count
            groups.append(Group(shipments: [i], teu: shipment.teu, graph: graph, destination: destination, weeks: weeks,
                                query: profile.query))
        }
        var lastMile: [PlaceCode: [(tail: Int, attributes: ArcAttributes)]] = [:]
        let graphs = commodities.map { commodity in
            pricingGraph(query: commodity.query, destinations: commodity.destinations, options: options, lastMile: &lastMile)
        }
        return Batch(shipments: shipments, horizonStart: horizonStart,
                     weekCount: (last.daysSinceEpoch - horizonStart.daysSinceEpoch) / 7 + 1,
                     graphs: graphs, groups: groups)
    }

    /// One commodity's pricing graph: the base graph (its arrays shared, not copied), the source
    /// with `query`'s first-mile arcs, and one sink per destination with that place's last-mile
    /// arcs, all weighed as ``PlanOptions/arcWeights(_:tonnesPerTEU:)`` weighs a query graph.
    /// `lastMile` caches each destination place's arcs into a sink (they depend on the place alone).
    /// - Complexity: O(n + m) for the base graph's n nodes and m arcs, plus one query graph per
    ///   destination place not yet in `lastMile`.
    func pricingGraph(query: RouteQuery, destinations: [PlaceCode], options: PlanOptions,
                      lastMile: inout [PlaceCode: [(tail: Int, attributes: ArcAttributes)]]) -> PricingGraph {
        var first = query
        first.destination = destinations[0]
        let queryGraph = QueryGraph(graph: router.graph, query: first)
        let graph = queryGraph.graph
        let queryWeights = options.arcWeights(queryGraph, tonnesPerTEU: query.tonnes)
        var shared = router.graph.arcCount
        while shared < graph.arcCount, case .origin = graph.roles[shared] { shared += 1 }
        func arcsIntoSink(_ place: PlaceCode, of queryGraph: QueryGraph) -> [(tail: Int, attributes: ArcAttributes)] {
            (0..<queryGraph.graph.arcCount).compactMap { arc in
                guard queryGraph.graph.heads[arc] == queryGraph.sink else { return nil }
                return (queryGraph.graph.tails[arc], queryGraph.graph.attributes[arc])
            }
        }
        if lastMile[destinations[0]] == nil { lastMile[destinations[0]] = arcsIntoSink(destinations[0], of: queryGraph) }

        var tails = Array(graph.tails[0..<shared]), heads = Array(graph.heads[0..<shared])
        var hours = graph.attributes[0..<shared].map(\.hours)
        var weights = Array(queryWeights[0..<shared])
        var outgoing = Array(router.graph.outgoing), incoming = Array(router.graph.incoming)
        let source = router.graph.nodeCount
        outgoing.append([])
        incoming.append([])
        for arc in router.graph.arcCount..<shared {
            outgoing[source].append(arc)
            incoming[heads[arc]].append(arc)
            tails[arc] = source
        }
        var sinks: [Int] = []
        var destinationArcStart: [Int] = []
        for destination in destinations {
            let arcs = lastMile[destination] ?? {
                var other = query
                other.destination = destination
                let arcs = arcsIntoSink(destination, of: QueryGraph(graph: router.graph, query: other))
                lastMile[destination] = arcs
                return arcs
            }()
            let sink = outgoing.count
            sinks.append(sink)
            outgoing.append([])
            incoming.append([])
            destinationArcStart.append(tails.count)
            for (tail, attributes) in arcs {
                let arc = tails.count
                tails.append(tail)
                heads.append(sink)
                hours.append(attributes.hours)
                weights.append(options.endpointWeight(attributes, query: query))
                outgoing[tail].append(arc)
                incoming[sink].append(arc)
            }
        }
        destinationArcStart.append(tails.count)
        assert(zip(weights[shared..<destinationArcStart[1]], queryWeights[shared...]).allSatisfy { $0 == $1 },
               "last-mile weights differ from the query graph's")
        return PricingGraph(tails: tails, heads: heads, outgoing: outgoing, incoming: incoming, hours: hours,
                            weights: weights, source: source, sinks: sinks, sharedArcCount: shared,
                            destinationArcStart: destinationArcStart)
    }

    /// Phase 2: TEU a service arc of the base graph offers in a week, from ``ServiceCapacity``
    /// at the network's average tonnes per TEU (the row is shared by cargo of every density), with
    /// the season of the week's first day and `options.disruptions`; `nil` when the arc is not a
    /// service or the service declares no limit (no row).
    /// - Complexity: O(a + d²) for a seasonal adjustments and d disruptions of the service.
    func weeklyCapacityTEU(_ serviceWeek: ServiceWeek, horizonStart: CalendarDay, options: PlanOptions) -> Double? {
        guard serviceWeek.arc < router.graph.arcCount, case .service(let id) = router.graph.roles[serviceWeek.arc],
              let service = network.service(id) else { return nil }
        return service.capacity.teuPerWeek(tonnesPerTEU: network.defaults.tonnesPerTEU,
                                           weekStarting: horizonStart.adding(days: 7 * serviceWeek.week),
                                           disruptions: options.disruptions)
    }
}
