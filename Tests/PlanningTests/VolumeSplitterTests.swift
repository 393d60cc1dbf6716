import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Routing
@testable import Planning
@testable import GLPKSolver
@testable import MinCostFlow

@Suite("Volume split by column generation")
struct VolumeSplitterTests {
    /// The arc-based min-cost flow on the same query graph, solved directly by GLPK: the
    /// column-generation optimum must equal it.
    func arcBasedOptimum(_ query: RouteQuery, router: Router, period: CapacityPeriod, penalty: Double) throws -> Double {
        var perTEU = query
        perTEU.teu = 1
        perTEU.tonnes = query.tonnes / query.teu
        let endpoints = QueryGraph(graph: router.graph, query: perTEU)
        let weights = endpoints.search(objective: query.objective, respectCargo: true).weights
        var arcs: [FlowArc] = []
        for arc in 0..<endpoints.graph.arcCount where weights[arc].isFinite {
            var capacity = Double.infinity
            if case .service(let id) = endpoints.graph.roles[arc], let service = router.network.service(id) {
                let perDeparture = service.capacityTEUPerDeparture
                    ?? service.capacityTonnesPerDeparture.map { $0 / perTEU.tonnes } ?? .infinity
                capacity = perDeparture * (period == .week ? service.departuresPerWeek : 1)
            }
            arcs.append(FlowArc(tail: endpoints.graph.tails[arc], head: endpoints.graph.heads[arc], capacity: capacity,
                                unitCost: weights[arc]))
        }
        arcs.append(FlowArc(tail: endpoints.source, head: endpoints.sink, unitCost: penalty))
        var supply = Array(repeating: 0.0, count: endpoints.graph.nodeCount)
        supply[endpoints.source] = query.teu
        supply[endpoints.sink] = -query.teu
        let network = FlowNetwork(nodeCount: endpoints.graph.nodeCount, arcs: arcs, supply: supply)
        guard case .optimal(let solution) = try network.solve(using: .glpkSimplex) else {
            Issue.record("arc-based LP has no optimum")
            return .nan
        }
        return solution.cost
    }

    @Test(arguments: [
        ("CNCQI", "DEDUI", 600.0, CapacityPeriod.departure, Objective.cost),
        ("CNCQI", "DEDUI", 3000.0, CapacityPeriod.week, Objective.cost),
        ("CNCQI", "SGSIN", 2000.0, CapacityPeriod.departure, Objective.co2),
        ("CNCQI", "VNHAN", 400.0, CapacityPeriod.departure, Objective.balanced),
    ] as [(String, String, Double, CapacityPeriod, Objective)])
    func equalsTheArcBasedMinCostFlow(from: String, to: String, teu: Double, period: CapacityPeriod, objective: Objective) throws {
        let router = Router(network: builtInNetwork)
        let query = RouteQuery(origin: PlaceCode(from), destination: PlaceCode(to), teu: teu, objective: objective)
        let splitter = VolumeSplitter(router: router)
        let split = try splitter.split(query, period: period)
        let carriedObjective = split.totalCostUSD + split.unmetTEU * splitter.unmetPenaltyPerTEU
        let direct = try arcBasedOptimum(query, router: router, period: period, penalty: splitter.unmetPenaltyPerTEU)
        #expect(abs(carriedObjective - direct) <= 1e-6 * max(1, abs(direct)), "column generation \(carriedObjective) vs arc LP \(direct)")
        #expect(split.routes.count > 1, "the volume should need more than one route")
        #expect(abs(split.routes.reduce(0) { $0 + $1.teu } + split.unmetTEU - teu) < 1e-6)

        // Capacity: the TEU of all parts riding a service never exceed what it offers in the period.
        var used: [String: Double] = [:]
        for part in split.routes { for leg in part.route.serviceLegs { used[leg.service, default: 0] += part.teu } }
        for (id, teuUsed) in used {
            let service = try #require(builtInNetwork.service(ServiceID(id)))
            let perDeparture = service.capacityTEUPerDeparture ?? service.capacityTonnesPerDeparture! / (query.tonnes / query.teu)
            let capacity = perDeparture * (period == .week ? service.departuresPerWeek : 1)
            #expect(teuUsed <= capacity + 1e-6, "\(id) carries \(teuUsed) > \(capacity)")
        }
        // Complementary slackness: a service with a positive dual is full.
        for binding in split.bindingServices {
            #expect(binding.dualUSDPerTEU >= -1e-9)
            #expect(abs((used[binding.service.rawValue] ?? 0) - binding.capacityTEU) < 1e-6)
        }
    }

    @Test func unmetVolumeIsPricedNotInfeasible() throws {
        // Hand-priced network: the only rail path carries 80 TEU a departure on R2; sea 500, truck 2.
        let router = try handPricedRouter()
        let query = RouteQuery(origin: "CNAAA", destination: "DEDDD", teu: 100, deadlineHours: 240)
        let split = try VolumeSplitter(router: router).split(query, period: .departure)
        #expect(abs(split.carriedTEU - 80) < 1e-6)
        #expect(abs(split.unmetTEU - 20) < 1e-6)
        #expect(split.bindingServices.map(\.service) == ["R2"])
    }
}

@Suite("The built-in network")
struct BuiltInNetworkTests {
    @Test func coversTheFourSystems() {
        #expect(builtInNetwork.places.count >= 120)
        #expect(builtInNetwork.services.count >= 350)
        let corridors = Set(builtInNetwork.services.map(\.corridor))
        #expect(corridors.isSuperset(of: [.chinaEurope, .landSea, .yangtze, .air, .ocean]))
        for code in ["CNCQI", "CNCQD", "CNCHQ", "CNCKG", "CNAKL", "CNHRS", "CNRLC", "CNMLX", "PLMAA", "BYBQT", "DEDUI",
                     "DEHAM", "HUBUD", "PLWAW", "PLLOD", "RUMOW", "KZALA", "UZTAS", "TRIST", "CNQZH", "CNBHY", "CNFAN",
                     "CNYPG", "SGSIN", "IDJKT", "VNHPH", "VNCLI", "THLCH", "MYPKG", "LAVTE", "LA-VTE-SOUTH", "CNYIC-TGL",
                     "CNSHG", "CNTAC", "DEFRA", "ESMAD", "VNHAN-NBA", "THBKK-BKK", "USSEA-SEA"] {
            #expect(builtInNetwork.place(PlaceCode(code)) != nil, "missing \(code)")
        }
        #expect(builtInNetwork.targets.contains { $0.id == "chinaEuropeTrainsPerYear" && $0.value == 5500 })
        #expect(builtInNetwork.targets.contains { $0.id == "ckgInternationalRoutes" && $0.value == 55 })
    }

    @Test func chongqingToDuisburgComparesRailOceanAndAir() throws {
        let router = Router(network: builtInNetwork)
        let outcome = try router.routes(for: RouteQuery(origin: "CNCQI", destination: "DEDUI"))
        guard case .found(let routes, _) = outcome else { Issue.record("no route"); return }
        #expect(routes.count >= 3)
        let rail = routes.first { Set($0.serviceLegs.map(\.mode)) == [.rail] }
        let ocean = routes.first { $0.serviceLegs.contains { $0.mode == .sea } }
        let air = routes.first { $0.serviceLegs.contains { $0.mode == .air } }
        let railDays = try #require(rail).days
        #expect((12...20).contains(railDays))
        #expect(try #require(ocean).days > railDays)
        #expect(try #require(air).days < railDays)
        // Plausible per-TEU cost and CO2 ordering by mode.
        #expect(air!.costUSD > 5 * rail!.costUSD)
        #expect(air!.co2eKg > 10 * rail!.co2eKg)
        #expect((1_000...6_000).contains(rail!.costUSD))
    }

    @Test func chinaEuropeRailChangesGaugeTwice() throws {
        let router = Router(network: builtInNetwork)
        guard case .found(let routes, _) = try router.routes(for: RouteQuery(origin: "CNCQD", destination: "DEDUI", objective: .time)),
              let rail = routes.first(where: { Set($0.serviceLegs.map(\.mode)) == [.rail] })
        else { Issue.record("no rail route"); return }
        let gauges = rail.legs.compactMap(\.transfer).filter { $0.kind == .gaugeChange }
        #expect(gauges.count == 2, "1435→1520 into Kazakhstan/Russia and 1520→1435 into Poland")
    }

    @Test func lookupFindsPlacesByEveryName() throws {
        let directory = PlaceDirectory(network: builtInNetwork)
        for (query, code) in [("Chongqing", "CNCQI"), ("重庆", "CNCQI"), ("cnckg", "CNCKG"), ("CKG", "CNCKG"),
                              ("CNCQI", "CNCQI"), ("Duisburg", "DEDUI"), ("FRA", "DEFRA")] {
            guard case .found(let place) = directory.match(query) else { Issue.record("\(query) not found"); continue }
            #expect(place.code.rawValue == code, "\(query)")
        }
        guard case .unknown(let closest) = directory.match("Duisberg") else { Issue.record("typo should be unknown"); return }
        #expect(closest.contains { $0.code == "DEDUI" })
    }
}
