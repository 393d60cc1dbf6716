import Foundation
import Hummingbird
import NetworkData
import Reports
import Simulation
import Studies
import Testing
@testable import Workspace

@Suite("workspace: headroom jobs")
struct HeadroomEndpointTests {
    /// A short scenario of the built-in network (a headroom step is a year's warm-up and drain
    /// around its days, so a few days keep each step short).
    static let scenarioYAML = """
        scenario: headroom-web
        network: built-in
        demand: 2025
        engines: [simulate]
        days: 5
        seed: 1

        """

    /// The options of the small search the tests run: one seed, one bisection, one relief search.
    static let options = #""grow": ["corridor:landSea"], "criteria": ["on-time=0.85", "backlog=0.01"], "seeds": 1, "steps": 1, "reliefs": 1"#

    static func start(_ client: WorkspaceClient, _ body: String) async throws -> JobStatus {
        try await client.execute(uri: "/api/jobs/headroom", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: body)) { response throws in
            #expect(response.status == .accepted, "\(response.text)")
            #expect(response.headers[.location]?.hasPrefix("/api/jobs/") == true)
            return try response.decode(JobStatus.self)
        }
    }

    static func json(_ text: String) -> String {
        let data = try! JSONEncoder().encode(text)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aHeadroomJobGivesTheAnswerOfTheLibrarySearchAndRecordsItsSteps() async throws {
        let workspace = try TestWorkspace()
        // The answer `study headroom` computes on the same scenario and options.
        let folder = workspace.folder.appendingPathComponent("expected")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("headroom-web.yaml")
        try Data(Self.scenarioYAML.utf8).write(to: file)
        let networks = NetworkCache()
        let scenario = try ScenarioLoader { try? networks.network($0) }.load(file, shownAs: "headroom-web.yaml")
        let inputs = try scenario.inputs(grid: GridAssignment(), networks: networks)
        var request = HeadroomRequest()
        request.grow = ["corridor:landSea"]
        request.criteria = ["on-time=0.85", "backlog=0.01"]
        request.seeds = 1
        request.steps = 1
        var search = HeadroomSearch(network: inputs.network, lanes: inputs.lanes, disruptions: inputs.disruptions,
                                    options: inputs.simulation,
                                    growth: try request.growth(network: inputs.network, lanes: inputs.lanes, optionPrefix: ""),
                                    criteria: try request.criteriaParsed(optionPrefix: ""), seeds: 1, steps: 1, jobs: 1)
        search.reliefCount = 1
        let expected = HeadroomReport(answer: search.run(), year: 2025, seconds: 0)

        try await workspace.test { client in
            let started = try await Self.start(client, #"{"scenarioYAML": \#(Self.json(Self.scenarioYAML)), "name": "mine.yaml", \#(Self.options)}"#)
            #expect(started.kind == "headroom")
            #expect(started.runKeys == ["headroom-web[headroom]"])
            let (statuses, names) = try await JobEndpointTests.events(started.id, client)
            #expect(names.last == "event: end")
            #expect(statuses.map(\.progress) == statuses.map(\.progress).sorted())
            #expect(statuses.contains { $0.progress > 0 && $0.progress < 1 }, "\(statuses.map(\.progress))")
            let done = try #require(statuses.last)
            #expect(done.state == "succeeded", "\(done.message ?? "")")
            #expect(done.progress == 1)
            let answer = try #require(done.headroom)
            #expect(done.stepsDone == answer.steps.count + answer.reliefs.reduce(0) { $0 + $1.steps.count })
            // The same answer as the library's search: how far, what breaks first, every step.
            #expect(answer.limitFactor == expected.limitFactor)
            #expect(answer.failedFactor == expected.failedFactor)
            #expect(answer.firstToBind?.criterion == expected.firstToBind?.criterion)
            #expect(answer.firstToBind?.resource == expected.firstToBind?.resource)
            #expect(answer.steps.map(\.factor) == expected.steps.map(\.factor))
            #expect(answer.steps.map(\.held) == expected.steps.map(\.held))
            #expect(answer.steps.map(\.onTimeRate) == expected.steps.map(\.onTimeRate))
            #expect(answer.reliefs.map(\.limitFactor) == expected.reliefs.map(\.limitFactor))
            #expect(answer.grow == ["corridor:landSea"])
            #expect(answer.criteria.map(\.key) == ["on-time", "backlog"])
            #expect(answer.reliefs.count <= 1)
            // Recorded as `study headroom` records it: a row per step and seed, and the summary.
            let store = try ResultsStore(path: workspace.server.settings.databasePath, readOnly: true)
            let rows = try store.runs().filter { $0.run.runKey.hasPrefix(HeadroomStudy.keyPrefix("headroom-web")) }
            #expect(rows.count == answer.steps.count + 1)
            let summary = try #require(rows.first { $0.run.runKey == "headroom-web[headroom]" })
            #expect(summary.run.engines == "headroom")
            #expect(summary.kpis.first { $0.name == "headroom.limitFactor" }?.value == expected.limitFactor)
            // The upload is gone once the job has ended.
            let uploads = workspace.server.settings.uploadFolder
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
        }
    }

    @Test func aCancelledHeadroomJobRecordsNothing() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let started = try await Self.start(client, #"{"scenarioYAML": \#(Self.json(Self.scenarioYAML)), \#(Self.options)}"#)
            let asked = try await client.execute(uri: "/api/jobs/\(started.id)", method: .delete) { response throws in
                #expect(response.status == .accepted)
                return try response.decode(JobStatus.self)
            }
            #expect(asked.cancelRequested)
            let done = try await JobEndpointTests.finished(started.id, client)
            #expect(done.state == "cancelled", "\(done)")
            #expect(done.headroom == nil)
            #expect(done.progress < 1)
            let store = try ResultsStore(path: workspace.server.settings.databasePath, readOnly: true)
            #expect(try store.runs().filter { $0.run.runKey.hasPrefix("headroom-web[headroom") }.isEmpty)
        }
    }

    @Test func theTimeLimitStopsAHeadroomJob() async throws {
        let workspace = try TestWorkspace { $0.jobSeconds = 0.001 }
        try await workspace.test { client in
            let started = try await Self.start(client, #"{"scenarioYAML": \#(Self.json(Self.scenarioYAML)), \#(Self.options)}"#)
            let done = try await JobEndpointTests.finished(started.id, client)
            #expect(done.state == "timedOut", "\(done)")
            #expect(done.message?.contains("time limit") == true)
            #expect(done.headroom == nil)
            let store = try ResultsStore(path: workspace.server.settings.databasePath, readOnly: true)
            #expect(try store.runs().isEmpty)
        }
    }

    @Test func aShippedScenarioIsNamedWithoutItsText() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            // Started and cancelled at once: what matters is that the name was accepted.
            let started = try await Self.start(client, #"{"scenario": "laos-thailand-weekly", "seeds": 1, "steps": 1}"#)
            #expect(started.scenario == "laos-thailand-weekly")
            _ = try await client.execute(uri: "/api/jobs/\(started.id)", method: .delete) { _ in }
            _ = try await JobEndpointTests.finished(started.id, client)
        }
    }

    @Test(arguments: [
        (#"{"scenario": "laos-thailand-weekly", "seeds": 0}"#, "seeds 0: expected 1 to 100"),
        (#"{"scenario": "laos-thailand-weekly", "steps": 31}"#, "steps 31: expected 1 to 30"),
        (#"{"scenario": "laos-thailand-weekly", "reliefs": 11}"#, "reliefs 11: expected 0 to 10"),
        (#"{"scenario": "laos-thailand-weekly", "grow": ["corridor:moon"]}"#, "grow 'corridor:moon': unknown corridor 'moon'"),
        (#"{"scenario": "laos-thailand-weekly", "grow": ["lane:CNCKG"]}"#, "grow 'lane:CNCKG': expected lane:ORIGIN-DESTINATION"),
        (#"{"scenario": "laos-thailand-weekly", "grow": ["lane:Nowhereville-DEDUI"]}"#, "grow lane origin 'Nowhereville' is not a known place"),
        (#"{"scenario": "laos-thailand-weekly", "criteria": ["on-time=2"]}"#, "criterion on-time=2: out of range"),
        (#"{"scenario": "laos-thailand-weekly", "criteria": ["speed=3"]}"#, "criterion 'speed': unknown criterion"),
        (#"{"scenario": "laos-thailand-weekly", "criteria": ["backlog=0.1", "backlog=0.2"]}"#, "criterion gives the same key twice"),
        (#"{"scenario": "no-such-scenario"}"#, "scenario 'no-such-scenario': not a shipped scenario"),
        (#"{"seeds": 2}"#, "scenario: missing"),
        (#"{"scenario": "laos-thailand-weekly", "scenarioYAML": "scenario: x"}"#, "both given"),
        (#"{"scenario": "laos-thailand-weekly", "seeds": null}"#, "seeds: null"),
        (#"{"scenario": "laos-thailand-weekly", "seed": 3}"#, "seed: unknown field"),
        (#"{"scenario": "laos-thailand-weekly", "seeds": "three"}"#, "seeds: "),
        ("[1, 2", "the body is not the JSON of HeadroomParameters"),
    ])
    func badParametersAre400NamingTheField(body: String, message: String) async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/jobs/headroom", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: body)) { response throws in
                #expect(response.status == .badRequest, "\(response.text)")
                #expect(try response.apiError().error.contains(message), "\(response.text)")
            }
            // Nothing was started or left behind.
            let uploads = workspace.server.settings.uploadFolder
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
        }
    }

    @Test func aScenarioWithProblemsIs422WithItsFileAndLine() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let body = #"{"scenarioYAML": "scenario: bad one\ndays: 900\nnetwork: built-in\n", "name": "broken.yaml"}"#
            try await client.execute(uri: "/api/jobs/headroom", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: body)) { response throws in
                #expect(response.status == .unprocessableContent)
                let issues = try response.apiError().issues ?? []
                #expect(issues.contains { $0.hasPrefix("broken.yaml:2:") }, "\(issues)")
            }
        }
    }
}
