import GLPKSolver
import Routing
import NetworkData

/// How an integer plan was found and how far it may be from the optimum.
public struct IntegerPlanSearch: Sendable {
    /// Objective of the whole-departure plan (route weights, unmet penalty, departure costs).
    public var planObjective: Double
    /// A proven lower bound on the whole-departure model over the generated columns.
    public var bound: Double
    /// Seconds from the start of planning to the first whole-departure plan, and to the end.
    public var secondsToFirstPlan: Double
    public var seconds: Double
    /// Which step found the plan kept: `rounded LP`, `slope scaling` or `branch-and-cut`.
    public var foundBy: String

    /// (plan − bound) / plan, 0 when both are 0.
    public var gap: Double { Self.gap(plan: planObjective, bound: bound) }

    /// (plan − bound) / plan for a plan ≥ bound ≥ 0; 0 when the plan costs nothing.
    public static func gap(plan: Double, bound: Double) -> Double {
        plan > 0 ? max(0, plan - bound) / plan : 0
    }
}

/// The whole-departure model over a master's columns. Variables: columns (TEU), unmet TEU per
/// group, then one integer departure count per capacity row of a service. Rows: demand per
/// group; weekly capacity per row; the aggregated link `Σ x ≤ TEU per departure × y`; and the
/// strong links `Σ x_group ≤ min(group TEU, capacity) × y` for every group whose TEU is below
/// a departure's (valid because y ≥ 1 whenever anything moves; they make the LP bound
/// charge a whole departure to a small flow, which the aggregated row does not).
struct DepartureModel {
    var program: LinearProgram
    let columnCount: Int
    let groupCount: Int
    /// Per capacity row: its departure variable (nil: not a service), TEU per departure and
    /// the columns through it.
    let departure: [Int?]
    let perDeparture: [Double]
    let columnsThrough: [[Int]]
    let rowCapacity: [Double]

    init(_ lp: BatchPlanner.MasterSolution, groups: [BatchPlanner.Group], penalty: Double, integer: Bool,
         service: (ServiceWeek) -> Service?, fixedCost: (Service) -> Double) {
        columnCount = lp.columns.count
        groupCount = groups.count
        rowCapacity = lp.rowCapacityTEU
        var model = LinearProgram(sense: .minimize)
        var demand = Array(repeating: [(variable: Int, value: Double)](), count: groups.count)
        var through = Array(repeating: [Int](), count: lp.rows.count)
        let rowOf = Dictionary(uniqueKeysWithValues: lp.rows.enumerated().map { ($1, $0) })
        for (j, column) in lp.columns.enumerated() {
            model.addVariable(.init(lower: 0, upper: nil, objective: lp.columnCost[j]))
            demand[column.demand].append((j, 1))
            for arc in column.arcs {
                if let r = rowOf[ServiceWeek(arc: arc, week: column.week)], through[r].last != j { through[r].append(j) }
            }
        }
        columnsThrough = through
        for g in groups.indices {
            demand[g].append((model.addVariable(.init(lower: 0, upper: nil, objective: penalty)), 1))
            model.addConstraint(.init(coefficients: demand[g], lower: groups[g].teu, upper: groups[g].teu))
        }
        for r in lp.rows.indices {
            model.addConstraint(.init(coefficients: through[r].map { ($0, 1) }, lower: nil, upper: lp.rowCapacityTEU[r]))
        }
        var departure = [Int?](repeating: nil, count: lp.rows.count)
        var perDeparture = [Double](repeating: 0, count: lp.rows.count)
        for (r, serviceWeek) in lp.rows.enumerated() {
            guard let service = service(serviceWeek), service.departuresPerWeek > 0 else { continue }
            let capacity = lp.rowCapacityTEU[r]
            let teu = capacity / service.departuresPerWeek
            // TEU each group can put on the row: its demand, at most the week's capacity.
            var reach: [Int: Double] = [:]
            for j in through[r] { reach[lp.columns[j].demand] = min(groups[lp.columns[j].demand].teu, capacity) }
            let most = min(capacity, reach.values.reduce(0, +))
            let upper = teu > 0 ? min(service.departuresPerWeek.rounded(.up), (most / teu - 1e-9).rounded(.up)) : 0
            let y = model.addVariable(.init(lower: 0, upper: max(0, upper), objective: fixedCost(service), isInteger: integer))
            departure[r] = y
            perDeparture[r] = teu
            model.addConstraint(.init(coefficients: through[r].map { ($0, 1) } + [(y, -teu)], lower: nil, upper: 0))
            var byGroup: [Int: [Int]] = [:]
            for j in through[r] { byGroup[lp.columns[j].demand, default: []].append(j) }
            for (g, columns) in byGroup.sorted(by: { $0.key < $1.key }) where reach[g]! < teu * (1 - 1e-9) {
                model.addConstraint(.init(coefficients: columns.map { ($0, 1) } + [(y, -reach[g]!)], lower: nil, upper: 0))
            }
        }
        self.departure = departure
        self.perDeparture = perDeparture
        program = model
    }

    /// The whole-departure point that carries `flows` (columns then unmet, as in the model):
    /// on each row the fewest departures that hold its TEU.
    func point(carrying flows: ArraySlice<Double>) -> [Double] {
        var point = Array(flows) + Array(repeating: 0, count: program.variables.count - flows.count)
        for (r, y) in departure.enumerated() {
            guard let y else { continue }
            let flow = columnsThrough[r].reduce(0) { $0 + max(0, point[$1]) }
            point[y] = flow > 1e-9 && perDeparture[r] > 0 ? (flow / perDeparture[r] - 1e-7).rounded(.up) : 0
            point[y] = max(point[y], flow > 1e-9 ? 1 : 0)
        }
        return point
    }

    func objective(_ point: [Double]) -> Double {
        zip(point, program.variables).reduce(0) { $0 + $1.0 * $1.1.objective }
    }

    /// The flow part of the model (columns and unmet, demand and capacity rows) with a
    /// per-TEU charge `slope[r]` on each row and row limits `limit` (default: capacity);
    /// its optimal flows, or nil.
    func flows(slope: [Double], limit: [Double]? = nil) throws(PlanningError) -> ArraySlice<Double>? {
        var model = LinearProgram(sense: .minimize)
        for j in 0..<(columnCount + groupCount) { model.addVariable(.init(lower: 0, upper: nil, objective: program.variables[j].objective)) }
        for (r, columns) in columnsThrough.enumerated() where slope[r] != 0 {
            for j in columns { model.variables[j].objective += slope[r] }
        }
        for g in 0..<groupCount { model.addConstraint(program.constraints[g]) }
        for r in columnsThrough.indices {
            model.addConstraint(.init(coefficients: columnsThrough[r].map { ($0, 1) }, lower: nil,
                                      upper: min(rowCapacity[r], limit?[r] ?? .infinity)))
        }
        let outcome: LPOutcome
        do { outcome = try model.solve(options: SolveOptions(dualSimplex: true)) } catch { throw .solverFailed(.departureRelaxation, error) }
        return outcome.optimalSolution.map { $0.values[...] }
    }
}

extension BatchPlanner {
    /// Phase 4 (integer plans): whole departures over the final columns (``DepartureModel``).
    /// The LP relaxation of the strengthened model is the first bound; rounding its
    /// departures up and repairing (re-routing within the rounded departures, then dropping
    /// departures left empty) is the first plan; dynamic slope scaling (flows re-solved with
    /// each row's fixed cost spread over its last flow) improves it; branch-and-cut
    /// (`glp_intopt` with cuts, starting from the best plan, the heuristic rounding each node's
    /// flows up to whole departures) runs for `options.mipSeconds` and keeps its bound.
    /// Row duals stay the column-generation LP's.
    /// - Throws: ``PlanningError`` when GLPK fails or a model that always has an optimum has none.
    /// - Complexity: one LP, up to 12 flow LPs and (with `mipSeconds` > 0) one MIP over c
    ///   columns, g groups and r capacity rows; the MIP is limited by `mipSeconds`.
    func wholeDepartures(_ lp: MasterSolution, batch: Batch, options: PlanOptions,
                         started: ContinuousClock.Instant) throws(PlanningError) -> (MasterSolution, IntegerPlanSearch) {
        let clock = ContinuousClock()
        func seconds() -> Double {
            let d = started.duration(to: clock.now)
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let relaxedModel = DepartureModel(lp, groups: batch.groups, penalty: options.unmetPenaltyPerTEU, integer: false,
                                          service: service(of:), fixedCost: fixedCostPerDeparture)
        let relaxedOutcome: LPOutcome
        do { relaxedOutcome = try relaxedModel.program.solve(options: SolveOptions(dualSimplex: true)) } catch { throw .solverFailed(.departureRelaxation, error) }
        guard let relaxed = relaxedOutcome.optimalSolution else { throw .noOptimum(.departureRelaxation, outcome: "\(relaxedOutcome)") }
        var model = relaxedModel
        for y in model.departure.compactMap({ $0 }) { model.program.variables[y].isInteger = true }

        // First plan: the relaxation's departures rounded up, flows re-routed within them.
        let rows = lp.rows.indices
        var roundedUp = rows.map { r in model.departure[r].map { (relaxed.values[$0] - 1e-7).rounded(.up) * model.perDeparture[r] } ?? .infinity }
        var best = model.point(carrying: relaxed.values[0..<(model.columnCount + model.groupCount)])
        var foundBy = "rounded LP"
        if let repaired = try model.flows(slope: rows.map { _ in 0 }, limit: roundedUp) {
            let candidate = model.point(carrying: repaired)
            if model.objective(candidate) < model.objective(best) { best = candidate }
        }
        roundedUp.removeAll()
        let firstPlan = seconds()

        // Dynamic slope scaling: each row's fixed cost spread over its flow, until flows settle.
        let fixed = rows.map { r in model.departure[r].map { model.program.variables[$0].objective } ?? 0 }
        var slope = rows.map { r in model.perDeparture[r] > 0 ? fixed[r] / model.perDeparture[r] : 0 }
        var previous: [Double] = []
        for _ in 0..<12 {
            guard let flows = try model.flows(slope: slope) else { break }
            let candidate = model.point(carrying: flows)
            if model.objective(candidate) < model.objective(best) - 1e-9 { best = candidate; foundBy = "slope scaling" }
            let through = rows.map { r in model.columnsThrough[r].reduce(0) { $0 + flows[$1] } }
            if through == previous { break }
            for r in rows where through[r] > 1e-9 { slope[r] = fixed[r] * candidate[model.departure[r] ?? 0] / through[r] }
            previous = through
        }

        var bound = relaxed.objectiveValue
        if options.mipSeconds > 0 {
            let search = BranchAndCutSearch(cuts: .all, start: best) { relaxation in
                model.point(carrying: relaxation[0..<(model.columnCount + model.groupCount)])
            }
            let result: BranchAndCutResult
            do {
                result = try model.program.solve(
                    options: SolveOptions(timeLimitMilliseconds: Int(options.mipSeconds * 1000), relativeMIPGap: options.mipGap,
                                         dualSimplex: true),
                    search: search)
            } catch { throw .solverFailed(.departureModel, error) }
            switch result.outcome {
            case .optimal(let mip), .limitReached(let mip?):
                if model.objective(mip.values) < model.objective(best) - 1e-6 * max(1, abs(model.objective(best))),
                   model.program.isFeasibleIntegerPoint(mip.values) {
                    best = mip.values
                    foundBy = "branch-and-cut"
                }
            case .limitReached(nil): break
            case .infeasible, .unbounded: throw .noOptimum(.departureModel, outcome: "\(result.outcome)")
            }
            if let proven = result.bestBound { bound = max(bound, proven) }
        }
        let planObjective = model.objective(best)
        bound = min(bound, planObjective)  // a proof that closes the gap may overshoot by GLPK's tolerance

        var solution = lp
        solution.lowerBound = bound
        solution.columnTEU = Array(best[0..<model.columnCount])
        solution.unmetTEU = Array(best[model.columnCount..<(model.columnCount + model.groupCount)])
        solution.rowActivity = rows.map { r in model.columnsThrough[r].reduce(0) { $0 + best[$1] } }
        var departures: [ServiceWeek: Int] = [:]
        for (r, serviceWeek) in lp.rows.enumerated() {
            if let y = model.departure[r] { departures[serviceWeek] = Int(best[y].rounded()) }
        }
        solution.departures = departures
        return (solution, IntegerPlanSearch(planObjective: planObjective, bound: bound, secondsToFirstPlan: firstPlan,
                                            seconds: seconds(), foundBy: foundBy))
    }

    /// The service whose arc `serviceWeek` is, if any.
    func service(of serviceWeek: ServiceWeek) -> Service? {
        guard case .service(let id) = router.graph.roles[serviceWeek.arc] else { return nil }
        return network.service(id)
    }
}
