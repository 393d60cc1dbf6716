import MinCostFlow
import CGLPK

/// What branch-and-cut may use beyond GLPK's defaults: cuts, a starting integer point and a
/// heuristic that turns a node's LP solution into an integer point (fed to GLPK with
/// `glp_ios_heur_sol` when it asks for heuristic solutions, `GLP_IHEUR`).
public struct BranchAndCutSearch {
    /// GLPK's cut families.
    public struct Cuts: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Gomory mixed-integer cuts.
        public static let gomory = Cuts(rawValue: 1)
        /// Mixed-integer rounding cuts.
        public static let mir = Cuts(rawValue: 2)
        /// Mixed cover cuts.
        public static let cover = Cuts(rawValue: 4)
        /// Clique cuts.
        public static let clique = Cuts(rawValue: 8)
        public static let all: Cuts = [.gomory, .mir, .cover, .clique]
    }

    public var cuts: Cuts
    /// GLPK's feasibility pump at the root.
    public var feasibilityPump: Bool
    /// An integer point, one value per variable, offered at the first heuristic call; it is
    /// used only if it satisfies every bound and constraint (checked in Swift).
    public var start: [Double]?
    /// Called with the LP values of each node GLPK asks about (one per variable); an integer
    /// point it returns is offered to GLPK if it satisfies every bound and constraint.
    public var heuristic: ((_ relaxation: [Double]) -> [Double]?)?

    public init(cuts: Cuts = [], feasibilityPump: Bool = false, start: [Double]? = nil,
                heuristic: ((_ relaxation: [Double]) -> [Double]?)? = nil) {
        self.cuts = cuts
        self.feasibilityPump = feasibilityPump
        self.start = start
        self.heuristic = heuristic
    }
}

/// A branch-and-cut run's answer with what a planner needs to trust it.
public struct BranchAndCutResult {
    public var outcome: LPOutcome
    /// The best bound proven on the integer optimum: the highest (minimisation) bound of the
    /// open nodes seen, the incumbent itself when the tree was searched to the end, at least
    /// the LP relaxation; `nil` when the relaxation has no optimum.
    public var bestBound: Double?
    /// Milliseconds from the call to the first integer point (GLPK's own or offered), if any.
    public var firstSolutionMilliseconds: Int?
    /// Integer points from ``BranchAndCutSearch`` that GLPK accepted as new incumbents.
    public var acceptedHeuristicPoints: Int
}

extension LinearProgram {
    /// Solves a MIP with branch-and-cut, using `search`'s cuts, start and heuristic.
    ///
    /// - Throws: ``GLPKError/invalidModel(_:)`` before any GLPK call when the program, the
    ///   options or the start (wrong length, not finite) are invalid;
    ///   ``GLPKError/solverFailed(code:meaning:)`` if GLPK could not run to an answer.
    /// - Complexity: as ``solve(options:)``, plus O(n + nnz) per heuristic point checked.
    public func solve(options: SolveOptions, search: BranchAndCutSearch) throws(GLPKError) -> BranchAndCutResult {
        try validate()
        try options.validate()
        if let start = search.start {
            guard start.count == variables.count else {
                throw .invalidModel("BranchAndCutSearch.start has \(start.count) values for \(variables.count) variables")
            }
            if let bad = start.firstIndex(where: { !$0.isFinite }) {
                throw .invalidModel("BranchAndCutSearch.start: value \(bad) is \(start[bad]), not a finite number")
            }
        }
        let problem = GLPKProblem()
        problem.load(self)
        let context = BranchAndCutContext(program: self, search: search)
        let outcome = try problem.solve(isMIP: hasIntegerVariables, options: options, branchAndCut: context)
        var bound = context.bestBound
        if case .optimal(let solution) = outcome, context.searchedToTheEnd { bound = max(bound ?? -.infinity, solution.objectiveValue) }
        if let relaxation = context.relaxationBound { bound = max(bound ?? relaxation, relaxation) }
        return BranchAndCutResult(outcome: outcome, bestBound: sense == .minimize ? bound : nil,
                                  firstSolutionMilliseconds: context.firstSolutionMilliseconds,
                                  acceptedHeuristicPoints: context.accepted)
    }

    /// Whether `point` is an integer point within every bound and constraint (absolute
    /// tolerance `tolerance` scaled by each row's magnitude).
    /// - Complexity: O(n + nnz).
    public func isFeasibleIntegerPoint(_ point: [Double], tolerance: Double = 1e-6) -> Bool {
        guard point.count == variables.count else { return false }
        for (j, variable) in variables.enumerated() {
            let value = point[j]
            guard value.isFinite else { return false }
            if variable.isInteger && value.rounded() != value { return false }
            if let lower = variable.lower, value < lower - tolerance { return false }
            if let upper = variable.upper, value > upper + tolerance { return false }
        }
        for constraint in constraints {
            var activity = 0.0
            var scale = 1.0
            for term in constraint.coefficients {
                activity += term.value * point[term.variable]
                scale = max(scale, abs(term.value * point[term.variable]))
            }
            if let lower = constraint.lower, activity < lower - tolerance * scale { return false }
            if let upper = constraint.upper, activity > upper + tolerance * scale { return false }
        }
        return true
    }
}

/// State shared with GLPK's branch-and-cut callback (passed as `cb_info`).
final class BranchAndCutContext {
    let program: LinearProgram
    let search: BranchAndCutSearch
    let clock = ContinuousClock()
    let started: ContinuousClock.Instant
    var startOffered = false
    var accepted = 0
    var bestBound: Double?
    var relaxationBound: Double?
    var searchedToTheEnd = false
    var firstSolutionMilliseconds: Int?

    init(program: LinearProgram, search: BranchAndCutSearch) {
        self.program = program
        self.search = search
        started = clock.now
    }

    var elapsedMilliseconds: Int {
        let elapsed = started.duration(to: clock.now)
        return Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Sets GLPK's branch-and-cut parameters from the search.
    func configure(_ parameters: inout glp_iocp) {
        let cuts = search.cuts
        parameters.gmi_cuts = cuts.contains(.gomory) ? GLP_ON : GLP_OFF
        parameters.mir_cuts = cuts.contains(.mir) ? GLP_ON : GLP_OFF
        parameters.cov_cuts = cuts.contains(.cover) ? GLP_ON : GLP_OFF
        parameters.clq_cuts = cuts.contains(.clique) ? GLP_ON : GLP_OFF
        parameters.fp_heur = search.feasibilityPump ? GLP_ON : GLP_OFF
    }

    /// One callback: track the bound and the first incumbent; at `GLP_IHEUR` offer the start
    /// and the heuristic's point.
    func handle(_ tree: OpaquePointer) {
        let problem = glp_ios_get_prob(tree)!
        let best = glp_ios_best_node(tree)
        if best != 0 {
            let bound = glp_ios_node_bound(tree, best)
            if bound.isFinite && abs(bound) < 1e300 { bestBound = max(bestBound ?? bound, bound) }
        }
        if firstSolutionMilliseconds == nil && glp_mip_status(problem) == GLP_FEAS { firstSolutionMilliseconds = elapsedMilliseconds }
        guard glp_ios_reason(tree) == GLP_IHEUR else { return }
        if !startOffered, let start = search.start {
            startOffered = true
            offer(start, tree: tree)
        }
        if let heuristic = search.heuristic {
            let n = Int(glp_get_num_cols(problem))
            let relaxation = (0..<n).map { glp_get_col_prim(problem, Int32($0 + 1)) }
            if let point = heuristic(relaxation) { offer(point, tree: tree) }
        }
    }

    /// Offers a point that passes the Swift-side check (GLPK checks only integrality).
    private func offer(_ point: [Double], tree: OpaquePointer) {
        let rounded = zip(point, program.variables).map { $1.isInteger ? $0.rounded() : $0 }
        guard program.isFeasibleIntegerPoint(rounded) else { return }
        let values = [0] + rounded  // 1-based
        if glp_ios_heur_sol(tree, values) == 0 {
            accepted += 1
            if firstSolutionMilliseconds == nil { firstSolutionMilliseconds = elapsedMilliseconds }
        }
    }
}

/// The C callback: forwards to the context in `info`.
let branchAndCutCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { tree, info in
    guard let tree, let info else { return }
    Unmanaged<BranchAndCutContext>.fromOpaque(info).takeUnretainedValue().handle(tree)
}
