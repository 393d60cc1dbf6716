import NetworkData
import PropertyBased
import Testing
import TestFixtures
@testable import Routing
@testable import Planning
@testable import GLPKSolver

/// A random network and 1–12 shipments between its places (1–40 TEU at 10 t a TEU), all ready
/// on one day with a deadline a year later: the conditions under which the arc-based LP has the
/// batch plan's optimum. Pairs without a route are kept (both models leave them unmet).
let randomBatches = zip(
    randomNetworks,
    zip(Gen.int(in: 0...5), Gen.int(in: 0...5), Gen.int(in: 1...40)).array(of: 1...12)
).map { network, pairs in
    let ready = CalendarDay(iso: "2027-03-01")!
    let shipments = pairs.enumerated().map { i, pair in
        let (origin, destination) = network.pair(pair.0, pair.1)
        return Shipment(id: ShipmentID("S\(i)"), origin: origin, destination: destination,
                        teu: Double(pair.2), tonnes: 10 * Double(pair.2), cargo: .general, ready: ready,
                        deadline: ready.adding(days: 365))
    }
    return (network, shipments)
}

/// Property tests of the batch plan. A failure names the shrunk network and shipments and the
/// `.fixedSeed(…)` that replays it.
@Suite("Batch plan properties")
struct BatchPlanProperties {
    /// On random networks and shipments leaving in one week: every shipment's TEU is planned or
    /// unmet, no service-week carries more than its capacity (summed from the planned routes
    /// themselves), and the plan's objective (cost + unmet TEU × penalty) is the arc-based LP's
    /// optimum solved by GLPK, within 1e-6 relative. 300 instances, ~3 s.
    @Test func planIsFeasibleAndMatchesTheArcBasedLP() async {
        await propertyCheck(count: 300, input: randomBatches) { random, shipments in
            let planner = BatchPlanner(network: try random.load())
            var options = PlanOptions()
            options.departureWindowWeeks = 1
            let plan = try planner.plan(shipments, options: options)
            #expect(plan.iterations < options.maximumIterations, "column generation stopped at its iteration limit")

            // Every shipment once, its TEU split into planned routes and unmet TEU.
            #expect(plan.shipments.map(\.shipment.id) == shipments.map(\.id))
            for planned in plan.shipments {
                let routed = planned.routes.reduce(0) { $0 + $1.teu }
                #expect(abs(routed + planned.unmetTEU - planned.shipment.teu) <= 1e-6 * planned.shipment.teu,
                        "\(planned.shipment.id): \(routed) planned + \(planned.unmetTEU) unmet ≠ \(planned.shipment.teu) TEU")
                #expect(planned.unmetTEU >= -1e-9 && planned.routes.allSatisfy { $0.teu > 0 && $0.week == 0 })
            }

            // Service-weeks within capacity, counted from the routes.
            var used: [ServiceWeek: Double] = [:]
            for planned in plan.shipments {
                for route in planned.routes {
                    for arc in route.route.arcs where arc < planner.router.graph.arcCount {
                        if case .service = planner.router.graph.roles[arc] {
                            used[ServiceWeek(arc: arc, week: route.week), default: 0] += route.teu
                        }
                    }
                }
            }
            for (serviceWeek, teu) in used {
                let capacity = try #require(planner.weeklyCapacityTEU(serviceWeek, horizonStart: plan.horizonStart, options: options))
                #expect(teu <= capacity * (1 + 1e-9), "arc \(serviceWeek.arc) week \(serviceWeek.week): \(teu) TEU > \(capacity)")
            }

            // The same optimum as the arc-based LP.
            let unmetTEU = plan.shipments.reduce(0) { $0 + $1.unmetTEU }
            let objective = plan.totalCostUSD + unmetTEU * options.unmetPenaltyPerTEU
            let lp = planner.arcBasedLP(shipments, options: options)
            let solution = try #require(try lp.solve().optimalSolution, "the arc-based LP has no optimum")
            #expect(abs(objective - solution.objectiveValue) <= 1e-6 * max(1, abs(solution.objectiveValue)),
                    "plan \(objective) (unmet \(unmetTEU) TEU) vs arc-based LP \(solution.objectiveValue)")
        }
    }

    /// The random batches make capacities bind, split shipments over routes and leave TEU unmet
    /// in a good share of instances, so the property tests the shared capacity rows.
    @Test func randomBatchesBindCapacity() throws {
        var random = Xoshiro(seed: (5, 6, 7, 8))
        var binding = 0, split = 0, unmet = 0
        for _ in 0..<60 {
            let (network, shipments) = randomBatches.run(using: &random)
            var options = PlanOptions()
            options.departureWindowWeeks = 1
            let plan = try BatchPlanner(network: try network.load()).plan(shipments, options: options)
            if plan.services.contains(where: { $0.weeks.contains { $0.usedTEU >= $0.capacityTEU - 1e-6 } }) { binding += 1 }
            if plan.shipments.contains(where: { $0.routes.count > 1 }) { split += 1 }
            if plan.shipments.contains(where: { $0.unmetTEU > 1e-6 }) { unmet += 1 }
        }
        #expect(binding >= 10 && split >= 5 && unmet >= 10, "binding \(binding), split \(split), unmet \(unmet) of 60")
    }
}
