import GLPKSolver
import Routing
import NetworkData

/// A service arc of the mode-expanded graph in one departure week: the key of a capacity row.
/// (A one-off volume split uses week 0 for its single period.)
struct ServiceWeek: Hashable, Comparable, Sendable {
    /// The arc in the base mode-expanded graph (or the query graph, which extends it).
    var arc: Int
    /// The departure week, 0 = the plan's first.
    var week: Int

    static func < (a: ServiceWeek, b: ServiceWeek) -> Bool { (a.arc, a.week) < (b.arc, b.week) }
}

/// What column generation prices routes on for one commodity: a graph with one source and one
/// sink per destination, and the per-TEU arc weights every demand on it shares (demands that
/// weigh arcs differently need graphs of their own).
///
/// The batch planner builds one per origin, cargo class and tonnes per TEU: the base
/// mode-expanded graph's arc arrays are shared (copy-on-write, never copied), followed by the
/// origin's first-mile arcs and each destination's last-mile arcs into its own sink. Arcs up to
/// ``sharedArcCount`` are numbered as in every query graph of the commodity; a destination's arcs
/// map to its query graph's by ``queryArc(_:destination:)``.
struct PricingGraph {
    let tails: [Int]
    let heads: [Int]
    let outgoing: [[Int]]
    let incoming: [[Int]]
    let hours: [Double]
    /// Per-TEU weight of each arc; infinite: the arc is unusable (refuses the cargo, or no route
    /// through it meets a deadline).
    let weights: [Double]
    let source: Int
    /// The sink of each destination.
    let sinks: [Int]
    /// Arcs numbered alike in every destination's query graph (base and first-mile arcs).
    let sharedArcCount: Int
    /// Index of each destination's first arc (and one past the last destination's last).
    let destinationArcStart: [Int]
    /// The label-setting search that prices a route when the lightest one misses its deadline.
    let search: ConstrainedShortestPath

    var nodeCount: Int { outgoing.count }

    /// Prepares one query graph for pricing with `weights` (one destination, arcs as numbered).
    init(graph: QueryGraph, weights: [Double]) {
        let hours = graph.graph.attributes.map(\.hours)
        self.init(tails: graph.graph.tails, heads: graph.graph.heads, outgoing: graph.graph.outgoing,
                  incoming: graph.graph.incoming, hours: hours, weights: weights, source: graph.source,
                  sinks: [graph.sink], sharedArcCount: graph.graph.arcCount, destinationArcStart: [graph.graph.arcCount, graph.graph.arcCount])
    }

    init(tails: [Int], heads: [Int], outgoing: [[Int]], incoming: [[Int]], hours: [Double], weights: [Double],
         source: Int, sinks: [Int], sharedArcCount: Int, destinationArcStart: [Int]) {
        self.tails = tails
        self.heads = heads
        self.outgoing = outgoing
        self.incoming = incoming
        self.hours = hours
        self.weights = weights
        self.source = source
        self.sinks = sinks
        self.sharedArcCount = sharedArcCount
        self.destinationArcStart = destinationArcStart
        search = ConstrainedShortestPath(tails: tails, heads: heads, outgoing: outgoing, hours: hours)
    }

    /// The arc of destination `destination`'s query graph that `arc` stands for.
    func queryArc(_ arc: Int, destination: Int) -> Int {
        arc < sharedArcCount ? arc : arc - destinationArcStart[destination] + sharedArcCount
    }

    /// Fewest hours from each node to `destination`'s sink over usable arcs.
    /// - Complexity: one Dijkstra search, O((n + m) log n).
    func hoursToSink(_ destination: Int) -> [Double] { distancesToSink(destination, lengths: hours) }

    /// Least weight from each node to `destination`'s sink.
    /// - Complexity: one Dijkstra search, O((n + m) log n).
    func weightToSink(_ destination: Int) -> [Double] { distancesToSink(destination, lengths: weights) }

    /// Shortest distance from each node to `destination`'s sink over usable arcs (finite weight),
    /// each arc as long as `lengths` says (≥ 0).
    private func distancesToSink(_ destination: Int, lengths: [Double]) -> [Double] {
        var distance = [Double](repeating: .infinity, count: nodeCount)
        var heap = BinaryHeap()
        distance[sinks[destination]] = 0
        heap.push(0, sinks[destination])
        while let (d, node) = heap.pop() {
            guard d <= distance[node] else { continue }
            for arc in incoming[node] where weights[arc].isFinite {
                let next = tails[arc]
                let candidate = d + lengths[arc]
                if candidate < distance[next] {
                    distance[next] = candidate
                    heap.push(candidate, next)
                }
            }
        }
        return distance
    }

    /// The lightest path from the source to every node under `weights` (Dijkstra), with each
    /// tree path's hours.
    /// - Complexity: O((n + m) log n).
    func shortestPathTree(weights: [Double], into tree: inout ShortestPathTree) {
        tree.reset(nodeCount: nodeCount)
        tree.distance[source] = 0
        tree.hours[source] = 0
        tree.heap.push(0, source)
        while let (d, node) = tree.heap.pop() {
            guard d <= tree.distance[node] else { continue }
            for arc in outgoing[node] {
                let w = weights[arc]
                guard w.isFinite else { continue }
                let head = heads[arc]
                let candidate = d + w
                if candidate < tree.distance[head] {
                    tree.distance[head] = candidate
                    tree.parentArc[head] = arc
                    tree.hours[head] = tree.hours[node] + hours[arc]
                    tree.heap.push(candidate, head)
                }
            }
        }
    }
}

/// A shortest-path tree's arrays, reused from search to search.
struct ShortestPathTree {
    var distance: [Double] = []
    var hours: [Double] = []
    var parentArc: [Int] = []
    var heap = BinaryHeap()

    mutating func reset(nodeCount: Int) {
        if distance.count != nodeCount {
            distance = Array(repeating: .infinity, count: nodeCount)
            hours = Array(repeating: .infinity, count: nodeCount)
            parentArc = Array(repeating: -1, count: nodeCount)
        } else {
            for i in 0..<nodeCount {
                distance[i] = .infinity
                hours[i] = .infinity
                parentArc[i] = -1
            }
        }
        heap.removeAll()
    }

    /// The tree path's arcs from the source to `node`.
    func arcs(to node: Int, tails: [Int]) -> [Int] {
        var arcs: [Int] = []
        var current = node
        while parentArc[current] >= 0 {
            arcs.append(parentArc[current])
            current = tails[parentArc[current]]
        }
        return arcs.reversed()
    }
}

/// A binary min-heap of (key, node), ties broken by node.
struct BinaryHeap {
    private var keys: [Double] = []
    private var nodes: [Int] = []

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        nodes.removeAll(keepingCapacity: true)
    }

    private func less(_ i: Int, _ j: Int) -> Bool { (keys[i], nodes[i]) < (keys[j], nodes[j]) }

    mutating func push(_ key: Double, _ node: Int) {
        keys.append(key)
        nodes.append(node)
        var i = keys.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            keys.swapAt(i, parent)
            nodes.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Double, Int)? {
        guard let key = keys.first else { return nil }
        let node = nodes[0]
        let last = keys.count - 1
        keys.swapAt(0, last)
        nodes.swapAt(0, last)
        keys.removeLast()
        nodes.removeLast()
        var i = 0
        while true {
            let left = 2 * i + 1
            guard left < keys.count else { break }
            var child = left
            if left + 1 < keys.count && less(left + 1, left) { child = left + 1 }
            guard less(child, i) else { break }
            keys.swapAt(i, child)
            nodes.swapAt(i, child)
            i = child
        }
        return (key, node)
    }
}

/// TEU to carry from a pricing graph's source to one of its sinks, leaving in one of some weeks.
struct Demand {
    var teu: Double
    /// Index of its ``PricingGraph``.
    var graph: Int
    /// Index of its sink in the graph's ``PricingGraph/sinks``.
    var destination: Int
    /// The weeks it may leave in, with the hours from that week's start to the deadline
    /// (`.infinity`: no deadline).
    var departures: [(week: Int, maxHours: Double)]
}

/// Column generation for TEU demands over shared service-week capacities: the one engine of the
/// volume split and the batch planner.
///
/// ## Detailed design
/// The restricted master (a ``GrowingLinearProgram``, re-solved from its last basis) has one row
/// per demand, `carried + unmet = TEU`, with an unmet column priced at `unmetPenaltyPerTEU`
/// (basic at the start, so the first basis is feasible), and one row `Σ flow ≤ capacity` per
/// service-week some column uses. A column is one route for one demand leaving in one week; it
/// books capacity on every service of the route in that week. Pricing, per pricing graph and
/// week: one shortest-path tree under arc weights minus that week's capacity duals serves every
/// destination; a demand whose tree route misses its time budget gets the exact constrained
/// search (``ConstrainedShortestPath``; demands sharing a graph, week, destination and budget
/// share one). Weeks whose duals did not change keep last round's routes. Every column with
/// negative reduced cost is added; the loop stops when a round adds none (the LP is then
/// optimal) or after `maximumIterations` master solves.
///
/// - Complexity: per iteration, one Dijkstra tree per (graph, week) whose duals changed, one
///   label-setting search per (graph, week, destination, budget) the tree does not answer, and
///   one simplex re-solve.
struct ColumnGeneration {
    /// One route for one demand leaving in one week.
    struct Column: Hashable {
        var demand: Int
        var week: Int
        var arcs: [Int]
    }

    /// The optimal restricted master (or the last one, at the iteration limit).
    struct Solution {
        var columns: [Column]
        /// Per-TEU weight of each column's route.
        var columnCost: [Double]
        /// Capacity rows in the order they were added, with their TEU limits.
        var rows: [ServiceWeek]
        var rowOf: [ServiceWeek: Int]
        var rowCapacityTEU: [Double]
        /// TEU on each column, TEU left behind per demand.
        var columnTEU: [Double]
        var unmetTEU: [Double]
        /// Per capacity row: TEU booked, and GLPK's dual (≤ 0 for a binding capacity).
        var rowActivity: [Double]
        var rowDual: [Double]
        /// Master solves.
        var iterations: Int
    }

    /// Demands priced on one shortest-path tree: one graph in one departure week.
    private struct TreeKey: Hashable {
        var graph: Int
        var week: Int
    }

    /// The lightest route found for one demand's departure: local arcs of its pricing graph.
    private struct Priced {
        var demand: Int
        var departure: Int
        var weight: Double
        var arcs: [Int]
    }

    var graphs: [PricingGraph]
    var demands: [Demand]
    var unmetPenaltyPerTEU: Double
    var maximumIterations: Int

    /// Runs column generation; `capacity` gives a service-week's TEU limit, `nil` for an arc
    /// without one (not a service, or a service with no declared limit).
    /// - Throws: ``PlanningError`` when GLPK fails or the master has no optimum (bugs).
    func solve(capacity: (ServiceWeek) -> Double?) throws(PlanningError) -> Solution {
        let stage = PlanningError.Stage.restrictedMaster
        var master = GrowingLinearProgram()
        do {
            for demand in demands {
                let row = try master.addRow(lower: demand.teu, upper: demand.teu)
                _ = try master.addColumn(cost: unmetPenaltyPerTEU, entries: [(row, 1)], basicFor: row)
            }
        } catch { throw .solverFailed(stage, error) }

        var columns: [Column] = []
        var columnSet: Set<Column> = []
        var columnCost: [Double] = []
        var rows: [ServiceWeek] = []
        var rowOf: [ServiceWeek: Int] = [:]
        var rowCapacity: [Double] = []
        var demandDuals = Array(repeating: unmetPenaltyPerTEU, count: demands.count)
        var capacityDuals: [Int: [(arc: Int, dual: Double)]] = [:]   // week → negative duals
        var iterations = 0
        var last: GrowingLinearProgram.Solution?

        // Each graph and week's departures, in order of first appearance.
        var treeKeys: [TreeKey] = []
        var treeDepartures: [TreeKey: [(demand: Int, departure: Int)]] = [:]
        for (d, demand) in demands.enumerated() {
            for (k, departure) in demand.departures.enumerated() {
                let key = TreeKey(graph: demand.graph, week: departure.week)
                if treeDepartures[key] == nil { treeKeys.append(key) }
                treeDepartures[key, default: []].append((d, k))
            }
        }
        var tree = ShortestPathTree()
        var hoursToSink: [Int: [Int: [Double]]] = [:]   // graph → destination → hours
        var priced: [TreeKey: [Priced]] = [:]           // the last round's routes, per tree
        var changedWeeks: Set<Int>? = nil               // nil: every week

        while iterations < maximumIterations {
            var added = 0
            // Pricing: per graph and week, one shortest-path tree serves every destination; a
            // departure whose tree route misses its deadline gets a constrained search. Trees of
            // weeks whose capacity duals did not change keep last round's routes.
            var candidates: [Priced] = []
            for key in treeKeys {
                if let changedWeeks, !changedWeeks.contains(key.week), let known = priced[key] {
                    candidates += known
                    continue
                }
                let pricing = graphs[key.graph]
                var weights = pricing.weights
                for (arc, dual) in capacityDuals[key.week] ?? [] where arc < weights.count && weights[arc].isFinite {
                    weights[arc] -= dual
                }
                pricing.shortestPathTree(weights: weights, into: &tree)
                var found: [Priced] = []
                var constrained: [Int: [Double: WeightedPath?]] = [:]   // destination → budget → path
                for (d, k) in treeDepartures[key]! {
                    let destination = demands[d].destination
                    let sink = pricing.sinks[destination]
                    guard tree.distance[sink].isFinite else { continue }
                    let budget = demands[d].departures[k].maxHours
                    if tree.hours[sink] <= budget + 1e-9 {
                        found.append(Priced(demand: d, departure: k, weight: tree.distance[sink],
                                            arcs: tree.arcs(to: sink, tails: pricing.tails)))
                        continue
                    }
                    let path: WeightedPath?
                    if let known = constrained[destination]?[budget] { path = known } else {
                        let toSink = hoursToSink[key.graph]?[destination] ?? pricing.hoursToSink(destination)
                        hoursToSink[key.graph, default: [:]][destination] = toSink
                        path = pricing.search.path(weights: weights, from: pricing.source, to: sink,
                                                   budgetHours: budget, hoursToTarget: toSink)
                        constrained[destination, default: [:]][budget] = .some(path)
                    }
                    if let path { found.append(Priced(demand: d, departure: k, weight: path.weight, arcs: path.arcs)) }
                }
                priced[key] = found
                candidates += found
            }
            // Columns enter in demand order, as if priced demand by demand.
            candidates.sort { ($0.demand, $0.departure) < ($1.demand, $1.departure) }
            for best in candidates {
                let d = best.demand
                let reducedCost = best.weight - demandDuals[d]
                guard reducedCost < -1e-7 * max(1, abs(demandDuals[d])) else { continue }
                let demand = demands[d]
                let pricing = graphs[demand.graph]
                let week = demand.departures[best.departure].week
                let column = Column(demand: d, week: week,
                                    arcs: best.arcs.map { pricing.queryArc($0, destination: demand.destination) })
                guard columnSet.insert(column).inserted else { continue }
                let cost = best.arcs.reduce(0.0) { $0 + pricing.weights[$1] }
                var entries: [(row: Int, value: Double)] = [(d, 1)]
                do {
                    for arc in column.arcs {
                        let serviceWeek = ServiceWeek(arc: arc, week: week)
                        if rowOf[serviceWeek] == nil {
                            guard let limit = capacity(serviceWeek) else { continue }
                            rowOf[serviceWeek] = rows.count
                            rows.append(serviceWeek)
                            rowCapacity.append(limit)
                            _ = try master.addRow(lower: nil, upper: limit)
                        }
                        entries.append((demands.count + rowOf[serviceWeek]!, 1))
                    }
                    _ = try master.addColumn(cost: cost, entries: entries)
                } catch { throw .solverFailed(stage, error) }
                columns.append(column)
                columnCost.append(cost)
                added += 1
            }
            if added == 0 && last != nil { break }
            iterations += 1
            let outcome: GrowingLinearProgram.Outcome
            do { outcome = try master.solve() } catch { throw .solverFailed(stage, error) }
            switch outcome {
            case .optimal(let solution): last = solution
            case .infeasible: throw .noOptimum(stage, outcome: "infeasible")
            case .unbounded: throw .noOptimum(stage, outcome: "unbounded")
            }
            let duals = last!.duals
            for d in demands.indices { demandDuals[d] = duals[d] }
            var newDuals: [Int: [(arc: Int, dual: Double)]] = [:]
            for (r, serviceWeek) in rows.enumerated() {
                let dual = min(0, duals[demands.count + r])
                if dual < 0 { newDuals[serviceWeek.week, default: []].append((serviceWeek.arc, dual)) }
            }
            var changed: Set<Int> = []
            for week in Set(newDuals.keys).union(capacityDuals.keys) {
                let old = capacityDuals[week] ?? [], new = newDuals[week] ?? []
                if old.count != new.count || zip(old, new).contains(where: { $0.arc != $1.arc || $0.dual != $1.dual }) {
                    changed.insert(week)
                }
            }
            changedWeeks = changed
            capacityDuals = newDuals
            if added == 0 { break }
        }
        guard let last else { throw .noOptimum(stage, outcome: "not solved (maximumIterations is 0)") }
        let demandCount = demands.count
        return Solution(
            columns: columns, columnCost: columnCost, rows: rows, rowOf: rowOf, rowCapacityTEU: rowCapacity,
            columnTEU: Array(last.values[demandCount...]), unmetTEU: Array(last.values[0..<demandCount]),
            rowActivity: Array(last.activities[demandCount...]), rowDual: Array(last.duals[demandCount...]),
            iterations: iterations)
    }
}
