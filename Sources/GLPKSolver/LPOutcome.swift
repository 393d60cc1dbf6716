import MinCostFlow
/// Limits for one ``LinearProgram/solve(options:)`` call.
public struct SolveOptions: Sendable, Hashable {
    /// Wall-clock limit in milliseconds for the whole call (simplex, then branch-and-cut);
    /// `nil` means none. Must be in 1...Int32.max.
    public var timeLimitMilliseconds: Int?
    /// Limit on simplex iterations (for a MIP: on the LP relaxation only); `nil` means none.
    /// Must be in 1...Int32.max.
    public var iterationLimit: Int?
    /// Branch-and-cut stops when the relative gap between the best integer solution and the
    /// bound is at most this (0…1); `nil` means prove optimality.
    public var relativeMIPGap: Double?
    /// Branch-and-cut adds Gomory, MIR, cover and clique cuts and runs the feasibility-pump
    /// heuristic (GLPK's defaults are off).
    public var useCutsAndHeuristics: Bool
    /// The dual simplex (from GLPK's starting basis) instead of the primal. Use it when every
    /// objective coefficient of a minimisation is ≥ 0 (the slack basis is then dual feasible);
    /// the primal's phase 1 tells infeasibility from unboundedness more reliably elsewhere.
    public var dualSimplex: Bool

    /// Creates options; by default no limits.
    public init(timeLimitMilliseconds: Int? = nil, iterationLimit: Int? = nil, relativeMIPGap: Double? = nil,
                useCutsAndHeuristics: Bool = false, dualSimplex: Bool = false) {
        self.timeLimitMilliseconds = timeLimitMilliseconds
        self.iterationLimit = iterationLimit
        self.relativeMIPGap = relativeMIPGap
        self.useCutsAndHeuristics = useCutsAndHeuristics
        self.dualSimplex = dualSimplex
    }

    /// Throws unless every limit fits GLPK's `int` parameters.
    func validate() throws(GLPKError) {
        if let limit = timeLimitMilliseconds, !(1...Int(Int32.max)).contains(limit) {
            throw .invalidModel("SolveOptions.timeLimitMilliseconds is \(limit); use 1...\(Int32.max) or nil")
        }
        if let gap = relativeMIPGap, !(gap.isFinite && (0...1).contains(gap)) {
            throw .invalidModel("SolveOptions.relativeMIPGap is \(gap); use 0...1 or nil")
        }
        if let limit = iterationLimit, !(1...Int(Int32.max)).contains(limit) {
            throw .invalidModel("SolveOptions.iterationLimit is \(limit); use 1...\(Int32.max) or nil")
        }
    }
}

/// The answer to a linear or mixed-integer program. "No answer" is an outcome, not an error.
public enum LPOutcome: Sendable {
    /// A proven optimum.
    case optimal(LPSolution)
    /// No point satisfies all bounds and constraints.
    case infeasible
    /// The objective improves without limit. For a MIP this is reported when the LP
    /// relaxation is unbounded (the MIP itself is then unbounded or infeasible; GLPK
    /// does not tell which).
    case unbounded
    /// A time or iteration limit stopped the solver; carries the best feasible point found,
    /// if any (for a MIP: the best integer point).
    case limitReached(LPSolution?)

    /// The solution when the outcome is ``optimal(_:)``, else `nil`.
    public var optimalSolution: LPSolution? {
        if case .optimal(let solution) = self { return solution }
        return nil
    }
}

/// A primal (and, for an LP, dual) solution read back from GLPK.
public struct LPSolution: Sendable, Hashable {
    /// The objective value, including ``LinearProgram/objectiveOffset``.
    public var objectiveValue: Double
    /// The value of each variable, indexed like ``LinearProgram/variables``.
    public var values: [Double]
    /// The activity `Σ coefficient · value` of each constraint.
    public var constraintActivities: [Double]
    /// LP only: the dual value of each constraint (GLPK's sign convention: the reduced cost
    /// of variable j is `objective_j − Σ_i coefficient_ij · dual_i`); `nil` for a MIP.
    public var duals: [Double]?
    /// LP only: the reduced cost of each variable; `nil` for a MIP.
    public var reducedCosts: [Double]?
    /// MIP only: the optimum of the LP relaxation, a bound the integer optimum never beats.
    public var relaxationBound: Double?

    /// Creates a solution (normally made by ``LinearProgram/solve(options:)``).
    public init(
        objectiveValue: Double, values: [Double], constraintActivities: [Double],
        duals: [Double]?, reducedCosts: [Double]?, relaxationBound: Double?
    ) {
        self.objectiveValue = objectiveValue
        self.values = values
        self.constraintActivities = constraintActivities
        self.duals = duals
        self.reducedCosts = reducedCosts
        self.relaxationBound = relaxationBound
    }
}

/// Why a program could not be solved: the model is malformed, or GLPK failed to run.
public enum GLPKError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Rejected in Swift before any GLPK call; the message names the variable or constraint.
    case invalidModel(String)
    /// `glp_simplex` or `glp_intopt` returned a code that is not an answer.
    case solverFailed(code: Int32, meaning: String)

    /// A one-line description.
    public var description: String {
        switch self {
        case .invalidModel(let message):
            return "invalid model: \(message)"
        case .solverFailed(let code, let meaning):
            return "GLPK failed (code \(code)): \(meaning)"
        }
    }
}
