import CGLPK
import Foundation
import Testing
import TestFixtures
@testable import MinCostFlow
@testable import GLPKSolver
@testable import Simulation

/// A small LP with every bound shape: min 2x + 3y − z + 7 (offset), x + y ≥ 4, x − z = 1,
/// y + z ≤ 10, 0 ≤ x ≤ 3, y free, 1 ≤ z. Optimum: x = 3, z = 2, y = 1 → 6 + 3 − 2 + 7 = 14.
private func smallProgram() -> LinearProgram {
    LinearProgram(
        sense: .minimize,
        variables: [
            .init(name: "x", lower: 0, upper: 3, objective: 2),
            .init(name: "y", lower: nil, upper: nil, objective: 3),
            .init(name: "z", lower: 1, upper: nil, objective: -1),
        ],
        constraints: [
            .init(name: "cover", coefficients: [(0, 1), (1, 1)], lower: 4),
            .init(name: "link", coefficients: [(0, 1), (2, -1)], lower: 1, upper: 1),
            .init(name: "room", coefficients: [(1, 1), (2, 1)], upper: 10),
        ],
        objectiveOffset: 7)
}

/// A fresh temporary file name (the file itself is not created).
private func temporaryPath(_ stem: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(stem)-\(UUID().uuidString).mps").path
}

/// Reads a free MPS file with GLPK's own reader, solves it by the simplex and returns
/// (status, objective, rows, columns, nonzeros); nil when GLPK cannot read the file.
private func solveWithGLPK(mps path: String) -> (status: Int32, objective: Double, rows: Int, columns: Int, nonzeros: Int)? {
    _ = glp_term_out(GLP_OFF)
    let problem = glp_create_prob()
    defer { glp_delete_prob(problem) }
    guard glp_read_mps(problem, GLP_MPS_FILE, nil, path) == 0 else { return nil }
    var parameters = glp_smcp()
    glp_init_smcp(&parameters)
    parameters.msg_lev = GLP_MSG_OFF
    guard glp_simplex(problem, &parameters) == 0 else { return nil }
    return (glp_get_status(problem), glp_get_obj_val(problem), Int(glp_get_num_rows(problem)),
            Int(glp_get_num_cols(problem)), Int(glp_get_num_nz(problem)))
}

@Suite("MPS export")
struct MPSExportTests {
    @Test("a written LP reads back with the same size and optimum")
    func roundTrip() throws {
        let program = smallProgram()
        let direct = try #require(try program.solve().optimalSolution)
        #expect(abs(direct.objectiveValue - 14) < 1e-9)

        let path = temporaryPath("small")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try program.writeMPS(to: path)
        let read = try #require(solveWithGLPK(mps: path), "GLPK could not read back \(path)")
        #expect(read.status == GLP_OPT)
        #expect(abs(read.objective - direct.objectiveValue) <= 1e-9 * max(1, abs(direct.objectiveValue)))
        #expect(read.rows == 3 && read.columns == 3 && read.nonzeros == 6)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("cover") && text.contains("link") && text.contains("room"))
    }

    @Test("seeded random maximisations keep their optimum (negated) through the file", arguments: 0..<5)
    func randomRoundTrip(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed &+ 101)
        var program = LinearProgram(sense: .maximize)
        for _ in 0..<12 {
            program.addVariable(.init(lower: 0, upper: Double(Int.random(in: 1...9, using: &random)),
                                      objective: Double(Int.random(in: 1...40, using: &random)) / 7))
        }
        for _ in 0..<8 {
            var terms: [(variable: Int, value: Double)] = []
            for j in 0..<12 where Bool.random(using: &random) { terms.append((j, Double(Int.random(in: 1...9, using: &random)) / 3)) }
            program.addConstraint(.init(coefficients: terms, upper: Double(Int.random(in: 5...50, using: &random))))
        }
        let direct = try #require(try program.solve().optimalSolution)
        let path = temporaryPath("random-\(seed)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try program.writeMPS(to: path)
        let read = try #require(solveWithGLPK(mps: path))
        #expect(read.status == GLP_OPT)
        // A maximisation is written as min −objective; MPS numbers have 12 significant
        // characters, so 1/3 and 1/7 arrive rounded.
        #expect(abs(-read.objective - direct.objectiveValue) <= 1e-8 * max(1, abs(direct.objectiveValue)),
                "direct \(direct.objectiveValue) vs read back \(read.objective)")
    }

    @Test("bad paths and models are rejected", arguments: [
        ("", "empty"),
        ("bad\u{0}name.mps", "NUL"),
        ("/nonexistent-folder-\(UUID().uuidString)/x.mps", "could not write"),
    ])
    func rejects(path: String, fragment: String) {
        do {
            try smallProgram().writeMPS(to: path)
            Issue.record("expected an error for \(path.debugDescription)")
        } catch {
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test("an invalid model is refused before GLPK sees it")
    func invalidModel() {
        let program = LinearProgram(variables: [.init(lower: 2, upper: 1)])
        let path = temporaryPath("invalid")
        #expect(throws: GLPKError.self) { try program.writeMPS(to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
