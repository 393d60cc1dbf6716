import Foundation
import Hummingbird
import Reports
import Studies
import Testing
@testable import Workspace

@Suite("workspace: a study from several scenario files")
struct StudyEndpointTests {
    static func scenario(_ name: String, days: Int = 2, seed: Int = 1) -> String {
        "scenario: \(name)\nnetwork: built-in\ndemand: 2025\nengines: [simulate]\ndays: \(days)\nseed: \(seed)\n"
    }

    /// The body of `POST /api/studies` for `files` (name, YAML).
    static func body(_ files: [(String, String)], replications: Int? = nil) throws -> String {
        var object: [String: Any] = ["scenarios": files.map { ["name": $0.0, "yaml": $0.1] }]
        if let replications { object["replications"] = replications }
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func post(_ client: WorkspaceClient, _ body: String) async throws -> WorkspaceReply {
        try await client.execute(uri: "/api/studies", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: body))
    }

    @Test func severalFilesRunAsOneJobIntoTheResultsDatabase() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let body = try Self.body([("b.yaml", Self.scenario("study-b", seed: 4)), ("a.yaml", Self.scenario("study-a"))], replications: 2)
            let response = try await Self.post(client, body)
            #expect(response.status == .accepted, "\(response.text)")
            let started = try response.decode(JobStatus.self)
            // The runs of `study run a.yaml b.yaml --grid seed=1,2`: scenarios by name, then seeds.
            #expect(started.runKeys == ["study-a[seed=1]", "study-a[seed=2]", "study-b[seed=1]", "study-b[seed=2]"])
            #expect(started.scenario == "study-a, study-b")
            let done = try await JobEndpointTests.finished(started.id, client)
            #expect(done.state == "succeeded", "\(done.message ?? "")")
            #expect(done.runsDone == 4)
            let store = try ResultsStore(path: workspace.server.settings.databasePath, readOnly: true)
            let rows = try store.runs().map(\.run)
            #expect(Set(rows.map(\.runKey)) == Set(started.runKeys))
            #expect(rows.allSatisfy { $0.status == .succeeded })
            #expect(Set(rows.map(\.scenario)) == ["study-a", "study-b"])
            let uploads = workspace.server.settings.uploadFolder
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
        }
    }

    @Test func eachFilesProblemsCarryItsOwnNameAndNothingStarts() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let bad = "scenario: bad one\ndays: 900\nnetwork: built-in\n"
            let sneaky = "scenario: sneaky\nnetwork: /etc/passwd\n"
            let body = try Self.body([("good.yaml", Self.scenario("fine")), ("broken.yaml", bad), ("sneaky.yaml", sneaky)])
            let response = try await Self.post(client, body)
            #expect(response.status == .unprocessableContent)
            let error = try response.apiError()
            #expect(error.error.contains("2 of 3 scenario files are invalid: broken.yaml, sneaky.yaml"), "\(error.error)")
            let issues = error.issues ?? []
            #expect(issues.contains { $0.hasPrefix("broken.yaml:2:") }, "\(issues)")
            #expect(issues.contains { $0.hasPrefix("sneaky.yaml") }, "\(issues)")
            #expect(!issues.contains { $0.hasPrefix("good.yaml") }, "\(issues)")
            // Nothing ran and nothing was left in the upload folder.
            let store = try ResultsStore(path: workspace.server.settings.databasePath, readOnly: true)
            #expect(try store.runs().isEmpty)
            let uploads = workspace.server.settings.uploadFolder
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
        }
    }

    @Test func twoFilesOfOneScenarioNameAre422() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let response = try await Self.post(client, try Self.body([("one.yaml", Self.scenario("same")), ("two.yaml", Self.scenario("same"))]))
            #expect(response.status == .unprocessableContent)
            #expect(try response.apiError().error.contains("scenario name 'same' is used by one.yaml and two.yaml"), "\(response.text)")
        }
    }

    @Test(arguments: [
        (#"{"scenarios": []}"#, "scenarios: 0 files; expected 1 to 20"),
        (#"{"scenarios": [{"name": "a.yaml", "yaml": "x"}], "replications": 0}"#, "replications 0: expected 1 to 20"),
        (#"{"scenarios": [{"name": "a.yaml", "yaml": "x"}, {"name": "b.yaml", "yaml": "x"}], "replications": 11}"#, "2 × 11 = 22 runs; expected at most 20"),
        (#"{"scenarios": [{"name": "a.yaml", "yaml": "x"}, {"name": "a.yaml", "yaml": "y"}]}"#, "scenarios[1].name 'a.yaml': also the name of scenarios[0]"),
        (#"{"scenarios": [{"name": "", "yaml": "x"}]}"#, "scenarios[0].name '': expected a file name"),
        (#"{"scenarios": [{"name": "a.yaml"}]}"#, "scenarios.Index 0: "),
        (#"{"scenarios": [{"name": "a.yaml", "yaml": "x", "seed": 2}]}"#, "seed: unknown field"),
        (#"{"scenarios": [{"name": "a.yaml", "yaml": "x"}], "replications": null}"#, "replications: null"),
        (#"{"files": []}"#, "files: unknown field"),
        ("[1, 2", "the body is not the JSON of StudyParameters"),
    ])
    func badRequestsAre400NamingTheField(body: String, message: String) async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let response = try await Self.post(client, body)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(try response.apiError().error.contains(message), "\(response.text)")
        }
    }

    @Test func tooManyFilesAre400() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let files = (0..<21).map { ("s\($0).yaml", Self.scenario("s\($0)")) }
            let response = try await Self.post(client, try Self.body(files))
            #expect(response.status == .badRequest)
            #expect(try response.apiError().error.contains("scenarios: 21 files; expected 1 to 20"))
        }
    }
}
