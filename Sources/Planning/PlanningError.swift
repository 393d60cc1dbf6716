import GLPKSolver

/// Why the planner or the volume split gave no answer: an option it cannot use (the caller's
/// input), or a failure of its own (our bug or GLPK's). "Some volume is left behind" is not an
/// error: it is the answer, with the unmet TEU and the reasons.
public enum PlanningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems the planner solves, for messages.
    public enum Stage: String, Sendable {
        case restrictedMaster = "restricted master LP"
        case departureRelaxation = "LP relaxation of the whole-departure model"
        case departureModel = "whole-departure MIP"
        case arcFlowSplit = "arc-based split (network simplex)"
    }

    /// An option is out of range: names the option, its value and what would be right.
    case invalidOption(name: String, value: String, expected: String)
    /// GLPK rejected a model the planner built, or failed to run: a bug of ours or GLPK's.
    case solverFailed(Stage, GLPKError)
    /// A problem that always has an optimum (its unmet-demand slacks keep it feasible and its
    /// costs are non-negative) reported none: a bug.
    case noOptimum(Stage, outcome: String)
    /// GLPK solved an LP but returned no row duals, which pricing needs.
    case missingDuals(Stage)

    /// One line: what failed and, for options, what would be right.
    public var description: String {
        switch self {
        case .invalidOption(let name, let value, let expected):
            "\(name) is \(value); expected \(expected)"
        case .solverFailed(let stage, let error):
            "the \(stage.rawValue) could not be solved: \(error); this is a bug"
        case .noOptimum(let stage, let outcome):
            "the \(stage.rawValue) has no optimum (\(outcome)); this is a bug"
        case .missingDuals(let stage):
            "GLPK returned no duals for the \(stage.rawValue); this is a bug"
        }
    }
}
