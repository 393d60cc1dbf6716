import GLPKSolver
import MinCostFlow
import Routing
import NetworkData

/// Options of a batch plan.
public struct PlanOptions: Sendable {
    public var objective: Objective = .cost
    /// USD per tonne CO2e added to every objective (default 0; `balanced` uses 100 when unset).
    public var carbonPriceUSDPerTonne: Double?
    /// USD per TEU-hour for `balanced`; default: 10 % a year of the shipment's value, else 5.
    public var valueOfTimeUSDPerTEUHour: Double?
    /// Whole departures with a fixed cost each (a MIP in GLPK).
    public var integer = false
    /// A shipment departs within this many weeks of its ready week (nil: any week up to its
    /// deadline). With 1 every shipment leaves in its ready week.
    public var departureWindowWeeks: Int?
    /// Objective charged per TEU left behind; far above any route's price.
    public var unmetPenaltyPerTEU = 10_000_000.0
    public var maximumIterations = 100
    /// Integer plans: stop branch-and-cut at this relative gap or after this many seconds,
    /// keeping the best whole-departure plan found (the bound is reported beside it).
    public var mipGap = 0.001
    /// Seconds of branch-and-cut after the rounded LP plan; 0 keeps the rounded plan.
    public var mipSeconds = 30.0
    /// Closures and restrictions (days of the year, as in the simulator): a week's capacity
    /// of a service they hit shrinks by the share of the week they overlap times
    /// (1 − capacityFactor).
    public var disruptions: [Disruption] = []
    public init() {}
}

/// A failure of the planner itself (our bug or GLPK's), not of the input.
public struct PlanningError: Error, CustomStringConvertible {
    public var description: String
}

/// Plans a batch of shipments over shared weekly service capacities: a multi-commodity
/// min-cost flow solved as a path-based LP by column generation.
///
/// ## Detailed design
/// Weeks run from the earliest ready day in steps of 7 days. A column is one route for one
/// group of alike shipments (same origin, destination, cargo, dates) leaving in one week;
/// it books capacity on every service of the route in that departure week (a through booking
/// on the week's rotation, so weekly flows balance; the leg that runs weeks later is counted
/// in the departure week). The restricted master LP (GLPK simplex) has one demand row per group
/// (carried + unmet = TEU, unmet priced far above any route) and one capacity row per service
/// and week that some column uses. Pricing: for each group and week, Yen's algorithm on arc
/// weights minus the capacity duals of that week, by a label-setting search over (weight,
/// hours) labels that returns the lightest route within the deadline (exact). Every column
/// with negative reduced cost is added; the loop stops when none is left, so the LP is
/// optimal. With `integer`, a MIP over the final columns adds whole departures per service
/// and week (`glp_intopt`), each with a fixed cost, and reports the LP relaxation bound.
///
/// - Complexity: per iteration, one pricing search per distinct (origin, destination, cargo,
///   week, time budget) and one LP solve.
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

    struct Group {
        var shipments: [Int]
        var teu: Double
        var graph: Int
        var weights: [Double]
        /// Fewest hours from the origin to each node and from each node to the destination.
        var timeBounds: (fromSource: [Double], toSink: [Double])
        /// Allowed departure weeks: week index, start day, hours available until the deadline.
        var weeks: [(week: Int, start: CalendarDay, maxHours: Double)]
        var query: RouteQuery
    }

    struct PricingKey: Hashable {
        var graph: Int
        var week: Int
        var budget: Double
    }

    struct Column: Hashable {
        var group: Int
        var week: Int
        var arcs: [Int]
    }

    /// Plans `shipments`.
    /// - Throws: ``PlanningError`` when GLPK fails (a bug, not bad input).
    public func plan(_ shipments: [Shipment], options: PlanOptions = .init()) throws -> Plan {
        guard let horizonStart = shipments.map(\.ready).min(), let last = shipments.map(\.deadline).max() else {
            return Plan(shipments: [], services: [], totalCostUSD: 0, objective: options.objective,
                        horizonStart: CalendarDay(daysSinceEpoch: 0), weeks: 0, iterations: 0, lowerBound: nil,
                        isInteger: options.integer)
        }
        let weekCount = (last.daysSinceEpoch - horizonStart.daysSinceEpoch) / 7 + 1
        let carbonPrice = options.carbonPriceUSDPerTonne ?? (options.objective == .balanced ? 100 : 0)

        // Groups of alike shipments share rows and pricing.
        var graphs: [QueryGraph] = []
        var graphIndex: [String: Int] = [:]
        var groups: [Group] = []
        var groupIndex: [String: Int] = [:]
        var boundsOfGraph: [(fromSource: [Double], toSink: [Double])] = []
        for (i, shipment) in shipments.enumerated() {
            let ratio = (shipment.tonnes / shipment.teu * 100).rounded() / 100
            let valueOfTime = options.valueOfTimeUSDPerTEUHour
                ?? shipment.valueUSD.map { $0 / shipment.teu * 0.10 / 8760 } ?? 5
            let graphKey = "\(shipment.origin)|\(shipment.destination)|\(shipment.cargo)|\(ratio)"
            let key = "\(graphKey)|\(shipment.ready.daysSinceEpoch)|\(shipment.deadline.daysSinceEpoch)|\((valueOfTime * 1000).rounded())"
            if let g = groupIndex[key] {
                groups[g].shipments.append(i)
                groups[g].teu += shipment.teu
                continue
            }
            let query = RouteQuery(origin: shipment.origin, destination: shipment.destination, teu: 1, tonnes: ratio,
                                   cargo: shipment.cargo, objective: options.objective,
                                   valueOfTimeUSDPerTEUHour: valueOfTime, carbonPriceUSDPerTonne: carbonPrice)
            let graph: Int
            if let existing = graphIndex[graphKey] { graph = existing } else {
                graph = graphs.count
                graphIndex[graphKey] = graph
                graphs.append(QueryGraph(graph: router.graph, query: query))
            }
            let base = graphs[graph].search(objective: options.objective, respectCargo: true).weights
            // Time bounds depend only on which arcs the cargo may use: once per graph.
            if graph == boundsOfGraph.count { boundsOfGraph.append(graphs[graph].timeBounds(usable: base)) }
            let weights = base.indices.map { arc -> Double in
                guard base[arc].isFinite, options.objective == .cost, carbonPrice > 0 else { return base[arc] }
                return base[arc] + carbonPrice * graphs[graph].graph.attributes[arc].co2eKgPerTonne * ratio / 1000
            }
            var weeks: [(Int, CalendarDay, Double)] = []
            let firstWeek = (shipment.ready.daysSinceEpoch - horizonStart.daysSinceEpoch) / 7
            var lastWeek = (shipment.deadline.daysSinceEpoch - horizonStart.daysSinceEpoch) / 7
            if let window = options.departureWindowWeeks { lastWeek = min(lastWeek, firstWeek + max(1, window) - 1) }
            for week in firstWeek...lastWeek {
                let start = max(shipment.ready, horizonStart.adding(days: 7 * week))
                weeks.append((week, start, Double(shipment.deadline.daysSinceEpoch + 1 - start.daysSinceEpoch) * 24))
            }
            groupIndex[key] = groups.count
            groups.append(Group(shipments: [i], teu: shipment.teu, graph: graph, weights: weights,
                                timeBounds: boundsOfGraph[graph],
                                weeks: weeks.map { (week: $0.0, start: $0.1, maxHours: $0.2) }, query: query))
        }

        // Weekly capacity of each service arc.
        let baseGraph = router.graph
        func capacity(arc: Int, week: Int, tonnesPerTEU: Double) -> Double? {
            guard arc < baseGraph.arcCount, case .service(let id) = baseGraph.roles[arc],
                  let service = network.service(id) else { return nil }
            let perDeparture = service.capacityTEUPerDeparture
                ?? service.capacityTonnesPerDeparture.map { $0 / max(tonnesPerTEU, 0.01) } ?? .infinity
            let month = horizonStart.adding(days: 7 * week).month
            let seasonal = service.adjustment(inMonth: month)?.capacityFactor ?? 1
            var disrupted = 1.0
            if !options.disruptions.isEmpty {
                let weekStart = Double(horizonStart.adding(days: 7 * week).dayOfYear)
                for disruption in options.disruptions where disruption.hits(service) {
                    let overlap = max(0, min(weekStart + 7, disruption.toDay) - max(weekStart, disruption.fromDay)) / 7
                    disrupted -= overlap * (1 - disruption.capacityFactor)
                }
            }
            return perDeparture * service.departuresPerWeek * seasonal * max(0, disrupted)
        }
        let averageTonnesPerTEU = network.defaults.tonnesPerTEU

        var columns: [Column] = []
        var columnSet: Set<Column> = []
        var columnCost: [Double] = []
        var rowOf: [Int64: Int] = [:]          // (arc, week) → capacity row index (0-based among capacity rows)
        var rowKeys: [(arc: Int, week: Int)] = []
        var duals: [Int64: Double] = [:]
        var groupDuals = Array(repeating: options.unmetPenaltyPerTEU, count: groups.count)
        var iterations = 0
        var lastSolution: LPSolution?
        func key(_ arc: Int, _ week: Int) -> Int64 { Int64(arc) << 16 | Int64(week) }

        // The restricted master, kept between iterations and re-solved from its last basis:
        // rows 0..<G are the demand rows, then capacity rows; columns 0..<G are the unmet slacks
        // (basic at the start, so the first basis is feasible), then route columns.
        var master = GrowingLinearProgram()
        do {
            for group in groups {
                let row = try master.addRow(lower: group.teu, upper: group.teu)
                _ = try master.addColumn(cost: options.unmetPenaltyPerTEU, entries: [(row, 1)], basicFor: row)
            }
        } catch { throw PlanningError(description: "GLPK: \(error)") }

        let pricers = graphs.map {
            ConstrainedShortestPath(tails: $0.graph.tails, heads: $0.graph.heads, outgoing: $0.graph.outgoing,
                                    hours: $0.graph.attributes.map(\.hours))
        }
        while iterations < options.maximumIterations {
            var added = 0
            // Groups that share a graph, week and time budget share one pricing search a round.
            var pricingCache: [PricingKey: WeightedPath?] = [:]
            for (g, group) in groups.enumerated() {
                for option in group.weeks {
                    var weights = group.weights
                    graphs[group.graph].pruneArcs(&weights, bounds: group.timeBounds, deadlineHours: option.maxHours)
                    if !duals.isEmpty {
                        for (k, y) in duals where Int(k & 0xFFFF) == option.week {
                            let arc = Int(k >> 16)
                            if arc < weights.count && weights[arc].isFinite { weights[arc] -= y }
                        }
                    }
                    let cacheKey = PricingKey(graph: group.graph, week: option.week, budget: option.maxHours)
                    let found: WeightedPath?
                    if let cached = pricingCache[cacheKey] { found = cached } else {
                        found = pricers[group.graph].path(weights: weights, from: graphs[group.graph].source,
                                                          to: graphs[group.graph].sink, budgetHours: option.maxHours,
                                                          hoursToTarget: group.timeBounds.toSink)
                        pricingCache[cacheKey] = .some(found)
                    }
                    guard let best = found else { continue }
                    let reduced = best.weight - groupDuals[g]
                    guard reduced < -1e-7 * max(1, abs(groupDuals[g])) else { continue }
                    let column = Column(group: g, week: option.week, arcs: best.arcs)
                    guard columnSet.insert(column).inserted else { continue }
                    let cost = best.arcs.reduce(0.0) { $0 + group.weights[$1] }
                    var entries: [(row: Int, value: Double)] = [(g, 1)]
                    do {
                        for arc in best.arcs {
                            guard let limit = capacity(arc: arc, week: option.week, tonnesPerTEU: averageTonnesPerTEU) else { continue }
                            if rowOf[key(arc, option.week)] == nil {
                                rowOf[key(arc, option.week)] = rowKeys.count
                                rowKeys.append((arc, option.week))
                                _ = try master.addRow(lower: nil, upper: limit)
                            }
                            entries.append((groups.count + rowOf[key(arc, option.week)]!, 1))
                        }
                        _ = try master.addColumn(cost: cost, entries: entries)
                    } catch { throw PlanningError(description: "GLPK: \(error)") }
                    columns.append(column)
                    columnCost.append(cost)
                    added += 1
                }
            }
            if added == 0 && lastSolution != nil { break }
            iterations += 1
            let solved: GrowingLinearProgram.Solution?
            do { solved = try master.solve() } catch { throw PlanningError(description: "GLPK: \(error)") }
            guard let solved else { throw PlanningError(description: "the master LP has no optimum; this is a bug") }
            // Variables in the order the rest expects: route columns, then unmet per group.
            let solution = LPSolution(
                objectiveValue: solved.objective,
                values: Array(solved.values[groups.count...]) + Array(solved.values[0..<groups.count]),
                constraintActivities: solved.activities, duals: solved.duals, reducedCosts: nil, relaxationBound: nil)
            lastSolution = solution
            guard let rowDuals = solution.duals else { throw PlanningError(description: "GLPK returned no duals") }
            for g in groups.indices { groupDuals[g] = rowDuals[g] }
            duals = [:]
            for (r, rk) in rowKeys.enumerated() {
                let y = min(0, rowDuals[groups.count + r])
                if y < 0 { duals[key(rk.arc, rk.week)] = y }
            }
            if added == 0 { break }
        }
        guard var solution = lastSolution else {
            // No group has any feasible route at all.
            return assemble(shipments: shipments, groups: groups, graphs: graphs, columns: [], values: [],
                            unmet: groups.map(\.teu), rowKeys: [], activities: [], rowDuals: [], horizonStart: horizonStart,
                            weeks: weekCount, iterations: iterations, options: options, lowerBound: nil, departures: nil,
                            capacity: { capacity(arc: $0, week: $1, tonnesPerTEU: averageTonnesPerTEU) ?? .infinity })
        }
        var lowerBound: Double?
        var departures: [Int64: Int]?
        if options.integer {
            let lpDuals = solution.duals
            let capacityOf = { (arc: Int, week: Int) in capacity(arc: arc, week: week, tonnesPerTEU: averageTonnesPerTEU) ?? .infinity }
            // The LP relaxation of the departure model gives the bound; rounding its departures
            // up is always a whole-departure plan (the weekly capacity row keeps the round-up
            // within the timetable), so there is an answer even if branch-and-cut finds none.
            guard let relaxed = try solveMaster(groups: groups, columns: columns, columnCost: columnCost, rowOf: rowOf,
                                                rowKeys: rowKeys, penalty: options.unmetPenaltyPerTEU, integer: self,
                                                relaxIntegers: true, capacity: capacityOf)
            else { throw PlanningError(description: "the LP relaxation has no optimum; this is a bug") }
            lowerBound = relaxed.objectiveValue
            var best = relaxed
            let firstDeparture = columns.count + groups.count
            for r in rowKeys.indices { best.values[firstDeparture + r] = (relaxed.values[firstDeparture + r] - 1e-7).rounded(.up) }
            best.objectiveValue = zip(best.values, objectiveCoefficients(groups: groups, columnCost: columnCost,
                                                                          rowKeys: rowKeys, penalty: options.unmetPenaltyPerTEU))
                .reduce(0) { $0 + $1.0 * $1.1 }
            if options.mipSeconds > 0,
               let mip = try solveMaster(groups: groups, columns: columns, columnCost: columnCost, rowOf: rowOf, rowKeys: rowKeys,
                                         penalty: options.unmetPenaltyPerTEU, integer: self,
                                         solveOptions: SolveOptions(timeLimitMilliseconds: Int(options.mipSeconds * 1000),
                                                                    relativeMIPGap: options.mipGap, useCutsAndHeuristics: true),
                                         capacity: capacityOf),
               mip.objectiveValue < best.objectiveValue - 1e-6 * max(1, abs(best.objectiveValue)) {
                best = mip
            }
            var counts: [Int64: Int] = [:]
            for (r, rk) in rowKeys.enumerated() {
                counts[key(rk.arc, rk.week)] = Int(best.values[firstDeparture + r].rounded())
            }
            departures = counts
            solution = best
            solution.duals = lpDuals
        }
        let values = Array(solution.values[0..<columns.count])
        let unmet = Array(solution.values[columns.count..<(columns.count + groups.count)])
        let activities = Array(solution.constraintActivities[groups.count..<(groups.count + rowKeys.count)])
        let rowDuals = solution.duals.map { Array($0[groups.count..<(groups.count + rowKeys.count)]) }
            ?? Array(repeating: 0, count: rowKeys.count)
        var plan = assemble(shipments: shipments, groups: groups, graphs: graphs, columns: columns, values: values,
                            unmet: unmet, rowKeys: rowKeys, activities: activities, rowDuals: rowDuals,
                            horizonStart: horizonStart, weeks: weekCount, iterations: iterations, options: options,
                            lowerBound: lowerBound, departures: departures,
                            capacity: { capacity(arc: $0, week: $1, tonnesPerTEU: averageTonnesPerTEU) ?? .infinity })
        if let departures {
            var fixed = 0.0
            for (k, count) in departures {
                guard case .service(let id) = baseGraph.roles[Int(k >> 16)], let service = network.service(id) else { continue }
                fixed += Double(count) * fixedCostPerDeparture(service)
            }
            plan.totalCostUSD += fixed
        }
        return plan
    }

    /// Objective coefficients of the departure model, in variable order (columns, unmet, departures).
    private func objectiveCoefficients(groups: [Group], columnCost: [Double], rowKeys: [(arc: Int, week: Int)],
                                       penalty: Double) -> [Double] {
        columnCost + Array(repeating: penalty, count: groups.count) + rowKeys.map { rk in
            guard case .service(let id) = router.graph.roles[rk.arc], let service = network.service(id) else { return 0 }
            return fixedCostPerDeparture(service)
        }
    }

    /// Solves the restricted master; with `integer`, the MIP with whole departures (nil when a
    /// time limit stopped branch-and-cut before any whole-departure plan was found).
    /// Variables: columns, then unmet per group, then (integer) departures per capacity row.
    /// Rows: demand per group, then capacity per (arc, week), then (integer) departure links.
    private func solveMaster(
        groups: [Group], columns: [Column], columnCost: [Double], rowOf: [Int64: Int], rowKeys: [(arc: Int, week: Int)],
        penalty: Double, integer: BatchPlanner?, relaxIntegers: Bool = false, solveOptions: SolveOptions = .init(),
        capacity: (Int, Int) -> Double
    ) throws -> LPSolution? {
        var lp = LinearProgram(sense: .minimize)
        var demand = Array(repeating: [(variable: Int, value: Double)](), count: groups.count)
        var capacityRows = Array(repeating: [(variable: Int, value: Double)](), count: rowKeys.count)
        for (j, column) in columns.enumerated() {
            lp.addVariable(.init(lower: 0, upper: nil, objective: columnCost[j]))
            demand[column.group].append((j, 1))
            for arc in column.arcs {
                if let r = rowOf[Int64(arc) << 16 | Int64(column.week)] { capacityRows[r].append((j, 1)) }
            }
        }
        for g in groups.indices {
            let u = lp.addVariable(.init(lower: 0, upper: nil, objective: penalty))
            demand[g].append((u, 1))
        }
        for (g, group) in groups.enumerated() {
            lp.addConstraint(.init(coefficients: demand[g], lower: group.teu, upper: group.teu))
        }
        for (r, rk) in rowKeys.enumerated() {
            lp.addConstraint(.init(coefficients: capacityRows[r], lower: nil, upper: capacity(rk.arc, rk.week)))
        }
        if let planner = integer {
            for (r, rk) in rowKeys.enumerated() {
                guard case .service(let id) = router.graph.roles[rk.arc], let service = network.service(id) else { continue }
                let perDeparture = capacity(rk.arc, rk.week) / service.departuresPerWeek
                let y = lp.addVariable(.init(lower: 0, upper: service.departuresPerWeek.rounded(.up),
                                             objective: planner.fixedCostPerDeparture(service), isInteger: !relaxIntegers))
                lp.addConstraint(.init(coefficients: capacityRows[r] + [(y, -perDeparture)], lower: nil, upper: 0))
            }
        }
        let outcome: LPOutcome
        do { outcome = try lp.solve(options: solveOptions) } catch { throw PlanningError(description: "GLPK: \(error)") }
        switch outcome {
        case .optimal(let solution): return solution
        case .limitReached(let solution) where integer != nil && !relaxIntegers: return solution
        case .infeasible, .unbounded, .limitReached:
            throw PlanningError(description: "the master problem has no optimum (\(outcome)); this is a bug")
        }
    }
}
