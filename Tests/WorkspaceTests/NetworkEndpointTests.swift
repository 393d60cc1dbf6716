import Foundation
import Hummingbird
import NetworkData
import Testing
import TestFixtures
@testable import Workspace

@Suite("workspace: places and the network")
struct NetworkEndpointTests {
    @Test func placesResolveChineseAndEnglishNamesAsTheCommandLineDoes() async throws {
        let workspace = try TestWorkspace()
        let directory = PlaceDirectory(network: builtInNetwork)
        try await workspace.test { client in
            for text in ["重庆", "Chongqing", "CKG", "Duisburg"] {
                try await client.execute(uri: "/api/places?" + query(["query": text]), method: .get) { response throws in
                    #expect(response.status == .ok)
                    let answer = try response.decode(PlaceLookup.self)
                    guard case .found(let place) = directory.match(text) else {
                        Issue.record("the directory does not find \(text)")
                        return
                    }
                    #expect(answer.status == "found")
                    #expect(answer.places.map(\.code) == [place.code.rawValue])
                    #expect(answer.places.first?.nameZh == place.nameZh)
                }
            }
        }
    }

    @Test func anUnknownPlaceOffersTheClosestNames() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/places?query=Chongqinq", method: .get) { response throws in
                #expect(response.status == .ok)
                let answer = try response.decode(PlaceLookup.self)
                #expect(answer.status == "unknown")
                #expect(answer.places.contains { $0.name == "Chongqing" })
            }
        }
    }

    @Test(arguments: [
        ("/api/places", "query: missing"),
        ("/api/places?query=", "query: empty"),
        ("/api/places?query=x&form=y", "unknown parameter 'form'"),
        ("/api/places?query=a&query=b", "parameter 'query' is given twice"),
        ("/api/places?query=%E9%87", "is not valid percent-encoded UTF-8"),
        ("/api/nothing-here", "no such resource: GET /api/nothing-here"),
    ])
    func badRequestsGetJSONErrors(uri: String, message: String) async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: uri, method: .get) { response throws in
                #expect((400..<500).contains(response.status.code))
                let error = try response.apiError()
                #expect(error.error.contains(message), "\(error.error)")
            }
        }
    }

    @Test func aMethodAPathDoesNotTakeIs405WithAllow() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            for (uri, method, allow) in [("/api/studies", HTTPRequest.Method.put, "GET, POST"), ("/api/jobs/abc", .put, "GET, DELETE"),
                                         ("/api/plans", .get, "POST"),
                                         ("/api/jobs/simulate", .options, "POST")] {
                try await client.execute(uri: uri, method: method) { response throws in
                    #expect(response.status == .methodNotAllowed)
                    #expect(response.headers[.allow] == allow)
                    #expect(try response.apiError().error.contains("is not allowed on \(uri)"))
                }
            }
        }
    }

    @Test func theNetworkIsGeoJSONWithEveryPlaceAndService() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/network.geojson", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/geo+json")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect(json["type"] as? String == "FeatureCollection")
                let features = try #require(json["features"] as? [[String: Any]])
                let kinds = features.compactMap { ($0["properties"] as? [String: Any])?["featureType"] as? String }
                #expect(kinds.filter { $0 == "place" }.count == builtInNetwork.places.count)
                #expect(kinds.filter { $0 == "service" }.count == builtInNetwork.services.count)
            }
        }
    }
}
