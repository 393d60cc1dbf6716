import MinCostFlow
/// A linear or mixed-integer program, described as plain Swift values (0-based indices).
///
/// Build it, then call ``solve(options:)``; the GLPK problem object exists only inside that
/// call. Bounds are `Double?` where `nil` means "no bound on this side".
public struct LinearProgram: Sendable {
    /// The direction of optimisation.
    public enum Sense: Sendable, Hashable {
        /// Minimise the objective.
        case minimize
        /// Maximise the objective.
        case maximize
    }

    /// One column of the program.
    public struct Variable: Sendable, Hashable {
        /// An optional name (≤ 255 UTF-8 bytes, no control characters), passed to GLPK.
        public var name: String?
        /// The lower bound; `nil` means unbounded below.
        public var lower: Double?
        /// The upper bound; `nil` means unbounded above.
        public var upper: Double?
        /// The coefficient of this variable in the objective.
        public var objective: Double
        /// Whether the variable must take an integer value (then its bounds must be integers).
        public var isInteger: Bool

        /// Creates a variable; by default continuous and non-negative with a zero objective.
        public init(
            name: String? = nil, lower: Double? = 0, upper: Double? = nil,
            objective: Double = 0, isInteger: Bool = false
        ) {
            self.name = name
            self.lower = lower
            self.upper = upper
            self.objective = objective
            self.isInteger = isInteger
        }
    }

    /// One row of the program: `lower ≤ Σ coefficient · variable ≤ upper`.
    public struct Constraint: Sendable {
        /// An optional name (≤ 255 UTF-8 bytes, no control characters), passed to GLPK.
        public var name: String?
        /// Sparse coefficients as (0-based variable index, value); each variable at most once.
        public var coefficients: [(variable: Int, value: Double)]
        /// The lower bound on the row activity; `nil` means unbounded below.
        public var lower: Double?
        /// The upper bound on the row activity; `nil` means unbounded above.
        public var upper: Double?

        /// Creates a constraint `lower ≤ Σ coefficients ≤ upper`.
        public init(
            name: String? = nil, coefficients: [(variable: Int, value: Double)],
            lower: Double? = nil, upper: Double? = nil
        ) {
            self.name = name
            self.coefficients = coefficients
            self.lower = lower
            self.upper = upper
        }
    }

    /// Minimise or maximise.
    public var sense: Sense
    /// The columns, in order; index `j` here is column `j + 1` in GLPK.
    public var variables: [Variable]
    /// The rows, in order; index `i` here is row `i + 1` in GLPK.
    public var constraints: [Constraint]
    /// A constant added to the objective.
    public var objectiveOffset: Double

    /// Creates a program from its parts.
    public init(
        sense: Sense = .minimize, variables: [Variable] = [], constraints: [Constraint] = [],
        objectiveOffset: Double = 0
    ) {
        self.sense = sense
        self.variables = variables
        self.constraints = constraints
        self.objectiveOffset = objectiveOffset
    }

    /// Appends a variable and returns its 0-based index.
    @discardableResult
    public mutating func addVariable(_ variable: Variable) -> Int {
        variables.append(variable)
        return variables.count - 1
    }

    /// Appends a constraint and returns its 0-based index.
    @discardableResult
    public mutating func addConstraint(_ constraint: Constraint) -> Int {
        constraints.append(constraint)
        return constraints.count - 1
    }

    /// Whether any variable is integer (the program is then solved as a MIP).
    ///
    /// - Complexity: O(n) for n variables.
    public var hasIntegerVariables: Bool { variables.contains { $0.isInteger } }

    /// Checks everything GLPK would otherwise abort on, and everything we refuse to send.
    ///
    /// Rejected: no variables; more than GLPK's 10^8 rows or columns or 5·10^8 coefficients;
    /// a non-finite number or one above 2^53 in magnitude (use `nil` for "no bound"); a bound
    /// pair with lower > upper, on a variable or a constraint (an error, not "infeasible");
    /// an integer variable with a fractional bound; a coefficient index out of range or
    /// repeated within one constraint; a name longer than 255 UTF-8 bytes or containing a
    /// control character.
    ///
    /// - Throws: ``GLPKError/invalidModel(_:)`` naming the variable or constraint.
    /// - Complexity: O(n + nnz) for n variables and nnz coefficients.
    public func validate() throws(GLPKError) {
        guard !variables.isEmpty else {
            throw .invalidModel("the program has no variables; GLPK needs at least one column")
        }
        guard variables.count <= GLPKLimits.maxRowsOrColumns else {
            throw .invalidModel("\(variables.count) variables exceed GLPK's limit of \(GLPKLimits.maxRowsOrColumns)")
        }
        guard constraints.count <= GLPKLimits.maxRowsOrColumns else {
            throw .invalidModel("\(constraints.count) constraints exceed GLPK's limit of \(GLPKLimits.maxRowsOrColumns)")
        }
        try Self.checkNumber(objectiveOffset, "objective offset")

        for (j, variable) in variables.enumerated() {
            let label = Self.label("variable", j, variable.name)
            try Self.checkName(variable.name, label)
            try Self.checkNumber(variable.objective, "\(label): objective coefficient")
            if let lower = variable.lower { try Self.checkNumber(lower, "\(label): lower bound", boundHint: true) }
            if let upper = variable.upper { try Self.checkNumber(upper, "\(label): upper bound", boundHint: true) }
            if let lower = variable.lower, let upper = variable.upper, lower > upper {
                throw .invalidModel("\(label): lower bound \(lower) exceeds upper bound \(upper); lower ≤ upper is required")
            }
            if variable.isInteger {
                for (side, bound) in [("lower", variable.lower), ("upper", variable.upper)] {
                    if let bound, bound.rounded() != bound {
                        throw .invalidModel("\(label): integer variable has fractional \(side) bound \(bound); round it to an integer")
                    }
                }
            }
        }

        var nonzeros = 0
        // lastRow[j] == i + 1 means variable j already appeared in row i (at entry seenAt[j]).
        var lastRow = [Int](repeating: 0, count: variables.count)
        var seenAt = [Int](repeating: 0, count: variables.count)
        for (i, constraint) in constraints.enumerated() {
            let label = Self.label("constraint", i, constraint.name)
            try Self.checkName(constraint.name, label)
            if let lower = constraint.lower { try Self.checkNumber(lower, "\(label): lower bound", boundHint: true) }
            if let upper = constraint.upper { try Self.checkNumber(upper, "\(label): upper bound", boundHint: true) }
            if let lower = constraint.lower, let upper = constraint.upper, lower > upper {
                throw .invalidModel("\(label): lower bound \(lower) exceeds upper bound \(upper); lower ≤ upper is required")
            }
            for (k, term) in constraint.coefficients.enumerated() {
                guard variables.indices.contains(term.variable) else {
                    throw .invalidModel("\(label): entry \(k) refers to variable \(term.variable), out of range 0..<\(variables.count)")
                }
                if lastRow[term.variable] == i + 1 {
                    throw .invalidModel("\(label): variable \(term.variable) appears twice (entries \(seenAt[term.variable]) and \(k)); merge them into one coefficient")
                }
                lastRow[term.variable] = i + 1
                seenAt[term.variable] = k
                try Self.checkNumber(term.value, "\(label): coefficient of variable \(term.variable)")
            }
            nonzeros += constraint.coefficients.count
            guard nonzeros <= GLPKLimits.maxNonzeros else {
                throw .invalidModel("more than \(GLPKLimits.maxNonzeros) coefficients, GLPK's limit")
            }
        }
    }

    private static func label(_ kind: String, _ index: Int, _ name: String?) -> String {
        if let name, !name.isEmpty { return "\(kind) \(index) (\"\(name)\")" }
        return "\(kind) \(index)"
    }

    private static func checkNumber(_ value: Double, _ what: String, boundHint: Bool = false) throws(GLPKError) {
        guard value.isFinite else {
            throw .invalidModel("\(what) is \(value), not a finite number" + (boundHint ? "; use nil for no bound" : ""))
        }
        guard abs(value) <= GLPKLimits.maxMagnitude else {
            throw .invalidModel("\(what) \(value) exceeds 2^53 in magnitude; rescale the model")
        }
    }

    private static func checkName(_ name: String?, _ label: String) throws(GLPKError) {
        guard let name else { return }
        guard name.utf8.count <= GLPKLimits.maxNameBytes else {
            throw .invalidModel("\(label): name is \(name.utf8.count) UTF-8 bytes; GLPK allows at most \(GLPKLimits.maxNameBytes)")
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalidModel("\(label): name contains a control character; GLPK rejects those")
        }
    }
}
