import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Routing
@testable import Planning
@testable import GLPKSolver
@testable import MinCostFlow

/// The built-in network, loaded once for these tests.
private let network: Network = {
    guard let url = BuiltInNetwork.manifestURL() else { fatalError("built-in network not found") }
    do { return try NetworkLoader.load(manifest: url) } catch { fatalError("built-in network invalid:\n\(error)") }
}()

private let planner = BatchPlanner(network: network)

/// Seeded shipments on the built-in network, all ready on one day with a deadline a year later:
/// origins and destinations are places where freight starts or ends (not borders, gauge-change
/// stations or locks) with a route for the cargo; 1–40 TEU at 10 t per TEU.
private func seededShipments(seed: UInt64, count: Int) -> [Shipment] {
    var random = SeededGenerator(seed: seed &* 0x9E37 &+ 11)
    let ready = CalendarDay(iso: "2027-03-01")!
    let places = network.places.filter { ![.borderCrossing, .gaugeChange, .lock].contains($0.kind) }.map(\.code)
    let cargoMix: [(CargoClass, Int)] = [(.general, 75), (.reefer, 8), (.vehicles, 10), (.dangerous(9), 3),
                                         (.dangerous(3), 2), (.dangerous(8), 2)]
    var hasRoute: [String: Bool] = [:]
    var shipments: [Shipment] = []
    while shipments.count < count {
        let origin = places[Int(random.next() % UInt64(places.count))]
        let destination = places[Int(random.next() % UInt64(places.count))]
        guard origin != destination else { continue }
        var pick = Int(random.next() % 100)
        let cargo = cargoMix.first { pick -= $0.1; return pick < 0 }!.0
        let key = "\(origin)|\(destination)|\(cargo)"
        let routable = hasRoute[key] ?? {
            let graph = QueryGraph(graph: planner.router.graph, query: RouteQuery(origin: origin, destination: destination, cargo: cargo))
            var search = graph.search(objective: .cost, respectCargo: true)
            return search.shortestPath(from: graph.source, to: graph.sink) != nil
        }()
        hasRoute[key] = routable
        guard routable else { continue }
        let teu = Double(1 + random.next() % 40)
        shipments.append(Shipment(id: ShipmentID("S\(shipments.count)"), origin: origin, destination: destination,
                                  teu: teu, tonnes: 10 * teu, cargo: cargo, ready: ready, deadline: ready.adding(days: 365)))
    }
    return shipments
}

@Suite("Arc-based LP of a batch plan")
struct ArcBasedPlanTests {
    /// Column generation and the arc-based LP, solved by GLPK, reach the same optimum: total
    /// cost plus unmet TEU × penalty. The demand is heavy enough for capacities to bind.
    @Test(arguments: [(UInt64(1), 150), (2, 250)])
    func sameOptimumAsColumnGeneration(seed: UInt64, count: Int) throws {
        let shipments = seededShipments(seed: seed, count: count)
        var options = PlanOptions()
        options.departureWindowWeeks = 1
        let plan = try planner.plan(shipments, options: options)
        #expect(plan.iterations < options.maximumIterations, "column generation stopped at its iteration limit")
        let unmetTEU = plan.shipments.reduce(0) { $0 + $1.unmetTEU }
        let planObjective = plan.totalCostUSD + unmetTEU * options.unmetPenaltyPerTEU

        let lp = planner.arcBasedLP(shipments, options: options)
        let solution = try #require(try lp.solve().optimalSolution, "the arc-based LP has no optimum")
        let penaltyVariables = lp.variables.indices.filter { lp.variables[$0].objective == options.unmetPenaltyPerTEU }
        let lpUnmet = penaltyVariables.reduce(0) { $0 + solution.values[$1] }
        #expect(abs(planObjective - solution.objectiveValue) <= 1e-6 * max(1, abs(solution.objectiveValue)),
                "column generation \(planObjective) (unmet \(unmetTEU) TEU) vs arc LP \(solution.objectiveValue) (unmet \(lpUnmet) TEU)")
        // The cost part alone agrees too, so the penalty does not hide a routing difference.
        let lpCost = solution.objectiveValue - lpUnmet * options.unmetPenaltyPerTEU
        #expect(abs(plan.totalCostUSD - lpCost) <= 1e-6 * max(1, abs(plan.totalCostUSD)),
                "column generation cost \(plan.totalCostUSD) vs arc LP cost \(lpCost)")
        // Capacities bind: some service is full in week 0.
        let full = plan.services.filter { usage in usage.weeks.contains { $0.usedTEU >= $0.capacityTEU - 1e-6 } }
        #expect(!full.isEmpty, "no capacity binds; the instance does not test the shared rows")
    }

    /// One shipment: the LP is a single-commodity min-cost flow whose optimum is the cheapest
    /// route's price × TEU (capacity does not bind for 1 TEU), with one unmet variable.
    @Test func singleShipmentIsTheCheapestRoute() throws {
        let ready = CalendarDay(iso: "2027-03-01")!
        let shipment = Shipment(id: "A", origin: "CNCKG", destination: "DEDUI", teu: 1, tonnes: 10, cargo: .general,
                                ready: ready, deadline: ready.adding(days: 365))
        var options = PlanOptions()
        options.departureWindowWeeks = 1
        let lp = planner.arcBasedLP([shipment], options: options)
        #expect(lp.variables.filter { $0.objective == options.unmetPenaltyPerTEU }.count == 1)
        let solution = try #require(try lp.solve().optimalSolution)
        let graph = QueryGraph(graph: planner.router.graph, query: RouteQuery(origin: "CNCKG", destination: "DEDUI", teu: 1, tonnes: 10))
        var search = graph.search(objective: .cost, respectCargo: true)
        let found = search.shortestPath(from: graph.source, to: graph.sink)
        let cheapest = try #require(found)
        #expect(abs(solution.objectiveValue - cheapest.weight) <= 1e-9 * cheapest.weight)
    }

    @Test func noShipmentsGiveAnEmptyProgram() {
        let lp = planner.arcBasedLP([], options: PlanOptions())
        #expect(lp.variables.isEmpty && lp.constraints.isEmpty)
    }
}
