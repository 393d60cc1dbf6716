import NetworkData
import Testing
import TestFixtures
import Routing

@Suite("Alternatives by corridor and gateway on the built-in network")
struct AlternativesTests {
    static let router = Router(network: builtInNetwork)

    static func alternatives(to destination: PlaceCode, count: Int = 5) throws -> [Route] {
        let outcome = try router.routes(for: RouteQuery(origin: "CNCQI", destination: destination, alternatives: count))
        guard case .found(let routes, _) = outcome else { Issue.record("no route to \(destination)"); return [] }
        return routes
    }

    @Test(arguments: ["SGSIN-CITY", "IDJKT-CITY"] as [PlaceCode])
    func southeastAsiaShowsEachCorridor(_ destination: PlaceCode) throws {
        let routes = try Self.alternatives(to: destination)
        let keys = routes.map(\.alternativeKey)
        // The Land-Sea Corridor rail-sea via Qinzhou, the Yangtze river-sea via Shanghai, rail
        // to Shanghai and sea, and air.
        #expect(keys.contains { $0.modes == [.rail, .sea] && $0.gateway == "CNQZH" })
        #expect(keys.contains { $0.modes == [.inlandWater, .sea] && $0.gateway == "CNSHG" })
        #expect(keys.contains { $0.modes == [.rail, .sea] && $0.gateway == "CNSHG" })
        #expect(keys.contains { $0.modes == [.air] })
        #expect(Set(keys).count == keys.count, "two alternatives share a corridor and gateway: \(keys)")
    }

    @Test(arguments: ["SGSIN-CITY", "IDJKT-CITY", "DEDUI", "THBKK", "VNHAN", "HUBUD-CITY"] as [PlaceCode])
    func nearCopiesAreFoldedAndOnlyThey(_ destination: PlaceCode) throws {
        let routes = try Self.alternatives(to: destination)
        for route in routes {
            for copy in route.alsoVia {
                #expect(abs(copy.costUSD - route.costUSD) <= Router.nearCopyCostShare * route.costUSD + 1e-6)
                #expect(abs(copy.transitHours - route.transitHours) <= Router.nearCopyHoursShare * route.transitHours + 1e-6)
            }
        }
        for (i, a) in routes.enumerated() {
            for b in routes[(i + 1)...] {
                #expect(!b.isNearCopy(of: a, costShare: Router.nearCopyCostShare, hoursShare: Router.nearCopyHoursShare),
                        "two lines are near-copies: \(a.stops) and \(b.stops)")
            }
        }
        // The first line is still the single best route, and lines come best first.
        let best = try Self.alternatives(to: destination, count: 1)
        #expect(best.first?.arcs == routes.first?.arcs)
        #expect(routes.map(\.objectiveValue) == routes.map(\.objectiveValue).sorted())
    }
}
