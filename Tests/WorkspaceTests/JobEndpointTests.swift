import Foundation
import Hummingbird
import Reports
import Simulation
import Studies
import Testing
@testable import Workspace

@Suite("workspace: simulation jobs and studies")
struct JobEndpointTests {
    /// Polls the job until it has finished, failing the test after `seconds`.
    static func finished(_ id: String, _ client: WorkspaceClient, seconds: Double = 300) async throws -> JobStatus {
        // The status is asked once more after the deadline: under load the test's task may get a
        // thread back only long after its sleep ended.
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let status = try await client.execute(uri: "/api/jobs/\(id)", method: .get) { try $0.decode(JobStatus.self) }
            if status.isFinished { return status }
            guard Date() < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func start(_ client: WorkspaceClient, _ parameters: String) async throws -> JobStatus {
        try await client.execute(uri: "/api/jobs/simulate", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: parameters)) { response throws in
            #expect(response.status == .accepted, "\(response.text)")
            return try response.decode(JobStatus.self)
        }
    }

    @Test func aJobIsRecordedInTheResultsDatabaseThatStudyReportReads() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let started = try await Self.start(client, #"{"scenario": "web-test", "year": 2025, "days": 3, "seed": 7}"#)
            #expect(started.runKeys == ["web-test"])
            let done = try await Self.finished(started.id, client)
            #expect(done.state == "succeeded", "\(done.message ?? "")")
            #expect(done.progress == 1)
            // The scenario as sent is gone once its job has ended.
            let uploads = workspace.server.settings.uploadFolder
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
            // The database is the one `study report` reads: the run is there with its seed.
            let store = try ResultsStore(path: workspace.server.settings.databasePath, readOnly: true)
            let run = try #require(try store.runs().first { $0.run.runKey == "web-test" })
            #expect(run.run.seed == 7)
            #expect(run.run.status == .succeeded)
            #expect(!run.kpis.isEmpty)
            try await client.execute(uri: "/api/studies", method: .get) { response throws in
                #expect(response.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                let runs = try #require(json["runs"] as? [[String: Any]])
                #expect(runs.compactMap { $0["runKey"] as? String } == ["web-test"])
            }
            let expected = try StudyComparison(store: store, baseline: nil).report(database: "results.sqlite")
            try await client.execute(uri: "/api/studies/report", method: .get) { response throws in
                #expect(response.status == .ok)
                let report = try response.decode(StudyReport.self)
                #expect(report.runs.map(\.runKey) == expected.runs.map(\.runKey))
                #expect(report.runs.first?.kpis == expected.runs.first?.kpis)
            }
            try await client.execute(uri: "/api/studies/report?baseline=nothing", method: .get) { response throws in
                #expect(response.status == .badRequest)
                #expect(try response.apiError().error.contains("baseline 'nothing': no succeeded run"))
            }
        }
    }

    @Test func eventsReportProgressUpToTheEnd() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let started = try await Self.start(client, #"{"scenario": "web-events", "days": 2, "replications": 2}"#)
            #expect(started.runKeys.count == 2)
            // The stream ends when the job does; its body holds every event.
            let (statuses, names) = try await Self.events(started.id, client)
            #expect(names.last == "event: end")
            #expect(statuses.map(\.progress) == statuses.map(\.progress).sorted())
            #expect(statuses.last?.state == "succeeded")
            #expect(statuses.last?.progress == 1)
        }
    }

    @Test func aCancelledJobStartsNoNewRun() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let started = try await Self.start(client, #"{"scenario": "web-cancel", "days": 20, "replications": 4}"#)
            let asked = try await client.execute(uri: "/api/jobs/\(started.id)", method: .delete) { response throws in
                #expect(response.status == .accepted)
                return try response.decode(JobStatus.self)
            }
            // The cancel is in place once its answer has come back.
            let cancelledAt = Date()
            let done = try await Self.finished(started.id, client)
            if !asked.isFinished {
                #expect(asked.cancelRequested)
                #expect((done.state == "cancelled") == (done.runsDone < 4))
                // No run started after the cancel: every run the database holds began before it (a run
                // in flight then is stopped or finishes; a run never started has no row). The status's
                // `runsDone` cannot bound this: runs ended are published to it asynchronously, so under
                // load it may lag the job thread by a run or two.
                let store = try ResultsStore(path: workspace.server.settings.databasePath, readOnly: true)
                let rows = try store.runs().map(\.run)
                let late = rows.filter { $0.startedAt > cancelledAt.addingTimeInterval(0.001) }
                #expect(late.isEmpty, "runs started after the cancel: \(late.map(\.runKey))")
            }
        }
    }

    /// The statuses of a job's server-sent events, read to the end of the stream.
    static func events(_ id: String, _ client: WorkspaceClient) async throws -> (statuses: [JobStatus], names: [String]) {
        let text = try await client.execute(uri: "/api/jobs/\(id)/events", method: .get) { response throws in
            #expect(response.headers[.contentType] == "text/event-stream")
            return response.text
        }
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        let statuses = try events.map { event -> JobStatus in
            let data = try #require(event.split(separator: "\n").first { $0.hasPrefix("data: ") }?.dropFirst(6))
            return try JSONDecoder().decode(JobStatus.self, from: Data(data.utf8))
        }
        return (statuses, events.map { String($0.prefix { $0 != "\n" }) })
    }

    @Test func aOneRunJobReportsProgressInsideItsRun() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            let started = try await Self.start(client, #"{"scenario": "web-fine", "year": 2025, "days": 120}"#)
            #expect(started.runsTotal == 1)
            let (statuses, names) = try await Self.events(started.id, client)
            // Before the one run ended, the bar moved: progress strictly between 0 and 1 with no run done.
            let inside = statuses.filter { $0.runsDone == 0 && $0.progress > 0 && $0.progress < 1 }
            #expect(!inside.isEmpty, "\(statuses.map(\.progress))")
            #expect(statuses.map(\.progress) == statuses.map(\.progress).sorted())
            #expect(names.last == "event: end")
            #expect(statuses.last?.state == "succeeded")
            #expect(statuses.last?.progress == 1)
        }
    }

    @Test func aCancelStopsTheOneRunInFlightAndRecordsNoSuccess() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            // The cancel must reach the run while it simulates: wait (with a deadline) until the
            // job reports progress, then cancel. A run that ends before the cancel reaches it (a
            // loaded machine can delay the test's polls) is not a failure of the cancel; another
            // job with a new seed is tried, up to 5.
            var caught: (key: String, done: JobStatus)?
            for attempt in 1...5 where caught == nil {
                let key = "web-stop-\(attempt)"
                let started = try await Self.start(client, #"{"scenario": "\#(key)", "year": 2025, "days": 120, "seed": \#(attempt)}"#)
                let deadline = Date().addingTimeInterval(300)
                var status = started
                while status.progress == 0 && !status.isFinished && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                    status = try await client.execute(uri: "/api/jobs/\(started.id)", method: .get) { try $0.decode(JobStatus.self) }
                }
                guard !status.isFinished else { continue }
                _ = try await client.execute(uri: "/api/jobs/\(started.id)", method: .delete) { response throws in
                    #expect(response.status == .accepted)
                }
                let done = try await Self.finished(started.id, client)
                if done.state == "cancelled" { caught = (key, done) } else { #expect(done.state == "succeeded", "\(done)") }
            }
            let (key, done) = try #require(caught, "no run was caught in flight in 5 jobs")
            #expect(done.runsDone == 0)
            #expect(done.progress < 1)
            #expect(done.message?.contains("\(key): cancelled at simulated day") == true, "\(done.message ?? "")")
            // The database holds no succeeded row for it: the run is recorded as failed, stopped part way.
            let store = try ResultsStore(path: workspace.server.settings.databasePath, readOnly: true)
            let rows = try store.runs().map(\.run).filter { $0.runKey == key }
            #expect(rows.count == 1)
            #expect(!rows.contains { $0.status == .succeeded })
            let row = try #require(rows.first)
            let error = try #require(row.error)
            let numbers = error.split { !$0.isNumber }.compactMap { Int($0) }
            #expect(error.hasPrefix("cancelled at simulated day"), "\(error)")
            // Days simulated against the run's days in all (warm-up + 120 + 120 of drain).
            let total = SimulationOptions().warmUpDays + 120 + 120
            #expect(numbers.count == 2 && numbers[1] == total && numbers[0] < total, "\(error)")
        }
    }

    @Test func theTimeLimitStopsAJob() async throws {
        let workspace = try TestWorkspace { $0.jobSeconds = 0.001 }
        try await workspace.test { client in
            let started = try await Self.start(client, #"{"scenario": "web-slow", "days": 5, "replications": 3}"#)
            let done = try await Self.finished(started.id, client)
            #expect(done.state == "timedOut")
            #expect(done.runsDone < 3)
            #expect(done.message?.contains("time limit") == true)
        }
    }

    @Test func aScenarioWithProblemsIs422WithTheUploadsFileAndLine() async throws {
        let yaml = "scenario: bad one\ndays: 900\nnetwork: built-in\n"
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/jobs/simulate?name=my.yaml", method: .post, headers: [.contentType: "application/yaml"],
                                     body: ByteBuffer(string: yaml)) { response throws in
                #expect(response.status == .unprocessableContent)
                let issues = try response.apiError().issues ?? []
                #expect(issues.contains { $0.hasPrefix("my.yaml:1:") }, "\(issues)")
                #expect(issues.contains { $0.hasPrefix("my.yaml:2:") }, "\(issues)")
            }
        }
    }

    @Test func aScenarioThatNamesFilesIsRefusedBeforeAnyIsRead() async throws {
        let yaml = "scenario: sneaky\nnetwork: /etc/passwd\ndemand: ../../secret.csv\n"
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/jobs/simulate", method: .post, body: ByteBuffer(string: yaml)) { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(try response.apiError().error.contains("names files"), "\(response.text)")
            }
        }
    }

    @Test(arguments: [
        (#"{"days": 0}"#, "days 0: expected 1 to 366"),
        (#"{"year": 2030}"#, "year 2030: expected 2025 or 2027"),
        (#"{"scenario": "a b"}"#, "scenario 'a b': expected 1 to 80 letters"),
        (#"{"replications": 50}"#, "replications 50: expected 1 to 20"),
        (#"{"days": "many"}"#, "days: "),
        (#"{"replications": null}"#, "replications: null"),
        ("[1, 2", "the body is not the JSON of SimulateParameters"),
    ])
    func badParametersAre400(body: String, message: String) async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            try await client.execute(uri: "/api/jobs/simulate", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: body)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try response.apiError().error.contains(message), "\(response.text)")
            }
        }
    }

    @Test func unknownJobsAre404() async throws {
        let workspace = try TestWorkspace()
        try await workspace.test { client in
            for (uri, method) in [("/api/jobs/nope", HTTPRequest.Method.get), ("/api/jobs/nope", .delete), ("/api/jobs/nope/events", .get)] {
                try await client.execute(uri: uri, method: method) { response throws in
                    #expect(response.status == .notFound)
                    #expect(try response.apiError().error.contains("no job 'nope'"))
                }
            }
        }
    }
}
