import Testing
import TestFixtures
@testable import MinCostFlow
@testable import GLPKSolver

/// Which outcome a solve returned, for comparing in expectations.
private func kind(_ outcome: GrowingLinearProgram.Outcome) -> String {
    switch outcome {
    case .optimal: "optimal"
    case .infeasible: "infeasible"
    case .unbounded: "unbounded"
    }
}

@Suite("Growing LP (restricted master)")
struct GrowingLinearProgramTests {
    /// min x: x ≥ 2 and x ≤ 1 cannot both hold.
    @Test func reportsInfeasibleAsAnOutcome() throws {
        var lp = GrowingLinearProgram()
        let atLeast = try lp.addRow(lower: 2, upper: nil)
        let atMost = try lp.addRow(lower: nil, upper: 1)
        _ = try lp.addColumn(cost: 1, entries: [(atLeast, 1), (atMost, 1)])
        #expect(kind(try lp.solve()) == "infeasible")
    }

    /// min −x with x ≥ 1 and no upper bound decreases without limit.
    @Test func reportsUnboundedAsAnOutcome() throws {
        var lp = GrowingLinearProgram()
        let row = try lp.addRow(lower: 1, upper: nil)
        _ = try lp.addColumn(cost: -1, entries: [(row, 1)])
        #expect(kind(try lp.solve()) == "unbounded")
    }

    /// The outcome follows the program as it grows: a demand row that only a column added later
    /// can meet is infeasible, then optimal; a column that profits without limit makes it unbounded.
    @Test func outcomesFollowGrowth() throws {
        var lp = GrowingLinearProgram()
        let demand = try lp.addRow(lower: 3, upper: 3)
        let capacity = try lp.addRow(lower: nil, upper: 2)
        _ = try lp.addColumn(cost: 5, entries: [(demand, 1), (capacity, 1)])   // at most 2 of the 3
        #expect(kind(try lp.solve()) == "infeasible")

        _ = try lp.addColumn(cost: 9, entries: [(demand, 1)])                  // the rest, dearer
        guard case .optimal(let solution) = try lp.solve() else {
            Issue.record("expected an optimum after adding the second column")
            return
        }
        #expect(abs(solution.objective - (2 * 5 + 1 * 9)) < 1e-9)
        #expect(abs(solution.values[0] - 2) < 1e-9 && abs(solution.values[1] - 1) < 1e-9)
        // Certificate: the capacity row binds with dual 5 − 9 = −4 (one more TEU of capacity
        // saves 4), and the demand dual is the marginal column's cost, 9.
        #expect(abs(solution.duals[capacity] - -4) < 1e-9 && abs(solution.duals[demand] - 9) < 1e-9)
        #expect(abs(solution.activities[capacity] - 2) < 1e-9)

        let free = try lp.addRow(lower: 0, upper: nil)
        _ = try lp.addColumn(cost: -1, entries: [(free, 1)])                   // unbounded above, profits
        #expect(kind(try lp.solve()) == "unbounded")
    }

    /// A malformed model is thrown, not returned.
    @Test func malformedModelsThrow() throws {
        func thrown(_ attempt: (inout GrowingLinearProgram) throws -> Void) -> GLPKError? {
            var lp = GrowingLinearProgram()
            do { try attempt(&lp) } catch { return error as? GLPKError }
            return nil
        }
        #expect(thrown { _ = try $0.solve() } != nil, "an empty program")
        #expect(thrown { _ = try $0.addRow(lower: 2, upper: 1) } != nil, "lower above upper")
        #expect(thrown { _ = try $0.addRow(lower: .nan, upper: nil) } != nil, "a NaN bound")
        #expect(thrown { _ = try $0.addColumn(cost: 1, entries: [(0, 1)]) } != nil, "a row that does not exist")
    }
}
