import NetworkData
import PropertyBased
import Testing
import TestFixtures
@testable import Routing
@testable import Planning
@testable import GLPKSolver

/// 0–2 capacity cuts of a service of `network` (days 50–90 of the year, so around the plans'
/// first weeks from 2027-03-01, day 59; 1–20 days long; capacity factor 0, ¼, ½, ¾ or 1).
func serviceCuts(_ cuts: [(Int, Int, Int, Int)], of network: RandomNetwork) -> [Disruption] {
    cuts.map { service, from, length, quarters in
        Disruption(name: "cut", target: .service(network.serviceIDs[service % network.serviceIDs.count]),
                   fromDay: Double(from), toDay: Double(from + length), capacityFactor: Double(quarters) / 4)
    }
}

let randomCuts = zip(Gen.int(in: 0...9), Gen.int(in: 50...90), Gen.int(in: 1...20), Gen.int(in: 0...4)).array(of: 0...2)

/// A random network, 1–12 shipments between its places (1–40 TEU at 10 t a TEU), all ready
/// on one day with a deadline a year later (the conditions under which the arc-based LP has the
/// batch plan's optimum), and options with a one-week departure window and random service cuts.
/// Pairs without a route are kept (both models leave them unmet).
let randomBatches = zip(
    randomNetworks,
    zip(Gen.int(in: 0...5), Gen.int(in: 0...5), Gen.int(in: 1...40)).array(of: 1...12),
    randomCuts
).map { network, pairs, cuts in
    let ready = CalendarDay(iso: "2027-03-01")!
    let shipments = pairs.enumerated().map { i, pair in
        let (origin, destination) = network.pair(pair.0, pair.1)
        return Shipment(id: ShipmentID("S\(i)"), origin: origin, destination: destination,
                        teu: Double(pair.2), tonnes: 10 * Double(pair.2), cargo: .general, ready: ready,
                        deadline: ready.adding(days: 365))
    }
    var options = PlanOptions()
    options.departureWindowWeeks = 1
    options.disruptions = serviceCuts(cuts, of: network)
    return (network, shipments, options)
}

/// A random network and a batch of 1–10 shipments ready over three weeks (days 0–20 after
/// 2027-03-01) with 2–30 days to their deadline (some too short for any route), planned
/// with a random objective, a departure window of 1–3 weeks or none, random service cuts, and
/// in one of four batches whole departures (MIP).
let randomGeneralBatches = zip(
    randomNetworks,
    zip(Gen.int(in: 0...5), Gen.int(in: 0...5), Gen.int(in: 1...40), Gen.int(in: 0...20), Gen.int(in: 2...30))
        .array(of: 1...10),
    zip(Gen.int(in: 0...3), Gen.int(in: 0...3), Gen.bool(0.25)),
    randomCuts
).map { network, rows, settings, cuts in
    let first = CalendarDay(iso: "2027-03-01")!
    let shipments = rows.enumerated().map { i, row in
        let (origin, destination) = network.pair(row.0, row.1)
        let ready = first.adding(days: row.3)
        return Shipment(id: ShipmentID("S\(i)"), origin: origin, destination: destination, teu: Double(row.2),
                        tonnes: 10 * Double(row.2), cargo: .general, ready: ready, deadline: ready.adding(days: row.4))
    }
    var options = PlanOptions()
    options.objective = [Objective.cost, .time, .co2, .balanced][settings.0]
    options.departureWindowWeeks = settings.1 == 0 ? nil : settings.1
    options.integer = settings.2
    options.disruptions = serviceCuts(cuts, of: network)
    options.mipSeconds = 1   // feasibility holds for any whole-departure plan, the best or not
    return (network, shipments, options)
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
        await propertyCheck(count: propertyCount(300), input: randomBatches) { random, shipments, options in
            let planner = BatchPlanner(network: try random.load())
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
            let (network, shipments, options) = randomBatches.run(using: &random)
            let plan = try BatchPlanner(network: try network.load()).plan(shipments, options: options)
            if plan.services.contains(where: { $0.weeks.contains { $0.usedTEU >= $0.capacityTEU - 1e-6 } }) { binding += 1 }
            if plan.shipments.contains(where: { $0.routes.count > 1 }) { split += 1 }
            if plan.shipments.contains(where: { $0.unmetTEU > 1e-6 }) { unmet += 1 }
        }
        #expect(binding >= 10 && split >= 5 && unmet >= 10, "binding \(binding), split \(split), unmet \(unmet) of 60")
    }

    /// On random batches over several weeks, with deadlines, every objective and whole
    /// departures: every shipment's TEU is planned or unmet; each route leaves in a week the
    /// shipment may leave in (from its ready week, within the departure window, not after its
    /// deadline), starts on the right day and arrives by the end of the deadline day; no
    /// service-week carries more than its capacity nor, in a whole-departure plan, more than its
    /// departures carry. 200 batches, ~5 s.
    @Test func planIsFeasibleOverWeeksAndDeadlines() async {
        await propertyCheck(count: propertyCount(200), input: randomGeneralBatches) { random, shipments, options in
            let planner = BatchPlanner(network: try random.load())
            let plan = try planner.plan(shipments, options: options)
            #expect(plan.shipments.map(\.shipment.id) == shipments.map(\.id))
            var used: [ServiceWeek: Double] = [:]
            for planned in plan.shipments {
                let shipment = planned.shipment
                let routed = planned.routes.reduce(0) { $0 + $1.teu }
                #expect(abs(routed + planned.unmetTEU - shipment.teu) <= 1e-6 * shipment.teu,
                        "\(shipment.id): \(routed) planned + \(planned.unmetTEU) unmet ≠ \(shipment.teu) TEU")
                let readyWeek = (shipment.ready.daysSinceEpoch - plan.horizonStart.daysSinceEpoch) / 7
                let deadlineWeek = (shipment.deadline.daysSinceEpoch - plan.horizonStart.daysSinceEpoch) / 7
                let lastWeek = min(deadlineWeek, readyWeek + max(1, options.departureWindowWeeks ?? .max / 2) - 1)
                for route in planned.routes {
                    #expect(route.teu > 0 && (readyWeek...lastWeek).contains(route.week),
                            "\(shipment.id): week \(route.week) outside \(readyWeek)...\(lastWeek)")
                    let start = max(shipment.ready, plan.horizonStart.adding(days: 7 * route.week))
                    #expect(route.startDay == start, "\(shipment.id): starts \(route.startDay), expected \(start)")
                    let hoursLeft = Double(shipment.deadline.daysSinceEpoch + 1 - start.daysSinceEpoch) * 24
                    #expect(route.route.transitHours <= hoursLeft + 1e-6,
                            "\(shipment.id): \(route.route.transitHours) h from \(start) misses the deadline \(shipment.deadline)")
                    for arc in route.route.arcs where arc < planner.router.graph.arcCount {
                        if case .service = planner.router.graph.roles[arc] {
                            used[ServiceWeek(arc: arc, week: route.week), default: 0] += route.teu
                        }
                    }
                }
            }
            for (serviceWeek, teu) in used {
                let capacity = try #require(planner.weeklyCapacityTEU(serviceWeek, horizonStart: plan.horizonStart, options: options))
                #expect(teu <= capacity * (1 + 1e-9) + 1e-9, "arc \(serviceWeek.arc) week \(serviceWeek.week): \(teu) TEU > \(capacity)")
                guard options.integer, case .service(let id) = planner.router.graph.roles[serviceWeek.arc] else { continue }
                let usage = try #require(plan.services.first { $0.service == id }, "\(id) carries \(teu) TEU but has no usage")
                let departures = try #require(usage.departuresNeeded, "integer plan without departures for \(id)")
                let perDeparture = try #require(planner.network.service(id)?.capacity.teuPerDeparture(tonnesPerTEU: 10))
                #expect(teu <= Double(departures[serviceWeek.week]) * perDeparture + 1e-6,
                        "\(id) week \(serviceWeek.week): \(teu) TEU on \(departures[serviceWeek.week]) departures of \(perDeparture)")
            }
        }
    }
}
