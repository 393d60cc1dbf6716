import GLPKSolver
import Routing
import NetworkData

extension BatchPlanner {
    /// Phase 4 (integer plans): whole departures over the final columns. The LP relaxation of
    /// the departure model gives the bound; rounding its departures up is always a
    /// whole-departure plan (the weekly capacity row keeps the round-up within the timetable), so
    /// there is an answer even if branch-and-cut finds none; branch-and-cut then runs for
    /// `options.mipSeconds` and replaces it when cheaper. Row duals stay the LP's.
    /// - Throws: ``PlanningError`` when GLPK fails or a model that always has an optimum has none.
    /// - Complexity: one LP and (with `mipSeconds` > 0) one MIP over c columns, g groups and r
    ///   capacity rows; the MIP is limited by `mipSeconds`.
    func wholeDepartures(_ lp: MasterSolution, batch: Batch, options: PlanOptions) throws(PlanningError) -> MasterSolution {
        let coefficients = departureModelCosts(lp, batch: batch, penalty: options.unmetPenaltyPerTEU)
        guard let relaxed = try solveDepartureModel(lp, batch: batch, penalty: options.unmetPenaltyPerTEU,
                                                    relaxIntegers: true, stage: .departureRelaxation)
        else { throw .noOptimum(.departureRelaxation, outcome: "no solution at a time limit it does not have") }
        var best = relaxed
        let firstDeparture = lp.columns.count + batch.groups.count
        for r in lp.rows.indices { best.values[firstDeparture + r] = (relaxed.values[firstDeparture + r] - 1e-7).rounded(.up) }
        best.objectiveValue = zip(best.values, coefficients).reduce(0) { $0 + $1.0 * $1.1 }
        if options.mipSeconds > 0,
           let mip = try solveDepartureModel(
               lp, batch: batch, penalty: options.unmetPenaltyPerTEU, relaxIntegers: false, stage: .departureModel,
               solveOptions: SolveOptions(timeLimitMilliseconds: Int(options.mipSeconds * 1000),
                                          relativeMIPGap: options.mipGap, useCutsAndHeuristics: true)),
           mip.objectiveValue < best.objectiveValue - 1e-6 * max(1, abs(best.objectiveValue)) {
            best = mip
        }
        var solution = lp
        solution.lowerBound = relaxed.objectiveValue
        solution.columnTEU = Array(best.values[0..<lp.columns.count])
        solution.unmetTEU = Array(best.values[lp.columns.count..<firstDeparture])
        solution.rowActivity = Array(best.constraintActivities[batch.groups.count..<(batch.groups.count + lp.rows.count)])
        var departures: [ServiceWeek: Int] = [:]
        for (r, serviceWeek) in lp.rows.enumerated() { departures[serviceWeek] = Int(best.values[firstDeparture + r].rounded()) }
        solution.departures = departures
        return solution
    }

    /// The service whose arc `serviceWeek` is, if any.
    func service(of serviceWeek: ServiceWeek) -> Service? {
        guard case .service(let id) = router.graph.roles[serviceWeek.arc] else { return nil }
        return network.service(id)
    }

    /// Objective coefficients of the departure model, in variable order (columns, unmet, departures).
    private func departureModelCosts(_ lp: MasterSolution, batch: Batch, penalty: Double) -> [Double] {
        lp.columnCost + Array(repeating: penalty, count: batch.groups.count)
            + lp.rows.map { service(of: $0).map(fixedCostPerDeparture) ?? 0 }
    }

    /// Solves the departure model over the final columns: the MIP with whole departures, or its
    /// LP relaxation; `nil` when a time limit stopped branch-and-cut before any whole-departure
    /// plan was found. Variables: columns, then unmet per group, then departures per capacity
    /// row. Rows: demand per group, then capacity per service-week, then departure links
    /// (TEU on the row ≤ TEU per departure × departures).
    private func solveDepartureModel(
        _ lp: MasterSolution, batch: Batch, penalty: Double, relaxIntegers: Bool, stage: PlanningError.Stage,
        solveOptions: SolveOptions = .init()
    ) throws(PlanningError) -> LPSolution? {
        var model = LinearProgram(sense: .minimize)
        var demand = Array(repeating: [(variable: Int, value: Double)](), count: batch.groups.count)
        var capacityRows = Array(repeating: [(variable: Int, value: Double)](), count: lp.rows.count)
        let rowOf = Dictionary(uniqueKeysWithValues: lp.rows.enumerated().map { ($1, $0) })
        for (j, column) in lp.columns.enumerated() {
            model.addVariable(.init(lower: 0, upper: nil, objective: lp.columnCost[j]))
            demand[column.demand].append((j, 1))
            for arc in column.arcs {
                if let r = rowOf[ServiceWeek(arc: arc, week: column.week)] { capacityRows[r].append((j, 1)) }
            }
        }
        for g in batch.groups.indices {
            let unmet = model.addVariable(.init(lower: 0, upper: nil, objective: penalty))
            demand[g].append((unmet, 1))
        }
        for (g, group) in batch.groups.enumerated() {
            model.addConstraint(.init(coefficients: demand[g], lower: group.teu, upper: group.teu))
        }
        for r in lp.rows.indices {
            model.addConstraint(.init(coefficients: capacityRows[r], lower: nil, upper: lp.rowCapacityTEU[r]))
        }
        for (r, serviceWeek) in lp.rows.enumerated() {
            guard let service = service(of: serviceWeek) else { continue }
            let perDeparture = lp.rowCapacityTEU[r] / service.departuresPerWeek
            let departures = model.addVariable(.init(lower: 0, upper: service.departuresPerWeek.rounded(.up),
                                                     objective: fixedCostPerDeparture(service), isInteger: !relaxIntegers))
            model.addConstraint(.init(coefficients: capacityRows[r] + [(departures, -perDeparture)], lower: nil, upper: 0))
        }
        let outcome: LPOutcome
        do { outcome = try model.solve(options: solveOptions) } catch { throw .solverFailed(stage, error) }
        switch outcome {
        case .optimal(let solution): return solution
        case .limitReached(let solution) where !relaxIntegers: return solution
        case .infeasible, .unbounded, .limitReached:
            throw .noOptimum(stage, outcome: "\(outcome)")
        }
    }
}
