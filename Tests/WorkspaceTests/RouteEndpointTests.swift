import Foundation
import Hummingbird
import NetworkData
import Reports
import Routing
import Testing
import TestFixtures
@testable import Workspace

@Suite("workspace: route queries")
struct RouteEndpointTests {
    @Test func theAnswerIsTheCommandLinesContract() async throws {
        let workspace = try TestWorkspace()
        var request = RouteRequest(from: "Chongqing", to: "Duisburg")
        request.objective = .time
        request.alternatives = 3
        request.teu = RouteRequest.Number(value: 2, text: "2")
        let expected = try request.solve(router: Router(network: builtInNetwork), places: PlaceDirectory(network: builtInNetwork),
                                         optionPrefix: "").answer
        try await workspace.test { client in
            let uri = "/api/route?" + query(["from": "重庆", "to": "Duisburg", "objective": "time", "alternatives": "3", "teu": "2"])
            try await client.execute(uri: uri, method: .get) { response throws in
                #expect(response.status == .ok)
                let answer = try response.decode(RouteAnswer.self)
                #expect(answer.status == "ok")
                #expect(response.headers[HTTPFields.Element.Name("Server-Timing")!]?.hasPrefix("route;dur=") == true)
                #expect(answer.query.objective == "time")
                #expect(answer.query.teu == 2)
                #expect(answer.alternatives.count == expected.alternatives.count)
                #expect(answer.alternatives.map(\.costUSD) == expected.alternatives.map(\.costUSD))
                #expect(answer.alternatives.map(\.transitHours) == expected.alternatives.map(\.transitHours))
                // Fastest first, as asked.
                #expect(answer.alternatives.map(\.transitHours) == answer.alternatives.map(\.transitHours).sorted())
            }
        }
    }

    @Test func aMonthUsesTheSeasonalRouter() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/route?from=CNCQI&to=Shanghai&month=8", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(try response.decode(RouteAnswer.self).query.month == 8)
            }
        }
    }

    @Test(arguments: [
        ("from=Atlantis&to=Duisburg", "from 'Atlantis' is not a known place"),
        ("from=Chongqing&to=Atlantis", "to 'Atlantis' is not a known place"),
        ("from=Chongqing", "to: missing"),
        ("from=Chongqing&to=Duisburg&teu=1e-300", "teu 1e-300: expected a number from 0.001 to 1000000"),
        ("from=Chongqing&to=Duisburg&teu=0x10", "teu '0x10': expected a decimal number"),
        ("from=Chongqing&to=Duisburg&teu=2&tonnes=20", "give teu or tonnes, not both"),
        ("from=Chongqing&to=Duisburg&deadline=5", "deadline '5': expected a positive duration with its unit"),
        ("from=Chongqing&to=Duisburg&objective=cheap", "objective 'cheap': expected one of cost, time, co2, balanced"),
        ("from=Chongqing&to=Duisburg&alternatives=0", "alternatives 0: expected 1 to 100"),
        ("from=Chongqing&to=Duisburg&alternatives=many", "alternatives 'many': expected a whole number"),
        ("from=Chongqing&to=Duisburg&month=13", "month 13: expected 1 to 12"),
        ("from=Chongqing&to=Duisburg&cargo=dangerous:12", "cargo 'dangerous:12'"),
        ("from=Chongqing&to=Duisburg&per=year", "per 'year': expected one of departure, week"),
    ])
    func badQueriesAre400WithTheCommandLinesMessage(parameters: String, message: String) async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/route?" + parameters, method: .get) { response throws in
                #expect(response.status == .badRequest)
                let error = try response.apiError()
                #expect(error.error.contains(message), "\(error.error)")
            }
        }
    }

    @Test func anAmbiguousPlaceListsItsCandidates() async throws {
        let directory = PlaceDirectory(network: builtInNetwork)
        // A name part that fits places of several zones, found in the network itself.
        let candidates = ["port", "rail", "airport", "terminal"].filter {
            if case .ambiguous = directory.match($0) { return true } else { return false }
        }
        let text = try #require(candidates.first)
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/route?from=\(text)&to=Duisburg", method: .get) { response throws in
                #expect(response.status == .badRequest)
                #expect(try response.apiError().error.contains("from '\(text)' is ambiguous; it matches:"))
            }
        }
    }
}
