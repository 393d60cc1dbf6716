/// The limits every solver front end checks before handing numbers to GLPK (so that no
/// input reaches `glp_error`); kept here because a ``FlowNetwork`` may go to either solver.
package enum GLPKLimits {
    /// Largest magnitude accepted for any number passed to GLPK (2^53, where doubles stop
    /// representing every integer).
    package static let maxMagnitude: Double = 9_007_199_254_740_992

    /// GLPK's `M_MAX` / `N_MAX` (rows, columns) and graph `NV_MAX` (vertices).
    package static let maxRowsOrColumns = 100_000_000

    /// GLPK's `NNZ_MAX` (constraint coefficients) and graph `NA_MAX` (arcs).
    package static let maxNonzeros = 500_000_000

    /// GLPK's longest name, in bytes.
    package static let maxNameBytes = 255
}
