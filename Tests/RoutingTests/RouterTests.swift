import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import Routing

@Suite("Routing on a hand-priced network")
struct RouterTests {
    @Test func cheapestIsSeaThenRail() throws {
        let router = try handPricedRouter()
        let outcome = try router.routes(for: RouteQuery(origin: "CNAAA", destination: "DEDDD", alternatives: 5))
        guard case .found(let routes, let front) = outcome else { Issue.record("no route: \(outcome)"); return }
        #expect(routes.count == 2)
        // Sea: access 40 + handling 25 + sailing 800 + handling 35 + truck 300.
        #expect(abs(routes[0].costUSD - 1200) < 1e-9)
        // 0.5 access + 3 handling + 84 wait + 700 sail + 4 handling + 1 wait + 4 truck.
        #expect(abs(routes[0].transitHours - 796.5) < 1e-9)
        #expect(abs(routes[0].co2eKg - (4 + 2000 + 160)) < 1e-9)
        // Rail: access 50 + handling 20 + 500 + gauge change 30 + 700.
        #expect(abs(routes[1].costUSD - 1300) < 1e-9)
        // 1 access + 2 handling + 12 wait + 20 + 5 border dwell + 1 gauge change + 40 (no wait after the border).
        #expect(abs(routes[1].transitHours - 81) < 1e-9)
        #expect(abs(routes[1].co2eKg - (8 + 200 + 400)) < 1e-9)
        #expect(routes[1].legs.map(\.service) == ["firstMile:CNAAR", "R1", "R2"])
        #expect(routes[1].legs[1].transfer?.kind == .gaugeChange)
        #expect(routes[1].legs[1].transfer?.isBorderCrossing == true)
        // Neither dominates the other: both are on the Pareto front.
        #expect(front.count == 2)
    }

    @Test func legsChainAndAddUpToTheTotals() throws {
        let router = try handPricedRouter()
        guard case .found(let routes, _) = try router.routes(for: RouteQuery(origin: "CNAAA", destination: "DEDDD", teu: 3))
        else { Issue.record("no route"); return }
        for route in routes {
            for (a, b) in zip(route.legs, route.legs.dropFirst()) { #expect(a.to == b.from) }
            #expect(route.legs.first?.from == "CNAAA")
            #expect(route.legs.last?.to == "DEDDD")
            let cost = route.legs.reduce(0) { $0 + $1.costUSD + $1.handlingUSD }
            let hours = route.legs.reduce(0) { $0 + $1.waitHours + $1.transitHours + $1.dwellHours }
            let co2 = route.legs.reduce(0) { $0 + $1.co2eKg }
            #expect(abs(cost - route.costUSD) < 1e-6)
            #expect(abs(hours - route.transitHours) < 1e-6)
            #expect(abs(co2 - route.co2eKg) < 1e-6)
            #expect(abs((route.legs.last?.arrivalHour ?? 0) + (route.legs.last?.dwellHours ?? 0) - route.transitHours) < 1e-6)
        }
    }

    @Test func timeObjectivePutsRailFirst() throws {
        let router = try handPricedRouter()
        guard case .found(let routes, _) = try router.routes(for: RouteQuery(origin: "CNAAA", destination: "DEDDD", objective: .time))
        else { Issue.record("no route"); return }
        #expect(routes.first?.legs.contains { $0.service == "R1" } == true)
        #expect(routes.map(\.transitHours) == routes.map(\.transitHours).sorted())
    }

    @Test func deadlineRulesOutTheSlowRoute() throws {
        let router = try handPricedRouter()
        guard case .found(let routes, _) = try router.routes(for: RouteQuery(origin: "CNAAA", destination: "DEDDD", deadlineHours: 240))
        else { Issue.record("no route"); return }
        #expect(routes.count == 1)
        #expect(routes.allSatisfy { $0.transitHours <= 240 })
    }

    @Test func dangerousGoodsGoBySea() throws {
        let router = try handPricedRouter()
        guard case .found(let routes, _) = try router.routes(for: RouteQuery(origin: "CNAAA", destination: "DEDDD", cargo: .dangerous(3)))
        else { Issue.record("no route"); return }
        #expect(routes.count == 1)
        #expect(routes[0].legs.contains { $0.service == "W1" })
    }

    @Test func explainsWhyNothingIsFeasible() throws {
        let router = try handPricedRouter()
        let outcome = try router.routes(for: RouteQuery(origin: "CNAAA", destination: "DEDDD", cargo: .vehicles, deadlineHours: 48))
        guard case .noFeasibleRoute(let rejected) = outcome else { Issue.record("expected no feasible route, got \(outcome)"); return }
        #expect(rejected.count == 2)
        for candidate in rejected {
            #expect(candidate.reasons.contains { $0.hasPrefix("cargo: service") && $0.contains("does not accept vehicles") })
            #expect(candidate.reasons.contains { $0.hasPrefix("deadline: takes") })
        }
    }

    @Test func malformedQueriesThrow() throws {
        let router = try handPricedRouter()
        #expect(throws: RouteQueryError.self) { try router.routes(for: RouteQuery(origin: "CNAAA", destination: "CNAAA")) }
        #expect(throws: RouteQueryError.self) { try router.routes(for: RouteQuery(origin: "CNXXX", destination: "CNAAA")) }
        #expect(throws: RouteQueryError.self) { try router.routes(for: RouteQuery(origin: "CNAAA", destination: "DEDDD", teu: .nan)) }
        #expect(throws: RouteQueryError.self) { try router.routes(for: RouteQuery(origin: "CNAAA", destination: "DEDDD", alternatives: 0)) }
    }

    @Test func noPathIsAnOutcome() throws {
        var yaml = handPricedNetwork
        yaml += "\n  - {id: X1, name: Island hop, mode: road, corridor: domestic, from: NLSSS, to: CNBBB, distanceKm: 1, transitHours: {mean: 1, p90: 1}, departuresPerWeek: 1, capacityTEUPerDeparture: 1, priceUSDPerTEU: 1, co2eGramsPerTonneKm: 1, cargo: [general], source: \"estimate: hand-made test value\"}\n"
        let router = Router(network: try NetworkLoader.load(yaml: yaml))
        // Nothing leaves DEDDD, so DEDDD → CNAAA has no path at all.
        let outcome = try router.routes(for: RouteQuery(origin: "DEDDD", destination: "CNAAA"))
        guard case .noPath = outcome else { Issue.record("expected noPath, got \(outcome)"); return }
    }
}

@Suite("Yen's algorithm against exhaustive enumeration")
struct KShortestPathsTests {
    /// All simple s–t paths of a small graph, by depth-first search.
    func allPathWeights(nodeCount: Int, tails: [Int], heads: [Int], weights: [Double], from s: Int, to t: Int) -> [Double] {
        var out: [Double] = []
        var visited = Array(repeating: false, count: nodeCount)
        func walk(_ node: Int, _ weight: Double) {
            if node == t { out.append(weight); return }
            visited[node] = true
            for arc in tails.indices where tails[arc] == node && !visited[heads[arc]] { walk(heads[arc], weight + weights[arc]) }
            visited[node] = false
        }
        walk(s, 0)
        return out.sorted()
    }

    @Test(arguments: 0..<60)
    func matchesBruteForce(seed: UInt64) {
        var rng = SeededGenerator(seed: seed &+ 1000)
        let n = 4 + Int(rng.next() % 5)
        var tails: [Int] = [], heads: [Int] = [], weights: [Double] = []
        for u in 0..<n { for v in 0..<n where u != v && rng.next() % 100 < 40 {
            tails.append(u); heads.append(v); weights.append(Double(rng.next() % 20))
        } }
        var outgoing = Array(repeating: [Int](), count: n)
        for arc in tails.indices { outgoing[tails[arc]].append(arc) }
        var search = KShortestPaths(nodeCount: n, tails: tails, heads: heads, outgoing: outgoing, weights: weights)
        let k = 6
        let (paths, _) = search.yen(from: 0, to: n - 1, count: k, limit: k) { _ in true }
        let expected = Array(allPathWeights(nodeCount: n, tails: tails, heads: heads, weights: weights, from: 0, to: n - 1).prefix(k))
        #expect(paths.map(\.weight) == expected)
        #expect(Set(paths.map(\.arcs)).count == paths.count, "paths must be distinct")
        for path in paths {
            #expect(path.arcs.first.map { tails[$0] } == 0)
            #expect(path.arcs.last.map { heads[$0] } == n - 1)
            let nodes = [0] + path.arcs.map { heads[$0] }
            #expect(Set(nodes).count == nodes.count, "paths must be loopless")
        }
    }
}
