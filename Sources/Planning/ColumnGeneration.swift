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

/// A query graph column generation prices routes on, with the per-TEU arc weights every demand
/// on it shares (demands that weigh arcs differently need graphs of their own).
struct PricingGraph {
    let graph: QueryGraph
    /// Per-TEU weight of each arc; infinite: the arc is unusable (refuses the cargo, or no route
    /// through it meets a deadline).
    let weights: [Double]
    /// Fewest hours from the source to each node and from each node to the sink, over usable arcs.
    let timeBounds: (fromSource: [Double], toSink: [Double])
    /// The label-setting search that prices it.
    let search: ConstrainedShortestPath

    /// Prepares `graph` for pricing with `weights`.
    /// - Complexity: two Dijkstra searches, O((n + m) log n).
    init(graph: QueryGraph, weights: [Double]) {
        self.graph = graph
        self.weights = weights
        timeBounds = graph.timeBounds(usable: weights)
        search = ConstrainedShortestPath(tails: graph.graph.tails, heads: graph.graph.heads,
                                         outgoing: graph.graph.outgoing, hours: graph.graph.attributes.map(\.hours))
    }
}

/// TEU to carry from a pricing graph's source to its sink, leaving in one of some weeks.
struct Demand {
    var teu: Double
    /// Index of its ``PricingGraph``.
    var graph: Int
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
/// books capacity on every service of the route in that week. Pricing, per demand and week: the
/// lightest route within the week's time budget under arc weights minus that week's capacity
/// duals (``ConstrainedShortestPath``; demands sharing a graph, week and budget share one
/// search). Every column with negative reduced cost is added; the loop stops when a round adds
/// none (the LP is then optimal) or after `maximumIterations` master solves.
///
/// - Complexity: per iteration, one label-setting search per distinct (graph, week, budget) and
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

    private struct PricingKey: Hashable {
        var graph: Int
        var week: Int
        var budget: Double
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

        while iterations < maximumIterations {
            var added = 0
            var pricingCache: [PricingKey: WeightedPath?] = [:]
            for (d, demand) in demands.enumerated() {
                let pricing = graphs[demand.graph]
                for departure in demand.departures {
                    let key = PricingKey(graph: demand.graph, week: departure.week, budget: departure.maxHours)
                    let found: WeightedPath?
                    if let cached = pricingCache[key] { found = cached } else {
                        var weights = pricing.weights
                        pricing.graph.pruneArcs(&weights, bounds: pricing.timeBounds, deadlineHours: departure.maxHours)
                        for (arc, dual) in capacityDuals[departure.week] ?? [] where arc < weights.count && weights[arc].isFinite {
                            weights[arc] -= dual
                        }
                        found = pricing.search.path(weights: weights, from: pricing.graph.source, to: pricing.graph.sink,
                                                    budgetHours: departure.maxHours, hoursToTarget: pricing.timeBounds.toSink)
                        pricingCache[key] = .some(found)
                    }
                    guard let best = found else { continue }
                    let reducedCost = best.weight - demandDuals[d]
                    guard reducedCost < -1e-7 * max(1, abs(demandDuals[d])) else { continue }
                    let column = Column(demand: d, week: departure.week, arcs: best.arcs)
                    guard columnSet.insert(column).inserted else { continue }
                    let cost = best.arcs.reduce(0.0) { $0 + pricing.weights[$1] }
                    var entries: [(row: Int, value: Double)] = [(d, 1)]
                    do {
                        for arc in best.arcs {
                            let serviceWeek = ServiceWeek(arc: arc, week: departure.week)
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
            capacityDuals = [:]
            for (r, serviceWeek) in rows.enumerated() {
                let dual = min(0, duals[demands.count + r])
                if dual < 0 { capacityDuals[serviceWeek.week, default: []].append((serviceWeek.arc, dual)) }
            }
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
