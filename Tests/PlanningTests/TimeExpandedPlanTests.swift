import NetworkData
import Testing
@testable import Planning
@testable import GLPKSolver

@Suite("Time-expanded LP of a batch plan")
struct TimeExpandedPlanTests {
    /// On random networks whose legs take 2–71 hours, with shipments ready over ten days, due one
    /// to five days later and free to leave in any week up to their deadline: column generation
    /// and the time-expanded LP, solved by GLPK, reach the same optimum. Deadlines and weekly
    /// capacities both bind in most of the instances (the deadline binds when the optimum is
    /// above that of the LP that ignores route hours; a capacity when a service-week is full).
    @Test func sameOptimumAsColumnGenerationWhereDeadlinesBind() throws {
        var deadlineBinds = 0, capacityBinds = 0
        for seed in UInt64(0)..<10 {
            let network = try NetworkLoader.load(yaml: randomShortNetwork(seed: seed, departuresPerWeek: 7, hourSpread: 70))
            let planner = BatchPlanner(network: network)
            let shipments = randomShipments(seed: seed, places: 6, count: 10, deadlineDays: 1...5)
            let options = PlanOptions()
            let plan = try planner.plan(shipments, options: options)
            let unmetTEU = plan.shipments.reduce(0) { $0 + $1.unmetTEU }
            let planObjective = plan.totalCostUSD + unmetTEU * options.unmetPenaltyPerTEU
            try BatchPlannerTests().checkPlan(plan, network: network)

            let expanded = try #require(planner.timeExpandedLP(shipments, options: options), "seed \(seed): too many states")
            let solution = try #require(try expanded.program.solve().optimalSolution, "seed \(seed): no optimum")
            #expect(abs(planObjective - solution.objectiveValue) <= 1e-6 * max(1, abs(solution.objectiveValue)),
                    "seed \(seed): column generation \(planObjective) vs time-expanded LP \(solution.objectiveValue) (\(expanded.states) states)")

            let hoursIgnored = try arcBasedPlanCost(planner: planner, shipments: shipments, penalty: options.unmetPenaltyPerTEU)
            if solution.objectiveValue > hoursIgnored + 1e-6 * max(1, abs(hoursIgnored)) { deadlineBinds += 1 }
            if plan.services.contains(where: { usage in usage.weeks.contains { $0.usedTEU >= $0.capacityTEU - 1e-6 } }) {
                capacityBinds += 1
            }
        }
        #expect(deadlineBinds >= 8, "deadlines bind in \(deadlineBinds) of 10 instances")
        #expect(capacityBinds >= 8, "capacities bind in \(capacityBinds) of 10 instances")
    }

    /// The expansion gives up beyond its state limit instead of growing without bound.
    @Test func givesUpBeyondItsStateLimit() throws {
        let network = try NetworkLoader.load(yaml: randomShortNetwork(seed: 1, departuresPerWeek: 7, hourSpread: 70))
        let planner = BatchPlanner(network: network)
        let shipments = randomShipments(seed: 1, places: 6, count: 10, deadlineDays: 1...5)
        let full = try #require(planner.timeExpandedLP(shipments, options: PlanOptions()))
        #expect(full.states > 10)
        #expect(planner.timeExpandedLP(shipments, options: PlanOptions(), maximumStates: 10) == nil)
    }
}
