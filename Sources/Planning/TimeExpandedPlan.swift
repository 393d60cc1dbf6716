import GLPKSolver
import Routing
import NetworkData

extension BatchPlanner {
    /// The arc-based LP of the whole model ``plan(_:options:)`` solves, departure weeks and
    /// deadlines included: a reference for other LP solvers and a certificate for column
    /// generation on batches where deadlines and weekly capacities bind.
    ///
    /// Its optimum equals `plan`'s objective (total cost + unmet TEU × penalty) for any batch and
    /// options, where ``arcBasedLP(_:options:)`` needs one departure week and no binding deadline.
    ///
    /// ## Detailed design
    /// It is built on the planner's own grouping (``groupShipments(_:options:)``: the weeks, the
    /// groups of alike shipments with their departure weeks and hour budgets, and one pricing
    /// graph per commodity), so both solve one model. Per group: one variable per allowed
    /// departure week (TEU leaving that week) and one unmet variable priced at
    /// `options.unmetPenaltyPerTEU`, in a row `Σ weeks + unmet = TEU`.
    ///
    /// Per commodity and departure week, one flow network carries every group leaving that week.
    /// A deadline is a bound on a route's total hours, which an arc flow cannot see, so the
    /// network is **time-expanded by exact elapsed hours**: a state is a node of the pricing
    /// graph and the hours spent reaching it from the week's start (sums of arc hours, as the
    /// planner sums them along a route). From the source at 0 h, each usable arc leads to the
    /// state at its head, kept only if the hours so far plus the fewest hours from there to one
    /// of the week's destinations fit the largest budget. An arc into a destination's sink ends
    /// at a terminal per (destination, budget) it meets. States that reach no terminal are
    /// dropped. A flow through this network is a set of routes that each meet their budget, and
    /// every such route is a path in it (a walk with a cycle costs at least as much as the route
    /// without it), so the LP's optimum is the path LP's.
    ///
    /// Rows: conservation at every state (at the source, out-flow = the groups' TEU leaving that
    /// week; at a terminal, in-flow = its groups' TEU); per service and departure week,
    /// `Σ flow ≤` the planner's weekly capacity (``weeklyCapacityTEU(_:horizonStart:options:)``);
    /// per group, its demand row.
    ///
    /// States are explored in order of their lightest prefix, and a state whose lightest prefix
    /// plus the least weight on to a destination exceeds `options.unmetPenaltyPerTEU` is not
    /// entered: a route dearer than leaving its TEU unmet is never used.
    ///
    /// The expansion is exact, and therefore large where budgets are long and arc hours varied:
    /// on the built-in network one commodity leaving in one week with a 28-day budget reaches
    /// about 100,000 distinct elapsed-hour sums at a node (tens of millions of states). It is
    /// meant for small networks and short budgets (the tests' certificate); beyond
    /// `maximumStates` in total it gives up.
    ///
    /// - Returns: the program (without variables when `shipments` is empty) and the number of
    ///   time-expanded states kept; nil when the expansion passes `maximumStates`.
    /// - Complexity: per commodity and week, O(s · d) for s states of out-degree d, with s at most
    ///   the nodes × the distinct elapsed-hour sums within the largest budget (it grows with the
    ///   budget and the variety of arc hours, not with the number of shipments).
    public func timeExpandedLP(_ shipments: [Shipment], options: PlanOptions,
                               maximumStates: Int = 5_000_000) -> (program: LinearProgram, states: Int)? {
        var lp = LinearProgram(sense: .minimize)
        guard let batch = groupShipments(shipments, options: options) else { return (lp, 0) }
        let baseArcCount = router.graph.arcCount

        // Per group: a variable per departure week, and the unmet one.
        var departureVariable: [[Int]] = []
        var unmetVariable: [Int] = []
        for group in batch.groups {
            departureVariable.append(group.weeks.map { _ in lp.addVariable(.init(lower: 0, upper: nil, objective: 0)) })
            unmetVariable.append(lp.addVariable(.init(lower: 0, upper: nil, objective: options.unmetPenaltyPerTEU)))
        }

        // The flow networks: one per commodity graph and departure week, in order of first appearance.
        struct WeekKey: Hashable {
            var graph: Int
            var week: Int
        }
        var weekKeys: [WeekKey] = []
        var leaving: [WeekKey: [(group: Int, departure: Int)]] = [:]
        for (g, group) in batch.groups.enumerated() {
            for (k, departure) in group.weeks.enumerated() {
                let key = WeekKey(graph: group.graph, week: departure.week)
                if leaving[key] == nil { weekKeys.append(key) }
                leaving[key, default: []].append((g, k))
            }
        }

        var capacityTerms: [ServiceWeek: [(variable: Int, value: Double)]] = [:]
        struct SinkKey: Hashable {
            var graph: Int
            var destination: Int
        }
        var toSinks: [SinkKey: (hours: [Double], weight: [Double])] = [:]   // fewest hours, least weight
        var stateCount = 0
        for key in weekKeys {
            let pricing = batch.graphs[key.graph]
            let departures = leaving[key]!

            // Terminals: one per destination and hour budget.
            struct Terminal: Hashable {
                var destination: Int
                var budget: Double
            }
            var terminals: [Terminal] = []
            var terminalIndex: [Terminal: Int] = [:]
            var terminalDepartures: [[Int]] = []   // the departure variables ending there
            var budgetsOfDestination: [Int: [(budget: Double, terminal: Int)]] = [:]
            for (g, k) in departures {
                let group = batch.groups[g]
                let terminal = Terminal(destination: group.destination, budget: group.weeks[k].maxHours)
                let t: Int
                if let known = terminalIndex[terminal] { t = known } else {
                    t = terminals.count
                    terminalIndex[terminal] = t
                    terminals.append(terminal)
                    terminalDepartures.append([])
                    budgetsOfDestination[terminal.destination, default: []].append((terminal.budget, t))
                }
                terminalDepartures[t].append(departureVariable[g][k])
            }
            let largestBudget = terminals.map(\.budget).max()!
            var fewestHours = [Double](repeating: .infinity, count: pricing.nodeCount)
            var leastWeight = [Double](repeating: .infinity, count: pricing.nodeCount)
            for destination in budgetsOfDestination.keys {
                let cacheKey = SinkKey(graph: key.graph, destination: destination)
                let toSink = toSinks[cacheKey] ?? (pricing.hoursToSink(destination), pricing.weightToSink(destination))
                toSinks[cacheKey] = toSink
                for node in fewestHours.indices {
                    fewestHours[node] = min(fewestHours[node], toSink.hours[node])
                    leastWeight[node] = min(leastWeight[node], toSink.weight[node])
                }
            }
            var destinationOfSink: [Int: Int] = [:]
            for (d, sink) in pricing.sinks.enumerated() where budgetsOfDestination[d] != nil { destinationOfSink[sink] = d }

            // States (node, elapsed hours), explored from the source in order of their lightest
            // prefix; terminals are states too.
            struct StateKey: Hashable {
                var node: Int
                /// Elapsed hours in micro-hours, so sums equal up to rounding share a state.
                var microHours: Int64
            }
            var stateNode: [Int] = [], stateHours: [Double] = [], stateWeight: [Double] = [], settled: [Bool] = []
            var stateIndex: [StateKey: Int] = [:]
            var terminalState = [Int](repeating: -1, count: terminals.count)
            for t in terminals.indices {
                terminalState[t] = stateNode.count
                stateNode.append(-1)
                stateHours.append(.nan)
                stateWeight.append(.infinity)
                settled.append(true)
            }
            var heap = BinaryHeap()
            func reach(_ node: Int, _ hours: Double, weight: Double) -> Int {
                let stateKey = StateKey(node: node, microHours: Int64((hours * 1e6).rounded()))
                let s: Int
                if let known = stateIndex[stateKey] { s = known } else {
                    s = stateNode.count
                    stateIndex[stateKey] = s
                    stateNode.append(node)
                    stateHours.append(hours)
                    stateWeight.append(.infinity)
                    settled.append(false)
                }
                if weight < stateWeight[s] {
                    stateWeight[s] = weight
                    heap.push(weight, s)
                }
                return s
            }
            let source = reach(pricing.source, 0, weight: 0)
            var edges: [(tail: Int, head: Int, arc: Int)] = []
            while let (weight, s) = heap.pop() {
                guard !settled[s], weight <= stateWeight[s] else { continue }
                settled[s] = true
                if stateCount + stateNode.count > maximumStates { return nil }
                let node = stateNode[s], elapsed = stateHours[s]
                for arc in pricing.outgoing[node] where pricing.weights[arc].isFinite {
                    let head = pricing.heads[arc]
                    let arrival = elapsed + pricing.hours[arc]
                    let prefix = weight + pricing.weights[arc]
                    // A route dearer than leaving its TEU unmet is never used.
                    guard prefix + leastWeight[head] <= options.unmetPenaltyPerTEU * (1 + 1e-12) else { continue }
                    if let d = destinationOfSink[head] {
                        for (budget, t) in budgetsOfDestination[d]! where arrival <= budget + 1e-9 {
                            edges.append((s, terminalState[t], arc))
                        }
                    } else if arrival + fewestHours[head] <= largestBudget + 1e-9 {
                        let to = reach(head, arrival, weight: prefix)
                        if to != s { edges.append((s, to, arc)) }
                    }
                }
            }

            // Keep the states that reach a terminal.
            var incoming = [[Int]](repeating: [], count: stateNode.count)
            for (e, edge) in edges.enumerated() { incoming[edge.head].append(e) }
            var live = [Bool](repeating: false, count: stateNode.count)
            var stack = terminalState
            for t in terminalState { live[t] = true }
            while let s = stack.popLast() {
                for e in incoming[s] where !live[edges[e].tail] {
                    live[edges[e].tail] = true
                    stack.append(edges[e].tail)
                }
            }
            stateCount += live.filter { $0 }.count

            // Flow variables and conservation rows.
            var rows = [[(variable: Int, value: Double)]](repeating: [], count: stateNode.count)
            for edge in edges where live[edge.tail] && live[edge.head] {
                let x = lp.addVariable(.init(lower: 0, upper: nil, objective: pricing.weights[edge.arc]))
                rows[edge.tail].append((x, 1))
                rows[edge.head].append((x, -1))
                if edge.arc < baseArcCount, case .service = router.graph.roles[edge.arc] {
                    capacityTerms[ServiceWeek(arc: edge.arc, week: key.week), default: []].append((x, 1))
                }
            }
            rows[source] += departures.map { (departureVariable[$0.group][$0.departure], -1) }
            for (t, variables) in terminalDepartures.enumerated() {
                rows[terminalState[t]] += variables.map { ($0, 1) }
            }
            for s in rows.indices where !rows[s].isEmpty {
                lp.addConstraint(.init(coefficients: rows[s], lower: 0, upper: 0))
            }
        }

        // Demand rows, then the shared weekly capacities.
        for (g, group) in batch.groups.enumerated() {
            let terms: [(variable: Int, value: Double)] = departureVariable[g].map { ($0, 1) } + [(unmetVariable[g], 1)]
            lp.addConstraint(.init(coefficients: terms, lower: group.teu, upper: group.teu))
        }
        for serviceWeek in capacityTerms.keys.sorted() {
            guard let capacity = weeklyCapacityTEU(serviceWeek, horizonStart: batch.horizonStart, options: options) else {
                continue
            }
            lp.addConstraint(.init(coefficients: capacityTerms[serviceWeek]!, lower: nil, upper: capacity))
        }
        return (lp, stateCount)
    }
}
