import Foundation
import Testing
import TestFixtures

/// The one-service network and its lane in a scratch folder, for cheap end-to-end runs.
struct SingleServiceFixture {
    let folder: URL
    var network: String { folder.appendingPathComponent("network.yaml").path }
    var demand: String { folder.appendingPathComponent("demand.csv").path }

    init(teuPerYear: Double = 1_825) throws {
        folder = try temporaryFolder("headroom")
        try Data(singleServiceNetwork().utf8).write(to: folder.appendingPathComponent("network.yaml"))
        try Data(singleServiceDemandCSV(teuPerYear: teuPerYear).utf8).write(to: folder.appendingPathComponent("demand.csv"))
    }
}

@Suite("simulate --replications and --headroom, study headroom", .serialized)
struct HeadroomCommandTests {
    @Test(arguments: [
        (["simulate", "--replications", "1"], "--replications 1: expected 2 to 1000"),
        (["simulate", "--replications", "3", "--jobs", "0"], "--jobs 0: expected 1 to 256"),
        (["simulate", "--headroom", "--jobs", "0"], "--jobs 0: expected 1 to 256"),
        (["simulate", "--headroom", "--grow", "corridor:nonsense"], "unknown corridor 'nonsense'"),
        (["simulate", "--headroom", "--grow", "lane:CNCKG"], "expected lane:ORIGIN-DESTINATION"),
        (["simulate", "--headroom", "--criterion", "foo=1"], "--criterion 'foo': unknown criterion"),
        (["simulate", "--headroom", "--criterion", "on-time=1.5"], "out of range"),
        (["simulate", "--headroom", "--seeds", "0"], "--seeds 0: expected 1 to 100"),
        (["simulate", "--grow", "all"], "--grow needs --headroom"),
        (["simulate", "--headroom", "--replications", "2"], "cannot be combined"),
        (["simulate", "--days", "7", "--headroom", "--grow", "lane:Nowhereville-DEDUI"], "is not a known place"),
        (["study", "headroom", "x.yaml", "--criterion", "foo=1"], "unknown criterion"),
        (["simulate", "--headroom", "--reliefs", "11"], "--reliefs 11: expected 0 to 10"),
        (["study", "headroom", "x.yaml", "--reliefs=-1"], "--reliefs -1: expected 0 to 10"),
        (["study", "run", "x.yaml", "--replications", "1"], "--replications 1: expected 2 to 1000"),
    ])
    func badFlagsExitTwoWithAMessage(arguments: [String], message: String) throws {
        let run = try ToolRun(arguments)
        #expect(run.status == 2 && !run.crashed, "\(arguments): exit \(run.status)")
        #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
    }

    @Test func aCorridorWithoutDemandIsRejected() throws {
        let fixture = try SingleServiceFixture()
        let run = try ToolRun(["simulate", "--network", fixture.network, "--demand", fixture.demand, "--days", "7", "--headroom",
                               "--grow", "corridor:air"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--grow corridor:air: no demand lane"), "\(run.stderr)")
    }

    @Test func replicationsReportMeansAndIntervalsInTheContract() throws {
        let fixture = try SingleServiceFixture(teuPerYear: 3_000)
        let run = try ToolRun(["simulate", "--network", fixture.network, "--demand", fixture.demand, "--days", "60", "--seed", "4",
                               "--replications", "4", "--jobs", "2", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(schemaErrors(run.stdout, schema: "simulate.schema.json") == [])
        let json = try run.json()
        let replications = try #require(json["replications"] as? [String: Any])
        #expect(replications["seeds"] as? [Int] == [4, 5, 6, 7])
        let kpis = try #require(replications["kpis"] as? [String: [String: Any]])
        let arrived = try #require(kpis["shipmentsArrived"])
        let mean = try #require(arrived["mean"] as? Double), low = try #require(arrived["low"] as? Double)
        let high = try #require(arrived["high"] as? Double)
        #expect(low < mean && mean < high, "Poisson arrivals differ between seeds: \(arrived)")
        // About 3,000 × 60/365 = 493 one-TEU shipments; the interval covers it.
        #expect(low < 493 && 493 < high || abs(mean - 493) < 60, "\(arrived)")
        let top = try #require(json["kpis"] as? [String: Double])
        #expect(abs((top["shipmentsArrived"] ?? 0) - mean) < 0.01, "the top-level kpis hold the means")

        let table = try ToolRun(["simulate", "--network", fixture.network, "--demand", fixture.demand, "--days", "30",
                                 "--replications", "2"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("2 replications (seeds 1–2)") && table.stdout.contains("95 % interval"), "\(table.stdout)")
    }

    /// Capacity 3,650 TEU a year over 1,825 of demand: the limit is near 2 (see HeadroomTests).
    @Test func headroomFindsTheLimitOfTheOnlyServiceAndValidates() throws {
        let fixture = try SingleServiceFixture()
        let run = try ToolRun(["simulate", "--network", fixture.network, "--demand", fixture.demand, "--headroom",
                               "--criterion", "backlog=0.02", "--seeds", "2", "--steps", "4", "--jobs", "2", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(schemaErrors(run.stdout, schema: "headroom.schema.json") == [])
        let json = try run.json()
        let limit = try #require(json["limitFactor"] as? Double), failed = try #require(json["failedFactor"] as? Double)
        #expect(limit < failed && limit > 1.8 && failed < 2.3, "limit \(limit), failed \(failed)")
        let binding = try #require(json["firstToBind"] as? [String: Any])
        #expect(binding["criterion"] as? String == "backlog")
        #expect((binding["resource"] as? String)?.contains("S1") == true, "\(binding)")
        let reliefs = try #require(json["reliefs"] as? [[String: Any]])
        #expect(reliefs.first?["resource"] as? String == "service S1")
        #expect(run.stderr.contains("headroom: factor 1.0000 (bracket)"), "progress lines on stderr")
    }

    @Test func studyHeadroomStoresEveryStepAndChartsIt() throws {
        let fixture = try SingleServiceFixture()
        let scenario = fixture.folder.appendingPathComponent("one.yaml")
        try Data("scenario: one-service\nnetwork: network.yaml\ndemand: demand.csv\ndays: 365\n".utf8).write(to: scenario)
        let db = fixture.folder.appendingPathComponent("r.sqlite").path
        let run = try ToolRun(["study", "headroom", scenario.path, "--db", db, "--criterion", "backlog=0.02", "--seeds", "2",
                               "--steps", "3", "--jobs", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Largest demand factor that holds"), "\(run.stdout)")
        let report = try ToolRun(["study", "report", "--db", db, "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(schemaErrors(report.stdout, schema: "study-report.schema.json") == [])
        let runs = try #require(try report.json()["runs"] as? [[String: Any]])
        let steps = runs.filter { ($0["runKey"] as? String)?.contains(",step=") == true }
        #expect(steps.count >= 8 && steps.count % 2 == 0, "every step × 2 seeds: \(steps.count)")
        for step in steps {
            let kpis = try #require(step["kpis"] as? [String: Double])
            #expect(kpis["headroom.factor"] != nil && kpis["headroom.held"] != nil && kpis["simulate.onTimeRate"] != nil)
        }
        let summary = try #require(runs.first { $0["runKey"] as? String == "one-service[headroom]" })
        let limit = try #require((summary["kpis"] as? [String: Double])?["headroom.limitFactor"])
        let heldFactors = steps.compactMap { s -> Double? in
            let k = s["kpis"] as? [String: Double]
            return k?["headroom.held"] == 1 ? k?["headroom.factor"] : nil
        }
        #expect(heldFactors.max() == limit)
        let html = try ToolRun(["study", "report", "--db", db, "--format", "html"])
        #expect(html.stdout.contains("Service level against demand") && html.stdout.contains("<circle"), "the headroom chart")
        // A second search replaces the first one's rows instead of adding to them.
        let again = try ToolRun(["study", "headroom", scenario.path, "--db", db, "--criterion", "backlog=0.02", "--seeds", "2",
                                 "--steps", "3", "--jobs", "2"])
        #expect(again.status == 0)
        let runsAgain = try #require(try ToolRun(["study", "report", "--db", db, "--format", "json"]).json()["runs"] as? [[String: Any]])
        #expect(runsAgain.count == runs.count)
    }

    /// Two scenarios on the same seeds: the report pairs them seed by seed.
    @Test func studyReplicationsGiveIntervalsOnPairedDeltas() throws {
        let fixture = try SingleServiceFixture(teuPerYear: 3_000)
        let source = "\"estimate: a test scenario\""
        try Data("scenario: baseline\nnetwork: network.yaml\ndemand: demand.csv\ndays: 60\n".utf8)
            .write(to: fixture.folder.appendingPathComponent("baseline.yaml"))
        try Data("scenario: more\nnetwork: network.yaml\ndemand: demand.csv\ndays: 60\nedits:\n  - growDemand: {}\n    factor: 1.5\n    source: \(source)\n".utf8)
            .write(to: fixture.folder.appendingPathComponent("more.yaml"))
        let db = fixture.folder.appendingPathComponent("r.sqlite").path
        let run = try ToolRun(["study", fixture.folder.appendingPathComponent("baseline.yaml").path,
                               fixture.folder.appendingPathComponent("more.yaml").path, "--replications", "3", "--db", db, "--jobs", "2",
                               "--progress", "none"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("6 runs"), "\(run.stdout)")
        let report = try ToolRun(["study", "report", "--db", db, "--format", "json"])
        #expect(schemaErrors(report.stdout, schema: "study-report.schema.json") == [])
        let groups = try #require(try report.json()["replicated"] as? [[String: Any]])
        let more = try #require(groups.first { $0["scenario"] as? String == "more" })
        #expect(more["pairedSeeds"] as? [Int] == [1, 2, 3])
        let delta = try #require((more["deltas"] as? [String: [String: Any]])?["simulate.shipmentsArrived"])
        let mean = try #require(delta["mean"] as? Double), low = try #require(delta["low"] as? Double)
        // 1.5 × the demand: about +247 shipments in 60 days; the paired interval excludes 0.
        #expect(low > 0 && mean > 150 && mean < 350, "\(delta)")
        let table = try ToolRun(["study", "report", "--db", db])
        #expect(table.stdout.contains("Replications: mean ± 95 % half-width"), "\(table.stdout)")
    }
}
