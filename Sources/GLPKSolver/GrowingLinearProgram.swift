import MinCostFlow
import CGLPK

/// A minimisation LP that grows by rows and columns and is re-solved by the primal simplex
/// from its last basis: the restricted master of column generation.
///
/// Rows are `lower ≤ Σ a·x ≤ upper`; a new row starts basic (its slack carries it), a new
/// column starts non-basic at its lower bound, so an optimal basis stays primal feasible after
/// every addition and the next solve continues from it instead of from scratch. A column may be
/// added as basic (with its row made non-basic) to give the first solve a feasible start, as
/// the unmet-demand slack of an equality row does.
///
/// Not `Sendable`, not copyable, confined to the creating thread like every GLPK object; all
/// numbers and indices are checked in Swift before any GLPK call.
package struct GrowingLinearProgram: ~Copyable {
    /// The thread-confined owner of the GLPK problem; it deletes the problem when this goes.
    private let problem = GLPKProblem()
    package private(set) var rowCount = 0
    package private(set) var columnCount = 0

    package init() {
        glp_set_obj_dir(problem.handle(), GLP_MIN)
    }

    private func handle(_ operation: StaticString = #function) -> OpaquePointer {
        problem.handle(operation)
    }

    private static func check(_ value: Double, _ what: String) throws(GLPKError) {
        guard value.isFinite, abs(value) <= GLPKLimits.maxMagnitude else {
            throw .invalidModel("\(what) is \(value); expected a finite number of magnitude at most 2^53")
        }
    }

    /// Adds a row `lower ≤ · ≤ upper` (nil: unbounded side); returns its 0-based index.
    package mutating func addRow(lower: Double?, upper: Double?) throws(GLPKError) -> Int {
        if let lower { try Self.check(lower, "row \(rowCount) lower bound") }
        if let upper { try Self.check(upper, "row \(rowCount) upper bound") }
        if let lower, let upper, lower > upper {
            throw .invalidModel("row \(rowCount): lower bound \(lower) is above upper bound \(upper)")
        }
        guard rowCount < GLPKLimits.maxRowsOrColumns else { throw .invalidModel("too many rows") }
        let p = handle()
        let row = glp_add_rows(p, 1)
        let (type, lo, up) = Self.bounds(lower, upper)
        glp_set_row_bnds(p, row, type, lo, up)
        rowCount += 1
        return rowCount - 1
    }

    /// Adds a column with `cost` and `entries` (0-based rows; repeated rows are summed); returns
    /// its 0-based index. With `basicFor`, the column enters the basis in place of that row.
    package mutating func addColumn(cost: Double, lower: Double = 0, upper: Double? = nil,
                            entries: [(row: Int, value: Double)], basicFor row: Int? = nil) throws(GLPKError) -> Int {
        try Self.check(cost, "column \(columnCount) cost")
        try Self.check(lower, "column \(columnCount) lower bound")
        if let upper {
            try Self.check(upper, "column \(columnCount) upper bound")
            guard lower <= upper else { throw .invalidModel("column \(columnCount): lower bound above upper bound") }
        }
        var merged: [Int: Double] = [:]
        for entry in entries {
            guard (0..<rowCount).contains(entry.row) else {
                throw .invalidModel("column \(columnCount): row index \(entry.row) is out of range 0..<\(rowCount)")
            }
            try Self.check(entry.value, "column \(columnCount) coefficient in row \(entry.row)")
            merged[entry.row, default: 0] += entry.value
        }
        if let row, !(0..<rowCount).contains(row) { throw .invalidModel("basic row \(row) is out of range") }
        guard columnCount < GLPKLimits.maxRowsOrColumns else { throw .invalidModel("too many columns") }
        let p = handle()
        let column = glp_add_cols(p, 1)
        let (type, lo, up) = Self.bounds(lower, upper)
        glp_set_col_bnds(p, column, type, lo, up)
        glp_set_obj_coef(p, column, cost)
        let rows = merged.keys.sorted().filter { merged[$0] != 0 }
        var indices: [Int32] = [0] + rows.map { Int32($0 + 1) }
        var values: [Double] = [0] + rows.map { merged[$0]! }
        glp_set_mat_col(p, column, Int32(rows.count), &indices, &values)
        if let row {
            glp_set_col_stat(p, column, GLP_BS)
            glp_set_row_stat(p, Int32(row + 1), GLP_NS)
        }
        columnCount += 1
        return columnCount - 1
    }

    /// A primal and dual solution of the current LP.
    package struct Solution {
        package var objective: Double
        package var values: [Double]
        package var activities: [Double]
        /// GLPK's row duals (reduced cost of column j = cost_j − Σ a_ij · dual_i).
        package var duals: [Double]
    }

    /// The answer of a solve: an optimum, or why there is none. "No answer" is returned, not
    /// thrown; a malformed model or a GLPK failure is thrown as ``GLPKError``.
    package enum Outcome {
        /// A proven optimum with primal values, row activities and row duals.
        case optimal(Solution)
        /// No point satisfies the rows and column bounds.
        case infeasible
        /// The objective decreases without limit over feasible points.
        case unbounded
    }

    /// Re-solves from the current basis (primal simplex, presolve off, so phase 1 finds
    /// infeasibility before unboundedness). Falls back to GLPK's standard basis once if the kept
    /// basis is unusable.
    /// - Throws: ``GLPKError`` when the LP has no row or column, or GLPK fails to run.
    /// - Complexity: one simplex run from the kept basis (typically a few pivots after a growth).
    package mutating func solve() throws(GLPKError) -> Outcome {
        guard rowCount > 0, columnCount > 0 else { throw .invalidModel("the master LP needs a row and a column") }
        let p = handle()
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.meth = GLP_PRIMAL
        parameters.presolve = GLP_OFF
        var code = glp_simplex(p, &parameters)
        if code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND {
            glp_std_basis(p)
            code = glp_simplex(p, &parameters)
        }
        guard code == 0 else { throw .solverFailed(code: code, meaning: GLPKProblem.meaning(of: code, in: "glp_simplex")) }
        switch try problem.simplexStatus() {
        case .optimal:
            return .optimal(Solution(
                objective: glp_get_obj_val(p),
                values: (0..<columnCount).map { glp_get_col_prim(p, Int32($0 + 1)) },
                activities: (0..<rowCount).map { glp_get_row_prim(p, Int32($0 + 1)) },
                duals: (0..<rowCount).map { glp_get_row_dual(p, Int32($0 + 1)) }))
        case .infeasible: return .infeasible
        case .unbounded: return .unbounded
        }
    }

    private static func bounds(_ lower: Double?, _ upper: Double?) -> (Int32, Double, Double) {
        switch (lower, upper) {
        case (nil, nil): (GLP_FR, 0, 0)
        case (let lower?, nil): (GLP_LO, lower, 0)
        case (nil, let upper?): (GLP_UP, 0, upper)
        case (let lower?, let upper?): (lower == upper ? GLP_FX : GLP_DB, lower, upper)
        }
    }
}

@available(*, unavailable, message: "a GLPK problem is confined to the thread that created it")
extension GrowingLinearProgram: Sendable {}
