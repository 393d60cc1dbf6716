import MinCostFlow
import CGLPK

extension LinearProgram {
    /// Solves the program with GLPK on the calling thread: create, load, solve, read, delete.
    ///
    /// The LP is solved by the primal simplex with presolve off (so duals are always
    /// available); if any variable is integer, branch-and-cut (`glp_intopt`) follows from
    /// the optimal LP relaxation. Safe to call concurrently from different threads: each
    /// call owns its own GLPK problem.
    ///
    /// - Parameter options: time and iteration limits.
    /// - Returns: the optimum, or why there is none (`infeasible`, `unbounded`, `limitReached`).
    /// - Throws: ``GLPKError/invalidModel(_:)`` before any GLPK call if ``validate()`` fails
    ///   or an option is out of range;
    ///   ``GLPKError/solverFailed(code:meaning:)`` if GLPK could not run to an answer.
    /// - Complexity: O(n + nnz) to validate and load; the simplex has no polynomial bound
    ///   (in practice a small multiple of m + n pivots), branch-and-cut is exponential in
    ///   the worst case.
    public func solve(options: SolveOptions = .init()) throws(GLPKError) -> LPOutcome {
        try validate()
        try options.validate()
        let problem = GLPKProblem()
        problem.load(self)
        return try problem.solve(isMIP: hasIntegerVariables, options: options)
    }
}

/// The answer of one simplex run.
enum SimplexStatus { case optimal, infeasible, unbounded }

/// The owner of one `glp_prob`: not copyable, not `Sendable`, confined to its creating
/// thread (checked on every call), deleted in `deinit`.
struct GLPKProblem: ~Copyable {
    private let raw: OpaquePointer
    private let confinement: ThreadConfinement

    /// Creates an empty problem on the calling thread, with GLPK's terminal output off.
    init() {
        confinement = ThreadConfinement()
        _ = glp_term_out(GLP_OFF)
        raw = glp_create_prob()
    }

    deinit {
        confinement.check("glp_delete_prob")
        glp_delete_prob(raw)
    }

    /// The pointer, after checking we are on the creating thread.
    func handle(_ operation: StaticString = #function) -> OpaquePointer {
        confinement.check(operation)
        return raw
    }

    /// What a simplex run that returned 0 found: optimal, infeasible or unbounded, read from
    /// the basis status (and the primal and dual statuses when GLPK leaves it undefined).
    func simplexStatus() throws(GLPKError) -> SimplexStatus {
        let p = handle()
        switch glp_get_status(p) {
        case GLP_OPT: return .optimal
        case GLP_NOFEAS: return .infeasible
        case GLP_UNBND: return .unbounded
        case let status:
            if glp_get_prim_stat(p) == GLP_NOFEAS { return .infeasible }
            if glp_get_prim_stat(p) == GLP_FEAS && glp_get_dual_stat(p) == GLP_NOFEAS { return .unbounded }
            throw .solverFailed(code: 0, meaning: "glp_simplex returned 0 but left the basis in status \(status) (not optimal, infeasible or unbounded)")
        }
    }

    /// Loads a validated program.
    ///
    /// - Precondition: `program.validate()` succeeded.
    /// - Complexity: O(n + m + nnz).
    func load(_ program: LinearProgram) {
        let p = handle()
        glp_set_obj_dir(p, program.sense == .minimize ? GLP_MIN : GLP_MAX)
        glp_set_obj_coef(p, 0, program.objectiveOffset)

        _ = glp_add_cols(p, Int32(program.variables.count))
        for (j, variable) in program.variables.enumerated() {
            let column = Int32(j + 1)
            if let name = variable.name, !name.isEmpty { glp_set_col_name(p, column, name) }
            let (type, lower, upper) = Self.boundType(variable.lower, variable.upper)
            glp_set_col_bnds(p, column, type, lower, upper)
            glp_set_obj_coef(p, column, variable.objective)
            if variable.isInteger { glp_set_col_kind(p, column, GLP_IV) }
        }

        guard !program.constraints.isEmpty else { return }  // glp_add_rows(p, 0) aborts
        _ = glp_add_rows(p, Int32(program.constraints.count))
        // Triplets, 1-based: element 0 is ignored by GLPK.
        var rowIndices: [Int32] = [0]
        var columnIndices: [Int32] = [0]
        var values: [Double] = [0]
        for (i, constraint) in program.constraints.enumerated() {
            let row = Int32(i + 1)
            if let name = constraint.name, !name.isEmpty { glp_set_row_name(p, row, name) }
            let (type, lower, upper) = Self.boundType(constraint.lower, constraint.upper)
            glp_set_row_bnds(p, row, type, lower, upper)
            for term in constraint.coefficients where term.value != 0 {
                rowIndices.append(row)
                columnIndices.append(Int32(term.variable + 1))
                values.append(term.value)
            }
        }
        glp_load_matrix(p, Int32(values.count - 1), rowIndices, columnIndices, values)
    }

    /// Writes the loaded problem as free MPS (`glp_write_mps`, `GLP_MPS_FILE`); returns GLPK's
    /// code, 0 on success.
    ///
    /// - Precondition: `path` is non-empty and has no NUL byte (checked by the caller).
    func writeFreeMPS(path: String) -> Int32 {
        glp_write_mps(handle(), GLP_MPS_FILE, nil, path)
    }

    /// Runs the simplex (and branch-and-cut for a MIP) and reads the answer; `branchAndCut`,
    /// when given, sets the cuts and heuristics, gets the callbacks and records the bound.
    func solve(isMIP: Bool, options: SolveOptions, branchAndCut context: BranchAndCutContext? = nil) throws(GLPKError) -> LPOutcome {
        let p = handle()
        let clock = ContinuousClock()
        let start = clock.now

        var simplex = glp_smcp()
        glp_init_smcp(&simplex)
        simplex.msg_lev = GLP_MSG_OFF
        // Primal by default: phase 1 first, so infeasibility is found before unboundedness.
        simplex.meth = options.dualSimplex ? GLP_DUALP : GLP_PRIMAL
        simplex.presolve = GLP_OFF
        if let limit = options.timeLimitMilliseconds { simplex.tm_lim = Int32(limit) }
        if let limit = options.iterationLimit { simplex.it_lim = Int32(limit) }
        glp_scale_prob(p, GLP_SF_AUTO)

        let simplexCode = glp_simplex(p, &simplex)
        switch simplexCode {
        case 0:
            break
        case GLP_EITLIM, GLP_ETMLIM:
            let feasible = glp_get_prim_stat(p) == GLP_FEAS
            return .limitReached(feasible && !isMIP ? readLPSolution() : nil)
        default:
            throw .solverFailed(code: simplexCode, meaning: Self.meaning(of: simplexCode, in: "glp_simplex"))
        }

        if glp_get_status(p) == GLP_OPT {
            try refreshOptimalValues(parameters: &simplex)
        }
        switch try simplexStatus() {
        case .optimal: break
        case .infeasible: return .infeasible
        case .unbounded: return .unbounded
        }
        guard isMIP else { return .optimal(readLPSolution()) }

        let relaxationBound = glp_get_obj_val(p)
        context?.relaxationBound = relaxationBound
        var branchAndCut = glp_iocp()
        glp_init_iocp(&branchAndCut)
        branchAndCut.msg_lev = GLP_MSG_OFF
        branchAndCut.presolve = GLP_OFF  // the optimal relaxation basis is already there
        if let gap = options.relativeMIPGap { branchAndCut.mip_gap = gap }
        if let context {
            context.configure(&branchAndCut)
            branchAndCut.cb_func = branchAndCutCallback
            branchAndCut.cb_info = Unmanaged.passUnretained(context).toOpaque()
        } else if options.useCutsAndHeuristics {
            branchAndCut.gmi_cuts = GLP_ON
            branchAndCut.mir_cuts = GLP_ON
            branchAndCut.cov_cuts = GLP_ON
            branchAndCut.clq_cuts = GLP_ON
            branchAndCut.fp_heur = GLP_ON
        }
        if let limit = options.timeLimitMilliseconds {
            let elapsed = start.duration(to: clock.now)
            let elapsedMilliseconds = Int(elapsed.components.seconds) * 1000
                + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
            let remaining = limit - elapsedMilliseconds
            guard remaining > 0 else { return .limitReached(nil) }
            branchAndCut.tm_lim = Int32(remaining)
        }

        let mipCode = withExtendedLifetime(context) { glp_intopt(p, &branchAndCut) }
        if let context, context.firstSolutionMilliseconds == nil,
           glp_mip_status(p) == GLP_FEAS || glp_mip_status(p) == GLP_OPT {
            context.firstSolutionMilliseconds = context.elapsedMilliseconds
        }
        switch mipCode {
        case 0:
            break
        case GLP_ETMLIM, GLP_EMIPGAP, GLP_ESTOP:
            let found = glp_mip_status(p) == GLP_FEAS || glp_mip_status(p) == GLP_OPT
            return .limitReached(found ? readMIPSolution(relaxationBound: relaxationBound) : nil)
        default:
            throw .solverFailed(code: mipCode, meaning: Self.meaning(of: mipCode, in: "glp_intopt"))
        }
        switch glp_mip_status(p) {
        case GLP_OPT:
            context?.searchedToTheEnd = true
            return .optimal(readMIPSolution(relaxationBound: relaxationBound))
        case GLP_NOFEAS:
            return .infeasible
        case GLP_FEAS:
            return .limitReached(readMIPSolution(relaxationBound: relaxationBound))
        case let status:
            throw .solverFailed(code: 0, meaning: "glp_intopt returned 0 but left status \(status) (undefined)")
        }
    }

    /// Recomputes primal and dual values of an optimal basis from a fresh factorization.
    ///
    /// The simplex updates basic values incrementally (x += θ·d), so a variable that leaves a
    /// huge bound (|bound| near 2^53) keeps an absolute error of about |bound|·1e-16 (2.0
    /// instead of 10/3 in one test). `glp_warm_up` recomputes everything from the final
    /// basis; if the recomputed basis is no longer optimal within tolerances, one more
    /// warm-started simplex repairs it.
    private func refreshOptimalValues(parameters: inout glp_smcp) throws(GLPKError) {
        let p = handle()
        let code = glp_warm_up(p)
        guard code == 0 else {
            throw .solverFailed(code: code, meaning: Self.meaning(of: code, in: "glp_warm_up"))
        }
        if glp_get_status(p) != GLP_OPT {
            let again = glp_simplex(p, &parameters)
            guard again == 0 || again == GLP_EITLIM || again == GLP_ETMLIM else {
                throw .solverFailed(code: again, meaning: Self.meaning(of: again, in: "glp_simplex"))
            }
        }
    }

    private func readLPSolution() -> LPSolution {
        let p = handle()
        let n = Int(glp_get_num_cols(p))
        let m = Int(glp_get_num_rows(p))
        return LPSolution(
            objectiveValue: glp_get_obj_val(p),
            values: (0..<n).map { glp_get_col_prim(p, Int32($0 + 1)) },
            constraintActivities: (0..<m).map { glp_get_row_prim(p, Int32($0 + 1)) },
            duals: (0..<m).map { glp_get_row_dual(p, Int32($0 + 1)) },
            reducedCosts: (0..<n).map { glp_get_col_dual(p, Int32($0 + 1)) },
            relaxationBound: nil
        )
    }

    private func readMIPSolution(relaxationBound: Double) -> LPSolution {
        let p = handle()
        let n = Int(glp_get_num_cols(p))
        let m = Int(glp_get_num_rows(p))
        return LPSolution(
            objectiveValue: glp_mip_obj_val(p),
            values: (0..<n).map { glp_mip_col_val(p, Int32($0 + 1)) },
            constraintActivities: (0..<m).map { glp_mip_row_val(p, Int32($0 + 1)) },
            duals: nil,
            reducedCosts: nil,
            relaxationBound: relaxationBound
        )
    }

    /// GLPK's bound type and the two bound values for an optional pair.
    private static func boundType(_ lower: Double?, _ upper: Double?) -> (Int32, Double, Double) {
        switch (lower, upper) {
        case (nil, nil): return (GLP_FR, 0, 0)
        case (let lower?, nil): return (GLP_LO, lower, 0)
        case (nil, let upper?): return (GLP_UP, 0, upper)
        case (let lower?, let upper?): return (lower == upper ? GLP_FX : GLP_DB, lower, upper)
        }
    }

    /// The meaning of a GLPK return code (from `glpk.h`).
    static func meaning(of code: Int32, in function: String) -> String {
        let text: String
        switch code {
        case GLP_EBADB: text = "invalid basis"
        case GLP_ESING: text = "singular basis matrix"
        case GLP_ECOND: text = "ill-conditioned basis matrix"
        case GLP_EBOUND: text = "invalid bounds"
        case GLP_EFAIL: text = "solver failed"
        case GLP_EOBJLL: text = "objective lower limit reached"
        case GLP_EOBJUL: text = "objective upper limit reached"
        case GLP_EITLIM: text = "iteration limit exceeded"
        case GLP_ETMLIM: text = "time limit exceeded"
        case GLP_ENOPFS: text = "no primal feasible solution"
        case GLP_ENODFS: text = "no dual feasible solution"
        case GLP_EROOT: text = "root LP optimum not provided"
        case GLP_ESTOP: text = "search terminated by application"
        case GLP_EMIPGAP: text = "relative MIP gap tolerance reached"
        case GLP_ENOFEAS: text = "no primal/dual feasible solution"
        case GLP_ENOCVG: text = "no convergence"
        case GLP_EINSTAB: text = "numerical instability"
        case GLP_EDATA: text = "invalid data"
        case GLP_ERANGE: text = "result out of range"
        default: text = "unknown return code"
        }
        return "\(function): \(text)"
    }
}

@available(*, unavailable, message: "a GLPK problem is confined to the thread that created it")
extension GLPKProblem: Sendable {}
