import GLPKSolver
import MinCostFlow
import Routing
import NetworkData

extension BatchPlanner {
    /// The arc-based multi-commodity LP of the model ``plan(_:options:)`` solves, for a batch
    /// whose shipments all leave in the first week: a reference for other LP solvers and a
    /// certificate for column generation.
    ///
    /// It has the same optimum as `plan` (objective = total cost + unmet TEU × penalty) when
    /// every shipment is ready in the plan's first week, may only leave in that week
    /// (`options.departureWindowWeeks == 1`), and no deadline binds (every route of the network
    /// arrives in time). Departure weeks and deadlines are not modelled here.
    ///
    /// ## Detailed design
    /// A commodity is all shipments with one origin, cargo class and tonnes-per-TEU ratio
    /// (rounded to 0.01 as the planner does; for `balanced`, also one value of time). Each
    /// commodity has its own copy of the mode-expanded graph plus a source (the origin, with
    /// its first-mile arcs exactly as a route query builds them) and one sink per destination
    /// (with the last-mile arcs). Variables, in order per commodity: the TEU flow on each
    /// usable arc (it accepts the cargo and lies on some source–sink path) priced at the
    /// planner's per-TEU arc weight, then one unmet variable per destination, priced at
    /// `options.unmetPenaltyPerTEU` (an arc from source to sink). Rows, per commodity: flow
    /// conservation `out − in = b` at every node an arc touches (b = the commodity's TEU at the
    /// source, minus a destination's TEU at its sink, 0 elsewhere); then, shared by all
    /// commodities, `Σ flow ≤ capacity` for each service arc some commodity may use, with the
    /// planner's week-0 capacity (``weeklyCapacityTEU(_:horizonStart:options:)``: the
    /// ``ServiceCapacity`` of the first week, with its season and `options.disruptions`).
    /// Services without a capacity get no row.
    ///
    /// - Returns: the program; without variables (which ``LinearProgram/validate()`` rejects)
    ///   when `shipments` is empty.
    /// - Complexity: O(c · (m + d · n)) time for c commodities, d destinations per commodity and
    ///   a graph of n nodes and m arcs; the program has O(c · m) variables and O(c · n) rows.
    public func arcBasedLP(_ shipments: [Shipment], options: PlanOptions) -> LinearProgram {
        var lp = LinearProgram(sense: .minimize)
        guard let horizonStart = shipments.map(\.ready).min() else { return lp }
        let base = router.graph

        // Commodities in order of first appearance (the planner's grouping, up to the
        // destination); destinations likewise.
        struct Commodity {
            var query: RouteQuery
            var destinations: [PlaceCode] = []
            var teu: [PlaceCode: Double] = [:]
        }
        var commodities: [Commodity] = []
        var commodityIndex: [ShipmentProfile.Commodity: Int] = [:]
        for shipment in shipments {
            let profile = ShipmentProfile(shipment, options: options)
            let key = profile.graph.commodity
            let k: Int
            if let existing = commodityIndex[key] { k = existing } else {
                k = commodities.count
                commodityIndex[key] = k
                commodities.append(Commodity(query: profile.query))
            }
            if commodities[k].teu[shipment.destination] == nil { commodities[k].destinations.append(shipment.destination) }
            commodities[k].teu[shipment.destination, default: 0] += shipment.teu
        }

        var capacityTerms: [Int: [(variable: Int, value: Double)]] = [:]   // service arc → flows
        let nodeCount = base.nodeCount
        for commodity in commodities {
            // Local nodes: the base graph's, then the source, then one sink per destination.
            let source = nodeCount
            var tails: [Int] = [], heads: [Int] = [], costs: [Double] = [], baseArc: [Int] = []
            for (d, destination) in commodity.destinations.enumerated() {
                var query = commodity.query
                query.destination = destination
                let graph = QueryGraph(graph: base, query: query)
                let w = options.arcWeights(graph, tonnesPerTEU: query.tonnes)
                for arc in 0..<graph.graph.arcCount where w[arc].isFinite {
                    let isBase = arc < base.arcCount
                    var isFirstMile = false
                    if case .origin = graph.graph.roles[arc] { isFirstMile = true }
                    if (isBase || isFirstMile) && d > 0 { continue }   // the same for every destination
                    tails.append(graph.graph.tails[arc] == graph.source ? source : graph.graph.tails[arc])
                    heads.append(graph.graph.heads[arc] == graph.sink ? source + 1 + d : graph.graph.heads[arc])
                    costs.append(w[arc])
                    baseArc.append(isBase ? arc : -1)
                }
            }

            // Usable arcs: reachable from the source and reaching some sink.
            let localCount = nodeCount + 1 + commodity.destinations.count
            var outgoing = Array(repeating: [Int](), count: localCount)
            var incoming = Array(repeating: [Int](), count: localCount)
            for a in tails.indices {
                outgoing[tails[a]].append(a)
                incoming[heads[a]].append(a)
            }
            func reach(from starts: [Int], forward: Bool) -> [Bool] {
                var seen = Array(repeating: false, count: localCount)
                var stack = starts
                for s in starts { seen[s] = true }
                while let node = stack.popLast() {
                    for a in forward ? outgoing[node] : incoming[node] {
                        let next = forward ? heads[a] : tails[a]
                        if !seen[next] { seen[next] = true; stack.append(next) }
                    }
                }
                return seen
            }
            let fromSource = reach(from: [source], forward: true)
            let toSink = reach(from: Array((source + 1)..<localCount), forward: false)

            // Flow variables and conservation rows.
            var rows = Array(repeating: [(variable: Int, value: Double)](), count: localCount)
            for a in tails.indices where fromSource[tails[a]] && toSink[heads[a]] {
                let x = lp.addVariable(.init(lower: 0, upper: nil, objective: costs[a]))
                rows[tails[a]].append((x, 1))
                rows[heads[a]].append((x, -1))
                if baseArc[a] >= 0, case .service = base.roles[baseArc[a]] { capacityTerms[baseArc[a], default: []].append((x, 1)) }
            }
            var supply = 0.0
            for (d, destination) in commodity.destinations.enumerated() {
                let unmet = lp.addVariable(.init(lower: 0, upper: nil, objective: options.unmetPenaltyPerTEU))
                rows[source].append((unmet, 1))
                rows[source + 1 + d].append((unmet, -1))
                supply += commodity.teu[destination]!
            }
            for node in 0..<localCount where !rows[node].isEmpty {
                let b = node == source ? supply : node > source ? -commodity.teu[commodity.destinations[node - source - 1]]! : 0
                lp.addConstraint(.init(coefficients: rows[node], lower: b, upper: b))
            }
        }

        // Shared weekly capacities, as BatchPlanner.plan computes them for week 0.
        for arc in capacityTerms.keys.sorted() {
            guard let capacity = weeklyCapacityTEU(ServiceWeek(arc: arc, week: 0), horizonStart: horizonStart,
                                                   options: options) else { continue }
            lp.addConstraint(.init(coefficients: capacityTerms[arc]!, lower: nil, upper: capacity))
        }
        return lp
    }
}
