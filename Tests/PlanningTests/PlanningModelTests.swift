import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Routing
@testable import Planning
@testable import GLPKSolver

/// Default options with one edit.
private func edited(_ edit: (inout PlanOptions) -> Void) -> PlanOptions {
    var options = PlanOptions()
    edit(&options)
    return options
}

@Suite("Planner capacity, grouping and options")
struct PlanningModelTests {
    private let day = CalendarDay(iso: "2027-03-01")!   // day 59 of 2027

    /// 1,500 reefer TEU from Alpha to Delta within 5 days: only rail R1 (100 TEU × 7 a week)
    /// then R2 (80 × 14) arrives in time, so R1 carries what its week-0 capacity allows.
    private func bigReeferPlan(_ disruptions: [Disruption]) throws -> Plan {
        let planner = BatchPlanner(network: try handPricedRouter().network)
        var options = PlanOptions()
        options.disruptions = disruptions
        let big = Shipment(id: "big", origin: "CNAAA", destination: "DEDDD", teu: 1500, tonnes: 15000, cargo: .reefer,
                           ready: day, deadline: day.adding(days: 5))
        return try planner.plan([big], options: options)
    }

    @Test func aWeekClosedForTwoDaysKeepsFiveSevenths() throws {
        let closed = Disruption(name: "closed", target: .service("R1"), fromDay: 59, toDay: 61, capacityFactor: 0)
        let plan = try bigReeferPlan([closed])
        let unmet = try #require(plan.shipments.first).unmetTEU
        #expect(abs(unmet - (1500 - 700 * 5 / 7.0)) < 1e-6, "R1 keeps 500 of its 700 TEU")
        let r1 = try #require(plan.services.first { $0.service == "R1" })
        #expect(abs((r1.weeks.first?.capacityTEU ?? 0) - 500) < 1e-6)
        #expect(r1.capacityTEU == 700, "the nominal weekly capacity is reported beside the week's")
    }

    /// Two restrictions in force at once keep the tighter one (as in the simulator), not the sum
    /// of their cuts: 50 % and 50 % all week leave 350 TEU, not 0.
    @Test func overlappingDisruptionsKeepTheTighterFactor() throws {
        let restrictions = [
            Disruption(name: "service", target: .service("R1"), fromDay: 50, toDay: 80, capacityFactor: 0.5),
            Disruption(name: "terminal", target: .place("CNAAR"), fromDay: 50, toDay: 80, capacityFactor: 0.5),
        ]
        let plan = try bigReeferPlan(restrictions)
        #expect(abs(try #require(plan.shipments.first).unmetTEU - (1500 - 350)) < 1e-6)
    }

    /// In `balanced` plans each group is priced at its own value of time, even when groups share
    /// an origin, destination, cargo and tonnes per TEU: each shipment takes the route the router
    /// ranks first for its value of time (capacity does not bind at 1 TEU). Before the grouping
    /// was shared with the arc-based LP, groups on one graph took the first group's value of time.
    @Test func balancedPlansPriceEachGroupAtItsOwnValueOfTime() throws {
        let router = try handPricedRouter()
        let planner = BatchPlanner(network: router.network)
        // Value of time = value per TEU × 10 % a year / 8760 h: 0.001 and 50 USD per TEU-hour.
        let values = [("patient", 87.6), ("urgent", 4_380_000.0)]
        var best: [String: [Int]] = [:]
        for (id, value) in values {
            let query = RouteQuery(origin: "CNAAA", destination: "DEDDD", objective: .balanced,
                                   valueOfTimeUSDPerTEUHour: value * 0.10 / 8760, carbonPriceUSDPerTonne: 0)
            guard case .found(let routes, _) = try router.routes(for: query) else { Issue.record("no route"); return }
            best[id] = try #require(routes.first).arcs
        }
        try #require(best["patient"] != best["urgent"], "the values of time must pick different routes to test anything")
        for order in [values, values.reversed()] {
            let shipments = order.map { id, value in
                Shipment(id: ShipmentID(id), origin: "CNAAA", destination: "DEDDD", teu: 1, tonnes: 10, cargo: .general,
                         ready: day, deadline: day.adding(days: 60), valueUSD: value)
            }
            var options = PlanOptions()
            options.objective = .balanced
            options.carbonPriceUSDPerTonne = 0   // so that price alone favours the slow sea route
            let plan = try planner.plan(shipments, options: options)
            for entry in plan.shipments {
                #expect(entry.routes.map(\.route.arcs) == [best[entry.shipment.id.rawValue]!],
                        "\(entry.shipment.id) planned first: \(order[0].0)")
            }
        }
    }

    @Test(arguments: [
        ("mipSeconds", edited { $0.integer = true; $0.mipSeconds = 0.0004 }),
        ("mipSeconds", edited { $0.integer = true; $0.mipSeconds = -1 }),
        ("mipGap", edited { $0.integer = true; $0.mipGap = 2 }),
        ("maximumIterations", edited { $0.maximumIterations = 0 }),
        ("unmetPenaltyPerTEU", edited { $0.unmetPenaltyPerTEU = .infinity }),
        ("carbonPriceUSDPerTonne", edited { $0.carbonPriceUSDPerTonne = .nan }),
    ] as [(String, PlanOptions)])
    func optionsOutOfRangeAreTypedErrors(option: String, options: PlanOptions) throws {
        let planner = BatchPlanner(network: try handPricedRouter().network)
        let shipment = Shipment(id: "A", origin: "CNAAA", destination: "DEDDD", teu: 1, tonnes: 10, cargo: .general,
                                ready: day, deadline: day.adding(days: 60))
        do {
            _ = try planner.plan([shipment], options: options)
            Issue.record("\(option): planned with an option out of range")
        } catch {
            guard case .invalidOption(let name, _, _) = error else { Issue.record("\(option): \(error)"); return }
            #expect(name == option)
        }
    }

    /// A mipSeconds that a non-integer plan never uses is not checked.
    @Test func mipOptionsOnlyMatterForIntegerPlans() throws {
        var options = PlanOptions()
        options.mipSeconds = 0.0004
        let planner = BatchPlanner(network: try handPricedRouter().network)
        let shipment = Shipment(id: "A", origin: "CNAAA", destination: "DEDDD", teu: 1, tonnes: 10, cargo: .general,
                                ready: day, deadline: day.adding(days: 60))
        #expect(try planner.plan([shipment], options: options).shipments.first?.status == .planned)
    }

    @Test func serviceWeeksAreKeysAndOrderByArcThenWeek() {
        let a = ServiceWeek(arc: 3, week: 70_000), b = ServiceWeek(arc: 4, week: 0)
        #expect(a < b && a != ServiceWeek(arc: 3, week: 4_464))   // 70 000 and 4 464 agree in their low 16 bits
        #expect(Set([a, b, ServiceWeek(arc: 3, week: 70_000)]).count == 2)
    }
}
