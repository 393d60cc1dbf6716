import MinCostFlow
extension LinearProgram {
    /// Writes the program as a free-format MPS file (GLPK's `glp_write_mps`, `GLP_MPS_FILE`),
    /// for other solvers (HiGHS, `glpsol --freemps`) to read.
    ///
    /// The program is validated and loaded exactly as ``solve(options:)`` does it, on the
    /// calling thread, into a GLPK problem that lives only for this call. Unnamed rows and
    /// columns are written as `R1, R2, …` and `C1, C2, …`; numbers carry GLPK's 12 significant
    /// characters (a relative precision of about 1e-10 for typical costs).
    ///
    /// MPS has no portable objective sense (GLPK writes it only as a comment, and its reader
    /// rejects an `OBJSENSE` section), and readers minimise. So a maximising program is written
    /// as the equivalent minimisation of −objective (offset included): the same optimal point,
    /// with the optimum's sign flipped.
    ///
    /// - Parameter path: the file to write (created or replaced).
    /// - Throws: ``GLPKError/invalidModel(_:)`` before any GLPK call if ``validate()`` fails or
    ///   `path` is empty or contains a NUL byte; ``GLPKError/solverFailed(code:meaning:)`` if
    ///   GLPK could not write the file (for example, the folder does not exist).
    /// - Complexity: O(n + m + nnz) for n variables, m constraints and nnz coefficients.
    public func writeMPS(to path: String) throws(GLPKError) {
        guard !path.isEmpty else {
            throw .invalidModel("the MPS path is empty; give a file name")
        }
        guard !path.utf8.contains(0) else {
            throw .invalidModel("the MPS path contains a NUL byte; C file names end at NUL")
        }
        try validate()
        var written = self
        if sense == .maximize {
            written.sense = .minimize
            written.objectiveOffset = -objectiveOffset
            for j in written.variables.indices { written.variables[j].objective = -variables[j].objective }
        }
        let problem = GLPKProblem()
        problem.load(written)
        let code = problem.writeFreeMPS(path: path)
        guard code == 0 else {
            throw .solverFailed(code: code, meaning: "glp_write_mps: could not write '\(path)' (missing folder or no permission?)")
        }
    }
}
