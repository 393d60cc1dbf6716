import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Routing
@testable import Planning
@testable import GLPKSolver
@testable import MinCostFlow

/// A seeded random network of road and rail links of 2 to 1 + `hourSpread` hours. With the default
/// spread every path takes well under a week, so every route fits every allowed departure week
/// and the arc-based LP is the same model.
func randomShortNetwork(seed: UInt64, places: Int = 6, services: Int = 14, departuresPerWeek: Int = 84,
                        hourSpread: UInt64 = 8) -> String {
    var rng = SeededGenerator(seed: seed)
    var yaml = """
    network: random-\(seed)
    tonnesPerTEU: 10
    defaults: {handling: {hours: 2, costUSDPerTEU: 20}, connectionHours: 1}
    source: "estimate: seeded random test network"
    places:

    """
    for i in 0..<places {
        yaml += "  - {code: CNT\(String(format: "%02d", i)), name: Test \(i), country: CN, lonLat: [\(100 + i), 30], kind: inlandHub, source: \"estimate: seeded random test place\"}\n"
    }
    yaml += "services:\n"
    var pairs: Set<[Int]> = []
    for i in 0..<(places - 1) { pairs.insert([i, i + 1]) }   // a chain keeps every place connected
    while pairs.count < services {
        let a = Int(rng.next() % UInt64(places)), b = Int(rng.next() % UInt64(places))
        if a != b { pairs.insert([a, b]) }
    }
    for (n, pair) in pairs.sorted(by: { $0.lexicographicallyPrecedes($1) }).enumerated() {
        let mode = rng.next() % 2 == 0 ? "rail" : "road"
        let hours = 2 + Double(rng.next() % hourSpread)
        let capacity = 5 + Double(rng.next() % 20)
        let price = 50 + Double(rng.next() % 400)
        yaml += "  - {id: S\(n), name: Service \(n), mode: \(mode), corridor: domestic, from: CNT\(String(format: "%02d", pair[0])), to: CNT\(String(format: "%02d", pair[1])), distanceKm: \(Int(hours * 60)), transitHours: {mean: \(hours), p90: \(hours * 1.3)}, departuresPerWeek: \(departuresPerWeek), capacityTEUPerDeparture: \(capacity), priceUSDPerTEU: \(price), co2eGramsPerTonneKm: \(mode == "rail" ? 20 : 80), cargo: [general], source: \"estimate: seeded random test service\"}\n"
    }
    return yaml
}

/// The arc-based multi-commodity LP of the same model, solved directly by GLPK: one flow copy
/// per shipment group and departure week, weekly capacities shared across groups.
func arcBasedPlanCost(planner: BatchPlanner, shipments: [Shipment], penalty: Double) throws -> Double {
    let start = shipments.map(\.ready).min()!
    var lp = LinearProgram(sense: .minimize)
    var capacityRows: [String: [(variable: Int, value: Double)]] = [:]
    var capacityOf: [String: Double] = [:]
    for shipment in shipments {
        let query = RouteQuery(origin: shipment.origin, destination: shipment.destination, teu: 1,
                               tonnes: shipment.tonnes / shipment.teu, cargo: shipment.cargo)
        let graph = QueryGraph(graph: planner.router.graph, query: query)
        let weights = graph.search(objective: .cost, respectCargo: true).weights
        var demand: [(variable: Int, value: Double)] = []
        let firstWeek = (shipment.ready.daysSinceEpoch - start.daysSinceEpoch) / 7
        let lastWeek = (shipment.deadline.daysSinceEpoch - start.daysSinceEpoch) / 7
        for week in firstWeek...lastWeek {
            var flowOf: [Int: Int] = [:]
            for arc in 0..<graph.graph.arcCount where weights[arc].isFinite {
                flowOf[arc] = lp.addVariable(.init(lower: 0, upper: nil, objective: weights[arc]))
                if case .service(let id) = graph.graph.roles[arc], let service = planner.network.service(id) {
                    let key = "\(arc)|\(week)"
                    capacityRows[key, default: []].append((flowOf[arc]!, 1))
                    capacityOf[key] = service.capacityTEUPerDeparture! * service.departuresPerWeek
                }
            }
            let supply = lp.addVariable(.init(lower: 0, upper: nil, objective: 0))
            demand.append((supply, 1))
            for node in 0..<graph.graph.nodeCount {
                var row: [(variable: Int, value: Double)] = []
                for arc in graph.graph.outgoing[node] { if let v = flowOf[arc] { row.append((v, 1)) } }
                for arc in graph.graph.incoming[node] { if let v = flowOf[arc] { row.append((v, -1)) } }
                if node == graph.source { row.append((supply, -1)) }
                if node == graph.sink { row.append((supply, 1)) }
                if !row.isEmpty { lp.addConstraint(.init(coefficients: row, lower: 0, upper: 0)) }
            }
        }
        let unmet = lp.addVariable(.init(lower: 0, upper: nil, objective: penalty))
        lp.addConstraint(.init(coefficients: demand + [(unmet, 1)], lower: shipment.teu, upper: shipment.teu))
    }
    for (key, row) in capacityRows { lp.addConstraint(.init(coefficients: row, lower: nil, upper: capacityOf[key]!)) }
    guard case .optimal(let solution) = try lp.solve() else {
        Issue.record("arc-based LP has no optimum")
        return .nan
    }
    return solution.objectiveValue
}

func randomShipments(seed: UInt64, places: Int, count: Int, deadlineDays: ClosedRange<Int> = 6...15) -> [Shipment] {
    var rng = SeededGenerator(seed: seed &* 31 &+ 7)
    let base = CalendarDay(iso: "2027-03-01")!
    return (0..<count).map { i in
        var a = Int(rng.next() % UInt64(places)), b = Int(rng.next() % UInt64(places))
        if a == b { b = (a + 1 + Int(rng.next() % UInt64(places - 1))) % places }
        if a == b { a = (b + 1) % places }
        let ready = base.adding(days: Int(rng.next() % 10))
        let teu = Double(20 + rng.next() % 200)
        return Shipment(id: ShipmentID("S\(i)"), origin: PlaceCode("CNT\(String(format: "%02d", a))"),
                        destination: PlaceCode("CNT\(String(format: "%02d", b))"), teu: teu, tonnes: teu * 10,
                        cargo: .general, ready: ready, deadline: ready.adding(days: deadlineDays.lowerBound + Int(rng.next() % UInt64(deadlineDays.count))))
    }
}

@Suite("Batch planning by column generation")
struct BatchPlannerTests {
    @Test(arguments: 0..<12)
    func equalsTheArcBasedMultiCommodityLP(seed: UInt64) throws {
        let network = try NetworkLoader.load(yaml: randomShortNetwork(seed: seed))
        let planner = BatchPlanner(network: network)
        let shipments = randomShipments(seed: seed, places: 6, count: 8)
        let options = PlanOptions()
        let plan = try planner.plan(shipments, options: options)
        let planObjective = plan.totalCostUSD + plan.shipments.reduce(0) { $0 + $1.unmetTEU } * options.unmetPenaltyPerTEU
        let direct = try arcBasedPlanCost(planner: planner, shipments: shipments, penalty: options.unmetPenaltyPerTEU)
        #expect(abs(planObjective - direct) <= 1e-6 * max(1, abs(direct)), "column generation \(planObjective) vs arc LP \(direct)")
        try checkPlan(plan, network: network)
    }

    /// Capacity, conservation (each route is a path origin → destination), deadlines, volumes,
    /// and complementary slackness of the capacity duals.
    func checkPlan(_ plan: Plan, network: Network) throws {
        var weekly: [String: Double] = [:]
        for entry in plan.shipments {
            let s = entry.shipment
            let carried = entry.routes.reduce(0) { $0 + $1.teu }
            #expect(abs(carried + entry.unmetTEU - s.teu) < 1e-6, "\(s.id) volume")
            #expect(entry.status == (entry.unmetTEU < 1e-6 ? .planned : carried > 1e-6 ? .partial : .unmet))
            if entry.status != .planned { #expect(entry.reason != nil) }
            for part in entry.routes {
                let legs = part.route.legs
                #expect(legs.first?.from == s.origin && legs.last?.to == s.destination)
                for (a, b) in zip(legs, legs.dropFirst()) { #expect(a.to == b.from) }
                #expect(part.startDay >= s.ready)
                let arrivalHour = Double(part.startDay.daysSinceEpoch - s.ready.daysSinceEpoch) * 24 + part.route.transitHours
                let allowed = Double(s.deadline.daysSinceEpoch + 1 - s.ready.daysSinceEpoch) * 24
                #expect(arrivalHour <= allowed + 1e-6, "\(s.id) arrives after its deadline")
                for leg in part.route.serviceLegs { weekly["\(leg.service)|\(part.week)", default: 0] += part.teu }
            }
        }
        for usage in plan.services {
            for week in usage.weeks {
                let used = weekly["\(usage.service)|\(week.week)"] ?? 0
                #expect(abs(used - week.usedTEU) < 1e-6, "\(usage.service) week \(week.week) use")
                #expect(used <= week.capacityTEU + 1e-6, "\(usage.service) over capacity")
                if week.dualUSDPerTEU > 1e-6 { #expect(abs(used - week.capacityTEU) < 1e-6, "dual on a slack row") }
                #expect(week.dualUSDPerTEU >= 0)
            }
        }
    }

    @Test(arguments: 0..<6)
    func integerPlanIsNeverCheaperThanTheLPBound(seed: UInt64) throws {
        let network = try NetworkLoader.load(yaml: randomShortNetwork(seed: seed + 100, services: 10, departuresPerWeek: 7))
        let planner = BatchPlanner(network: network)
        let shipments = randomShipments(seed: seed + 100, places: 6, count: 5)
        var options = PlanOptions()
        options.integer = true
        options.mipGap = 0
        let plan = try planner.plan(shipments, options: options)
        let bound = try #require(plan.lowerBound)
        let objective = plan.totalCostUSD + plan.shipments.reduce(0) { $0 + $1.unmetTEU } * options.unmetPenaltyPerTEU
        #expect(objective >= bound - 1e-6 * max(1, abs(bound)))
        // The reported gap comes from the plan's own objective and the bound.
        let search = try #require(plan.integerSearch)
        #expect(abs(search.planObjective - objective) <= 1e-6 * max(1, objective))
        #expect(search.bound == bound)
        #expect(abs(search.gap - (search.planObjective - bound) / search.planObjective) < 1e-12)
        #expect(search.secondsToFirstPlan <= search.seconds)
        // With no gap allowed and a tiny tree, branch-and-cut proves its plan optimal.
        #expect(search.gap <= 1e-6)
        for usage in plan.services {
            let departures = try #require(usage.departuresNeeded)
            let service = try #require(network.service(usage.service))
            for week in usage.weeks {
                #expect(Double(departures[week.week]) * service.capacityTEUPerDeparture! >= week.usedTEU - 1e-6)
                #expect(week.usedTEU <= week.capacityTEU + 1e-6)
                #expect(Double(departures[week.week]) <= service.departuresPerWeek.rounded(.up))
            }
        }
    }

    @Test func reasonsNameTheConstraint() throws {
        let router = try handPricedRouter()
        let planner = BatchPlanner(network: router.network)
        let day = CalendarDay(iso: "2027-03-01")!
        let shipments = [
            // Rail takes 81 h: a 2-day window rules everything out.
            Shipment(id: "tight", origin: "CNAAA", destination: "DEDDD", teu: 1, tonnes: 10, cargo: .general,
                     ready: day, deadline: day.adding(days: 1)),
            // No service takes vehicles.
            Shipment(id: "cars", origin: "CNAAA", destination: "DEDDD", teu: 1, tonnes: 10, cargo: .vehicles,
                     ready: day, deadline: day.adding(days: 60)),
            // R1 carries 100 × 7 = 700 TEU a week; the sea route is too slow and refuses reefers.
            Shipment(id: "big", origin: "CNAAA", destination: "DEDDD", teu: 1500, tonnes: 15000, cargo: .reefer,
                     ready: day, deadline: day.adding(days: 5)),
            Shipment(id: "back", origin: "DEDDD", destination: "CNAAA", teu: 1, tonnes: 10, cargo: .general,
                     ready: day, deadline: day.adding(days: 60)),
        ]
        let plan = try planner.plan(shipments)
        let byID = Dictionary(uniqueKeysWithValues: plan.shipments.map { ($0.shipment.id.rawValue, $0) })
        #expect(byID["tight"]?.status == .unmet)
        #expect(byID["tight"]?.reason?.hasPrefix("deadline: the fastest route takes 3.4 days") == true)
        #expect(byID["cars"]?.status == .unmet)
        #expect(byID["cars"]?.reason?.hasPrefix("cargo: no route accepts vehicles") == true)
        #expect(byID["big"]?.status == .partial)
        #expect(byID["big"]?.reason?.contains("capacity: full services: R") == true)
        #expect(abs((byID["big"]?.unmetTEU ?? 0) - 800) < 1e-6)
        #expect(byID["back"]?.status == .unmet)
        #expect(byID["back"]?.reason?.hasPrefix("no route") == true)
        let binding = plan.services.filter { $0.dualUSDPerTEU > 0 }.map(\.service)
        #expect(binding == ["R1"])
    }
}

@Suite("Shipment CSV")
struct ShipmentListTests {
    @Test func readsAValidList() throws {
        let csv = #"""
        id,origin,destination,teu,tonnes,cargo,ready,deadline,shipper,description
        A1,Alpha,DEDDD,4,,general,2027-03-01,30d,"Example Co., Ltd.","laptops, ""thin"""
        A2,CNAAA,Delta,,25,reefer,2027-03-02,2027-04-01,,
        """#
        let list = try ShipmentList.parse(Data(csv.utf8), file: "s.csv", network: try handPricedRouter().network)
        #expect(list.count == 2)
        #expect(list[0].deadline == CalendarDay(iso: "2027-03-31"))
        #expect(list[0].tonnes == 40)
        #expect(list[0].shipper == "Example Co., Ltd.")
        #expect(list[0].descriptionOfGoods == "laptops, \"thin\"")
        #expect(list[1].teu == 2.5 && list[1].cargo == .reefer && list[1].destination == "DEDDD")
    }

    @Test func reportsEveryRowAndColumn() throws {
        let csv = #"""
        id,origin,destination,teu,cargo,ready,deadline
        A1,Alpha,DEDDD,4,general,2027-03-01,30d
        A1,Atlantis,DEDDD,-2,frozen,2027-02-30,2027-01-01
        A3,Alpha,DEDDD,,general,2027-03-01,soon
        A4,Alpha,DEDDD,1,general
        """#
        let error = #expect(throws: InvalidInput.self) {
            try ShipmentList.parse(Data(csv.utf8), file: "s.csv", network: try handPricedRouter().network)
        }
        let found = Set(try #require(error).issues.map { "\($0.location.line) \($0.field)" })
        #expect(found == ["3 column id", "3 column origin", "3 column teu", "3 column cargo", "3 column ready",
                          "4 column teu", "4 column deadline", "5 "])
    }

    @Test(arguments: [
        ("id,origin\nA,B\n", "missing from the header"),
        ("id,origin,destination,teu,ready,deadline,colour\n", "unknown column"),
        ("id,origin,destination,teu,ready,deadline\nA,\"Alpha,DEDDD,1,2027-03-01,2027-03-05\n", "never closed"),
        ("", "file is empty"),
    ])
    func rejectsMalformedFiles(csv: String, fragment: String) throws {
        let error = #expect(throws: InvalidInput.self) {
            try ShipmentList.parse(Data(csv.utf8), file: "s.csv", network: try handPricedRouter().network)
        }
        #expect(try #require(error).issues.contains { $0.message.contains(fragment) })
    }
}

