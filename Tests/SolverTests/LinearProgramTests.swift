import Testing
import TestFixtures
@testable import MinCostFlow
@testable import GLPKSolver
@testable import Simulation

/// The Wyndor Glass LP (Hillier & Lieberman): max 3x + 5y, x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18.
private func wyndor() -> LinearProgram {
    LinearProgram(
        sense: .maximize,
        variables: [.init(name: "x", objective: 3), .init(name: "y", objective: 5)],
        constraints: [
            .init(name: "plant1", coefficients: [(0, 1)], upper: 4),
            .init(name: "plant2", coefficients: [(1, 2)], upper: 12),
            .init(name: "plant3", coefficients: [(0, 3), (1, 2)], upper: 18),
        ])
}

/// A random packing program: max c·x, A x ≤ b, 0 ≤ x ≤ 5, A ≥ 0 (always feasible and bounded).
private func randomPacking(seed: UInt64, variables n: Int, constraints m: Int, integer: Bool) -> LinearProgram {
    var random = SeededGenerator(seed: seed)
    var program = LinearProgram(sense: .maximize)
    for _ in 0..<n {
        program.addVariable(.init(lower: 0, upper: 5, objective: Double(Int.random(in: 1...20, using: &random)), isInteger: integer))
    }
    for _ in 0..<m {
        var terms: [(variable: Int, value: Double)] = []
        for j in 0..<n where Int.random(in: 0..<3, using: &random) > 0 {
            terms.append((j, Double(Int.random(in: 1...9, using: &random))))
        }
        program.addConstraint(.init(coefficients: terms, upper: Double(Int.random(in: 10...60, using: &random))))
    }
    return program
}

private func relaxed(_ program: LinearProgram) -> LinearProgram {
    var copy = program
    for j in copy.variables.indices { copy.variables[j].isInteger = false }
    return copy
}

@Suite("LinearProgram")
struct LinearProgramTests {
    @Test("textbook LP: optimum 36 at (2, 6) with duals (0, 1.5, 1)")
    func textbook() throws {
        let solution = try #require(try wyndor().solve().optimalSolution)
        #expect(abs(solution.objectiveValue - 36) < 1e-9)
        #expect(abs(solution.values[0] - 2) < 1e-9 && abs(solution.values[1] - 6) < 1e-9)
        let duals = try #require(solution.duals)
        #expect(zip(duals, [0, 1.5, 1]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(zip(solution.constraintActivities, [2, 12, 18]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(solution.relaxationBound == nil)
        let reducedCosts = try #require(solution.reducedCosts)
        #expect(reducedCosts.allSatisfy { abs($0) < 1e-9 })  // both variables basic
    }

    @Test("infeasible LP: x + y ≤ 1 and x + y ≥ 3")
    func infeasible() throws {
        let program = LinearProgram(
            variables: [.init(objective: 1), .init(objective: 1)],
            constraints: [.init(coefficients: [(0, 1), (1, 1)], upper: 1), .init(coefficients: [(0, 1), (1, 1)], lower: 3)])
        guard case .infeasible = try program.solve() else { Issue.record("expected infeasible"); return }
    }

    @Test("unbounded LP: max x + y with x − y ≤ 1")
    func unbounded() throws {
        let program = LinearProgram(
            sense: .maximize,
            variables: [.init(objective: 1), .init(objective: 1)],
            constraints: [.init(coefficients: [(0, 1), (1, -1)], upper: 1)])
        guard case .unbounded = try program.solve() else { Issue.record("expected unbounded"); return }
    }

    @Test("no constraints, free and fixed variables, objective offset")
    func boundKinds() throws {
        let program = LinearProgram(
            sense: .minimize,
            variables: [
                .init(lower: 2, upper: nil, objective: 1),  // → 2
                .init(lower: nil, upper: 7, objective: -1),  // → 7
                .init(lower: 3, upper: 3, objective: 5),  // fixed → 3
            ],
            objectiveOffset: 10)
        let solution = try #require(try program.solve().optimalSolution)
        #expect(solution.values == [2, 7, 3])
        #expect(abs(solution.objectiveValue - (10 + 2 - 7 + 15)) < 1e-9)
        #expect(solution.duals == [])

        let free = LinearProgram(
            variables: [.init(lower: nil, upper: nil, objective: 0), .init(lower: nil, upper: nil, objective: 1)],
            constraints: [.init(coefficients: [(0, 1), (1, 1)], lower: 4, upper: 4), .init(coefficients: [(0, 1)], upper: 10)])
        let freeSolution = try #require(try free.solve().optimalSolution)
        #expect(abs(freeSolution.objectiveValue - -6) < 1e-9)
    }

    @Test("bounds near 2^53 keep basic values exact (GLPK needs a warm-up after the simplex)")
    func hugeBounds() throws {
        let big = 9_007_199_254_740_992.0
        let program = LinearProgram(
            sense: .maximize,
            variables: [.init(lower: -big, upper: big, objective: 1)],
            constraints: [.init(coefficients: [(0, 3)], upper: 10)])
        let solution = try #require(try program.solve().optimalSolution)
        #expect(abs(solution.values[0] - 10.0 / 3) < 1e-12)  // 2.0 without glp_warm_up
        #expect(abs((solution.duals?[0] ?? .nan) - 1.0 / 3) < 1e-12)
    }

    @Test("knapsack MIP: optimum 21 with items 1 and 3; LP bound 23")
    func knapsack() throws {
        let values: [Double] = [10, 13, 7, 8]
        let weights: [Double] = [5, 6, 4, 3]
        let program = LinearProgram(
            sense: .maximize,
            variables: values.map { .init(lower: 0, upper: 1, objective: $0, isInteger: true) },
            constraints: [.init(coefficients: weights.enumerated().map { ($0.offset, $0.element) }, upper: 10)])
        let solution = try #require(try program.solve().optimalSolution)
        #expect(abs(solution.objectiveValue - 21) < 1e-9)
        #expect(solution.values == [0, 1, 0, 1])
        #expect(solution.duals == nil && solution.reducedCosts == nil)
        let bound = try #require(solution.relaxationBound)
        #expect(abs(bound - 23) < 1e-9)
    }

    @Test("an infeasible MIP whose LP relaxation is feasible: 2x = 1, x integer")
    func infeasibleMIP() throws {
        let program = LinearProgram(
            variables: [.init(lower: 0, upper: 10, objective: 1, isInteger: true)],
            constraints: [.init(coefficients: [(0, 2)], lower: 1, upper: 1)])
        guard case .infeasible = try program.solve() else { Issue.record("expected infeasible"); return }
    }

    @Test("the integer optimum is never better than the LP bound", arguments: 0..<30)
    func integerNeverBeatsRelaxation(seed: UInt64) throws {
        let mip = randomPacking(seed: seed, variables: 8, constraints: 5, integer: true)
        let integer = try #require(try mip.solve().optimalSolution)
        let relaxation = try #require(try relaxed(mip).solve().optimalSolution)
        #expect(integer.objectiveValue <= relaxation.objectiveValue + 1e-7)
        #expect(abs((integer.relaxationBound ?? .nan) - relaxation.objectiveValue) < 1e-7)
        #expect(integer.values.allSatisfy { $0 == $0.rounded() })
    }

    @Test("an iteration limit of 1 stops the simplex")
    func iterationLimit() throws {
        let program = randomPacking(seed: 7, variables: 30, constraints: 20, integer: false)
        guard case .limitReached(let partial) = try program.solve(options: .init(iterationLimit: 1)) else {
            Issue.record("expected limitReached")
            return
        }
        // The start (all zero) is primal feasible for a packing program, so a point is reported.
        #expect(partial != nil)
        guard case .optimal = try program.solve(options: .init(timeLimitMilliseconds: 60_000, iterationLimit: 100_000)) else {
            Issue.record("generous limits must not stop the solve")
            return
        }
    }

    static let badModels: [(String, LinearProgram, String)] = {
        let base = wyndor()
        var rows: [(String, LinearProgram, String)] = []
        var p = base
        p.constraints[2].coefficients[1].value = .nan
        rows.append(("NaN coefficient", p, "constraint 2 (\"plant3\"): coefficient of variable 1 is nan"))
        p = base
        p.constraints[1].coefficients[0].variable = 7
        rows.append(("index out of range", p, "refers to variable 7, out of range 0..<2"))
        p = base
        p.constraints[0].coefficients = [(-1, 1)]
        rows.append(("negative index", p, "refers to variable -1"))
        p = base
        p.constraints[2].coefficients = [(0, 3), (1, 2), (0, 1)]
        rows.append(("duplicate index in a row", p, "variable 0 appears twice (entries 0 and 2)"))
        p = base
        p.variables[1].lower = 5
        p.variables[1].upper = 2
        rows.append(("variable lb > ub", p, "variable 1 (\"y\"): lower bound 5.0 exceeds upper bound 2.0"))
        p = base
        p.constraints[0].lower = 9
        rows.append(("constraint lb > ub", p, "constraint 0 (\"plant1\"): lower bound 9.0 exceeds upper bound 4.0"))
        p = base
        p.variables[0].upper = .infinity
        rows.append(("infinite bound", p, "use nil for no bound"))
        p = base
        p.variables[0].objective = 1e300
        rows.append(("huge objective", p, "exceeds 2^53"))
        p = base
        p.variables = []
        p.constraints = []
        rows.append(("no variables", p, "no variables"))
        p = base
        p.variables[0].name = String(repeating: "x", count: 256)
        rows.append(("long name", p, "256 UTF-8 bytes"))
        p = base
        p.constraints[0].name = "bad\nname"
        rows.append(("control character", p, "control character"))
        p = base
        p.variables[0].isInteger = true
        p.variables[0].upper = 2.5
        rows.append(("fractional integer bound", p, "fractional upper bound 2.5"))
        p = base
        p.objectiveOffset = -.infinity
        rows.append(("infinite offset", p, "objective offset is -inf"))
        return rows
    }()

    @Test("malformed models throw invalidModel naming the culprit", arguments: badModels)
    func rejectsBadModel(label: String, program: LinearProgram, fragment: String) {
        do {
            _ = try program.solve()
            Issue.record("\(label): expected an error")
        } catch {
            guard case .invalidModel(let message) = error else {
                Issue.record("\(label): expected invalidModel, got \(error)")
                return
            }
            #expect(message.contains(fragment), "\(label): \(message)")
        }
    }

    @Test("bad options are rejected before GLPK sees them", arguments: [
        SolveOptions(timeLimitMilliseconds: 0), SolveOptions(iterationLimit: -1),
        SolveOptions(timeLimitMilliseconds: Int(Int32.max) + 1),
    ])
    func rejectsBadOptions(options: SolveOptions) {
        #expect(throws: GLPKError.self) { try wyndor().solve(options: options) }
    }
}
