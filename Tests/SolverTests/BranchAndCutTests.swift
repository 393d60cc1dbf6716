import Testing
import TestFixtures
@testable import GLPKSolver

/// A seeded covering MIP: min c·x, A x ≥ b, x integer in 0...4 (always feasible at x = 4).
private func randomCovering(seed: UInt64) -> LinearProgram {
    var random = SeededGenerator(seed: seed)
    var program = LinearProgram(sense: .minimize)
    for _ in 0..<7 {
        program.addVariable(.init(lower: 0, upper: 4, objective: Double(Int.random(in: 1...9, using: &random)), isInteger: true))
    }
    for _ in 0..<5 {
        var terms: [(variable: Int, value: Double)] = [(0, Double(Int.random(in: 1...4, using: &random)))]
        for j in 1..<7 where Int.random(in: 0..<3, using: &random) > 0 {
            terms.append((j, Double(Int.random(in: 1...4, using: &random))))
        }
        program.addConstraint(.init(coefficients: terms, lower: Double(Int.random(in: 3...9, using: &random)), upper: nil))
    }
    return program
}

@Suite struct BranchAndCutTests {
    @Test("the proven bound lies between the LP relaxation and the optimum", arguments: 0..<20)
    func boundIsABound(seed: UInt64) throws {
        let program = randomCovering(seed: seed)
        let plain = try #require(try program.solve().optimalSolution)
        let start = Array(repeating: 4.0, count: program.variables.count)
        let result = try program.solve(options: .init(), search: .init(cuts: .all, start: start) { relaxation in
            relaxation.map { $0.rounded(.up) }  // rounding a covering's LP point up stays feasible
        })
        let solution = try #require(result.outcome.optimalSolution)
        #expect(abs(solution.objectiveValue - plain.objectiveValue) < 1e-7)
        #expect(program.isFeasibleIntegerPoint(solution.values))
        let bound = try #require(result.bestBound)
        #expect(bound <= solution.objectiveValue + 1e-7)
        #expect(bound >= (plain.relaxationBound ?? .infinity) - 1e-7)
        #expect(result.firstSolutionMilliseconds != nil)
    }

    @Test("a start that breaks a constraint is never accepted")
    func infeasibleStartRefused() throws {
        let program = LinearProgram(
            sense: .minimize,
            variables: [.init(lower: 0, upper: 10, objective: 1, isInteger: true),
                        .init(lower: 0, upper: 10, objective: 1, isInteger: true)],
            constraints: [.init(coefficients: [(0, 2), (1, 3)], lower: 7, upper: nil)])
        // (0, 0) is integral and cheaper than any feasible point, but breaks 2x + 3y ≥ 7.
        let result = try program.solve(options: .init(), search: .init(start: [0, 0]) { _ in [0, 0] })
        let solution = try #require(result.outcome.optimalSolution)
        #expect(abs(solution.objectiveValue - 3) < 1e-9)
        #expect(result.acceptedHeuristicPoints == 0)
    }

    @Test("a start of the wrong length or not finite is refused before GLPK")
    func startChecked() {
        let program = randomCovering(seed: 1)
        #expect(throws: GLPKError.self) { try program.solve(options: .init(), search: .init(start: [1])) }
        let notFinite = Array(repeating: Double.nan, count: program.variables.count)
        #expect(throws: GLPKError.self) { try program.solve(options: .init(), search: .init(start: notFinite)) }
    }

    @Test func feasibilityCheck() {
        let program = LinearProgram(
            sense: .minimize,
            variables: [.init(lower: 0, upper: 3, objective: 1, isInteger: true), .init(lower: 0, upper: nil, objective: 1)],
            constraints: [.init(coefficients: [(0, 1), (1, 1)], lower: 2, upper: nil)])
        #expect(program.isFeasibleIntegerPoint([1, 1]))
        #expect(!program.isFeasibleIntegerPoint([1.5, 1]))  // fractional integer variable
        #expect(!program.isFeasibleIntegerPoint([1, 0.5]))  // row below its lower bound
        #expect(!program.isFeasibleIntegerPoint([4, 0]))  // above a variable's upper bound
        #expect(!program.isFeasibleIntegerPoint([1]))
    }
}
