import Foundation
import Hummingbird
import NetworkData
import Reports
import Testing
import TestFixtures
@testable import Workspace

@Suite("workspace: plans and bills")
struct PlanEndpointTests {
    /// The header and the first `count` shipments of the example list.
    static func exampleCSV(first count: Int) throws -> String {
        let text = try String(contentsOf: repository.appendingPathComponent("examples/shipments-2027.csv"), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).prefix(count + 1).joined(separator: "\n") + "\n"
    }

    struct Created: Decodable {
        var id: String
        var plan: PlanReport
    }

    @Test func anUploadIsPlannedAndEachBillServedAsJSONAndHTML() async throws {
        let csv = try Self.exampleCSV(first: 4)
        let expectedIDs = try ShipmentList.parse(Data(csv.utf8), file: "x.csv", network: builtInNetwork).map(\.id.rawValue)
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let created = try await client.execute(uri: "/api/plans?name=shipments.csv", method: .post,
                                                   headers: [.contentType: "text/csv"], body: ByteBuffer(string: csv)) { response throws in
                #expect(response.status == .created)
                return try response.decode(Created.self)
            }
            #expect(created.plan.shipments.map(\.id) == expectedIDs)
            #expect(created.plan.shipments.allSatisfy { ["planned", "partial", "unmet"].contains($0.status) })
            let parts = created.plan.shipments.flatMap { entry in entry.routes.enumerated().map { (entry.id, $0.offset, $0.element.bill) } }
            #expect(!parts.isEmpty)
            for (shipment, part, reference) in parts {
                let reference = try #require(reference, "every route part names its bill")
                try await client.execute(uri: "/api/plans/\(created.id)/bills/\(shipment)?part=\(part)", method: .get) { response throws in
                    #expect(response.status == .ok)
                    let bill = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                    #expect(bill["transportDocumentReference"] as? String == reference)
                }
                try await client.execute(uri: "/api/plans/\(created.id)/bills/\(shipment)?part=\(part)&format=html", method: .get) { response throws in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                    #expect(response.text.contains(reference))
                }
            }
            try await client.execute(uri: "/api/plans/\(created.id)", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(try response.decode(PlanReport.self).shipments.map(\.id) == expectedIDs)
            }
        }
    }

    @Test func aMalformedListIs422WithTheUploadsFileAndLine() async throws {
        var lines = try Self.exampleCSV(first: 3).split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: "CNCKG", with: "XXNOPE")
        let csv = lines.joined(separator: "\n") + "\n"
        let cli = try #require(throws: InvalidInput.self) {
            try ShipmentList.parse(Data(csv.utf8), file: "mine.csv", network: builtInNetwork)
        }
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/plans?name=mine.csv", method: .post, body: ByteBuffer(string: csv)) { response throws in
                #expect(response.status == .unprocessableContent)
                let error = try response.apiError()
                #expect(error.issues == cli.issues.map(\.description))
                #expect(error.issues?.first?.hasPrefix("mine.csv:3:") == true, "\(error.issues ?? [])")
            }
        }
    }

    @Test(arguments: [
        ("objective=cheap", "objective 'cheap': expected one of cost, time, co2, balanced"),
        ("carbonPrice=-1", "carbon-price -1.0: expected 0 to 100000 USD per tonne"),
        ("mipGap=2", "mip-gap 2.0: expected a fraction from 0 to 1"),
        ("integer=yes", "integer 'yes': expected true or false"),
        ("name=..", "name '..': expected a file name"),
    ])
    func badOptionsAre400(parameters: String, message: String) async throws {
        let workspace = try TestWorkspace()
        let csv = try Self.exampleCSV(first: 1)
        try await workspace.test { client in
            try await client.execute(uri: "/api/plans?" + parameters, method: .post, body: ByteBuffer(string: csv)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try response.apiError().error.contains(message), "\(response.text)")
            }
        }
    }

    @Test(arguments: [Array("".utf8), Array("id,origin\n".utf8), [0xFF, 0xFE, 0x41, 0x0A]])
    func emptyOrBrokenListsAre422(csv: [UInt8]) async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/plans", method: .post, body: ByteBuffer(bytes: csv)) { response throws in
                #expect(response.status == .unprocessableContent)
                let error = try response.apiError()
                #expect(error.issues?.first?.hasPrefix("upload.csv:") == true, "\(response.text)")
            }
        }
    }

    @Test func unknownPlansAndBillsAre404() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/plans/nope", method: .get) { response throws in
                #expect(response.status == .notFound)
                #expect(try response.apiError().error.contains("no plan 'nope'"))
            }
            try await client.execute(uri: "/api/plans/nope/bills/X", method: .get) { response throws in
                #expect(response.status == .notFound)
            }
        }
    }
}
