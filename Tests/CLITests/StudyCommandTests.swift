import Foundation
import Testing

/// A small study in a scratch folder: a demand table of a few lanes of the 2025 table and
/// scenarios that differ by edits, so every run takes a fraction of a second.
struct StudyFixture {
    let folder: URL
    let scenarios: [String]

    init(days: Int = 60) throws {
        let folder = try temporaryFolder("study")
        self.folder = folder
        let demand = try String(contentsOf: ToolRun.repository.appendingPathComponent("networks/demand-2025.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let lanes = demand.enumerated().filter { $0.offset == 0 || [1, 20, 40, 60, 80].contains($0.offset) }.map(\.element)
        try Data((lanes.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("demand.csv"))
        let source = "\"estimate: a test scenario, not a real figure\""
        let files = [
            "base.yaml": "scenario: base\ndemand: demand.csv\ndays: \(days)\n",
            "no-suez.yaml": "scenario: no-suez\ndemand: demand.csv\ndays: \(days)\nedits:\n  - close: {servicesMatching: SUEZ}\n    source: \(source)\n",
            "more-trains.yaml": "scenario: more-trains\ndemand: demand.csv\ndays: \(days)\nedits:\n  - scale: {corridor: chinaEurope}\n    frequency: 2\n    source: \(source)\n  - growDemand: {}\n    factor: 1.5\n    source: \(source)\n",
        ]
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        scenarios = files.keys.sorted().map { folder.appendingPathComponent($0).path }
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The report as CSV rows (header dropped), which hold no timings: equal studies give equal rows.
    func reportRows(_ database: String) throws -> [String] {
        let report = try ToolRun(["study", "report", "--db", database, "--format", "csv"])
        #expect(report.status == 0, "\(report.stderr)")
        return report.stdout.split(separator: "\n").dropFirst().map(String.init)
    }
}

@Suite("study: scenarios, resume, shards", .serialized)
struct StudyCommandTests {
    @Test func runsReportsAndWritesHTML() throws {
        let fixture = try StudyFixture(days: 30)
        let database = fixture.path("r.sqlite")
        let run = try ToolRun(["study"] + fixture.scenarios + ["--db", database, "--jobs", "2", "--progress", "lines"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("3 runs: 3 succeeded, 0 failed, 0 already done"))
        #expect(run.stderr.contains("[3/3]"), "progress lines: \(run.stderr)")

        let html = fixture.path("report.html")
        let report = try ToolRun(["study", "report", "--db", database, "--baseline", "base", "--html", html])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("baseline base"))
        for name in ["base", "no-suez", "more-trains"] { #expect(report.stdout.contains("\n\(name) ")) }
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("China-Europe trains per year") && page.contains("more-trains"))

        // Doubling China-Europe frequency with 1.5× demand runs more trains than the base.
        let rows = try fixture.reportRows(database)
        func value(_ run: String, _ kpi: String) -> Double? {
            rows.first { $0.hasPrefix("\(run),") && $0.contains(",\(kpi),") }
                .flatMap { Double($0.split(separator: ",", omittingEmptySubsequences: false)[5]) }
        }
        let base = try #require(value("base", "simulate.deliveredTEU"))
        let grown = try #require(value("more-trains", "simulate.deliveredTEU"))
        #expect(grown > base * 1.2)

        // Rerunning does nothing: every run is already done with the same inputs.
        let again = try ToolRun(["study"] + fixture.scenarios + ["--db", database, "--progress", "none"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("3 runs: 0 succeeded, 0 failed, 3 already done"))
        #expect(try fixture.reportRows(database) == rows)
    }

    /// A FIFO as `--db` for `study report` and as a shard for `study merge` hung forever; a
    /// corrupt shard made `merge` exit 1 (issue #14). Both are bad input: exit 2 naming the file.
    @Test func aFIFOOrACorruptShardIsRefusedWithExitTwo() throws {
        let folder = try temporaryFolder("hostile-db")
        let fifo = folder.appendingPathComponent("pipe.sqlite")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        let report = try ToolRun(["study", "report", "--db", fifo.path])
        #expect(report.status == 2 && report.stderr.contains("is a FIFO") && report.stderr.contains(fifo.path), "\(report.stderr)")
        let merge = try ToolRun(["study", "merge", folder.appendingPathComponent("out.sqlite").path, fifo.path])
        #expect(merge.status == 2 && merge.stderr.contains("is a FIFO"), "\(merge.status): \(merge.stderr)")
        let corrupt = folder.appendingPathComponent("corrupt.sqlite")
        try Data("SQLite format 3\u{0}".utf8 + Array(repeating: UInt8(0xA5), count: 4096)).write(to: corrupt)
        let bad = try ToolRun(["study", "merge", folder.appendingPathComponent("out2.sqlite").path, corrupt.path])
        #expect(bad.status == 2 && bad.stderr.contains(corrupt.path), "\(bad.status): \(bad.stderr)")
    }

    /// Three `--grid` flags making 36.6 million runs took > 4.9 GB with no output after 60 s,
    /// even with --dry-run; `--grid days=0x10` was taken as 16 (issue #14). Both exit 2 at once.
    @Test func aGridOfMillionsOfRunsOrHexValuesIsRefused() throws {
        let fixture = try StudyFixture()
        let seeds = "seed=" + (1...1000).map(String.init).joined(separator: ",")
        let days = "days=" + (1...200).map(String.init).joined(separator: ",")
        let huge = try ToolRun(["study", "run", fixture.scenarios[0], "--db", fixture.path("g.sqlite"), "--dry-run",
                                "--grid", seeds, "--grid", days])
        #expect(huge.status == 2 && huge.stderr.contains("more than 100000 runs"), "\(huge.status): \(huge.stderr.prefix(300))")
        let hex = try ToolRun(["study", "run", fixture.scenarios[0], "--db", fixture.path("h.sqlite"), "--dry-run", "--grid", "days=0x10"])
        #expect(hex.status == 2 && hex.stderr.contains("--grid days"), "\(hex.status): \(hex.stderr)")
    }

    /// `study --dry-run` on scenarios whose demand or disruption files are missing passed (issue #14).
    @Test func aDryRunNamesTheFilesAScenarioLacks() throws {
        let fixture = try StudyFixture()
        let scenario = fixture.path("lacking.yaml")
        try Data("scenario: lacking\ndemand: gone.csv\ndays: 5\nedits:\n  - disruptions: gone-too.yaml\n".utf8).write(to: URL(fileURLWithPath: scenario))
        let run = try ToolRun(["study", "run", scenario, "--db", fixture.path("d.sqlite"), "--dry-run"])
        #expect(run.status == 2 && run.stderr.contains("gone.csv"), "\(run.status): \(run.stderr)")
        let fine = try ToolRun(["study", "run", fixture.scenarios[0], "--db", fixture.path("d.sqlite"), "--dry-run"])
        #expect(fine.status == 0, "\(fine.stderr)")
    }

    @Test func versionIsWhatTheResultsDatabaseRecords() throws {
        let version = try ToolRun(["--version"])
        #expect(version.status == 0)
        let printed = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(printed.wholeMatch(of: /routeplanner \d+\.\d+\.\d+ \((unknown|[0-9a-f]{7,40}(-dirty)?)\)/) != nil, "\(printed)")

        let fixture = try StudyFixture(days: 7)
        let database = fixture.path("v.sqlite")
        let run = try ToolRun(["study", fixture.scenarios[0], "--db", database, "--progress", "none"])
        #expect(run.status == 0, "\(run.stderr)")
        let query = Process()
        query.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        query.arguments = ["python3", "-c", "import sqlite3,sys; print(*sorted({r[0] for r in sqlite3.connect(sys.argv[1]).execute('select codeVersion from run')}), sep='\\n')", database]
        let out = Pipe()
        query.standardOutput = out
        try query.run()
        let recorded = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        query.waitUntilExit()
        #expect(recorded.trimmingCharacters(in: .whitespacesAndNewlines) == printed)
    }

    @Test func planEngineRunsBesideTheSimulatorOnTwoThreads() throws {
        let fixture = try StudyFixture(days: 14)
        let shipments = try String(contentsOf: ToolRun.repository.appendingPathComponent("examples/shipments-2027.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(31).joined(separator: "\n") + "\n"
        try Data(shipments.utf8).write(to: URL(fileURLWithPath: fixture.path("ship.csv")))
        let source = "\"estimate: a test scenario, not a real figure\""
        let plain = "scenario: planned\ndemand: demand.csv\ndays: 14\nengines: [simulate, plan]\nplan: {shipments: ship.csv}\n"
        let closed = plain.replacingOccurrences(of: "planned", with: "planned-half")
            + "edits:\n  - restrict: {corridor: chinaEurope}\n    capacityFactor: 0.5\n    source: \(source)\n  - growDemand: {}\n    factor: 2\n    source: \(source)\n"
        try Data(plain.utf8).write(to: URL(fileURLWithPath: fixture.path("planned.yaml")))
        try Data(closed.utf8).write(to: URL(fileURLWithPath: fixture.path("planned-half.yaml")))
        let database = fixture.path("p.sqlite")
        let run = try ToolRun(["study", fixture.path("planned.yaml"), fixture.path("planned-half.yaml"), "--db", database, "--jobs", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try fixture.reportRows(database)
        func value(_ run: String, _ kpi: String) -> Double? {
            rows.first { $0.hasPrefix("\(run),") && $0.contains(",\(kpi),") }
                .flatMap { Double($0.split(separator: ",", omittingEmptySubsequences: false)[5]) }
        }
        #expect(value("planned", "plan.shipments") == 30)
        #expect(value("planned", "simulate.deliveredTEU") != nil)
        let planned = try #require(value("planned", "plan.plannedTEU"))
        let doubled = try #require(value("planned-half", "plan.plannedTEU"))
        let unmet = try #require(value("planned-half", "plan.unmetTEU"))
        #expect(abs(doubled + unmet - 2 * planned) < 1e-6 * planned, "twice the TEU, planned or unmet")
        #expect(try #require(value("planned-half", "plan.objectiveUSD")) > (try #require(value("planned", "plan.objectiveUSD"))))
    }

    @Test func resumesAfterSIGKILLWithoutDuplicatesOrGaps() throws {
        let fixture = try StudyFixture(days: 90)
        let arguments = ["study"] + fixture.scenarios + ["--grid", "seed=1,2,3", "--jobs", "2", "--progress", "lines"]
        let killed = fixture.path("killed.sqlite")

        // Start the study and kill it with SIGKILL once two runs are recorded.
        let process = Process()
        process.executableURL = ToolRun.executable
        process.arguments = arguments + ["--db", killed]
        process.currentDirectoryURL = ToolRun.repository
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        var seen = ""
        while !seen.contains("[2/9]") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the study ended before it was killed: \(seen)")
        let partial = Set(try fixture.reportRows(killed).map { String($0.prefix { $0 != "," }) })
        #expect(partial.count >= 2 && partial.count < 9, "runs recorded before the kill: \(partial)")

        // Rerunning resumes: the recorded runs are skipped, the rest run.
        let resumed = try ToolRun(arguments + ["--db", killed])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("\(9 - partial.count) succeeded, 0 failed, \(partial.count) already done"), "\(resumed.stdout)")

        // The result equals an uninterrupted run: same runs, same KPI rows, none twice.
        let clean = fixture.path("clean.sqlite")
        #expect(try ToolRun(arguments + ["--db", clean]).status == 0)
        let resumedRows = try fixture.reportRows(killed)
        #expect(resumedRows == (try fixture.reportRows(clean)))
        #expect(Set(resumedRows).count == resumedRows.count)
        #expect(Set(resumedRows.map { String($0.prefix { $0 != "," }) }).count == 9)
    }

    @Test func fourShardsMergedEqualOneRun() throws {
        let fixture = try StudyFixture(days: 30)
        let arguments = ["study"] + fixture.scenarios + ["--grid", "seed=1,2", "--progress", "none", "--jobs", "1"]
        let whole = fixture.path("whole.sqlite")
        #expect(try ToolRun(arguments + ["--db", whole]).status == 0)
        var shards: [String] = []
        var sizes: [Int] = []
        for index in 0..<4 {
            let shard = fixture.path("shard-\(index).sqlite")
            let run = try ToolRun(arguments + ["--db", shard, "--shard", "\(index)/4"])
            #expect(run.status == 0, "\(run.stderr)")
            shards.append(shard)
            sizes.append(Set(try fixture.reportRows(shard).map { $0.prefix { $0 != "," } }).count)
        }
        #expect(sizes == [2, 2, 1, 1], "6 runs dealt round-robin over 4 shards")
        let merged = fixture.path("merged.sqlite")
        let merge = try ToolRun(["study", "merge", merged] + shards)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("merged.sqlite: 6 runs"))
        let expected = try fixture.reportRows(whole)
        #expect(try fixture.reportRows(merged) == expected)

        // Merging again changes nothing.
        let again = try ToolRun(["study", "merge", merged] + shards)
        #expect(again.stdout.contains("0 runs added or replaced") && again.stdout.contains("6 runs"))
        #expect(try fixture.reportRows(merged) == expected)
    }

    @Test func failingScenarioIsRecordedAndOthersFinish() throws {
        let fixture = try StudyFixture(days: 20)
        let bad = fixture.path("bad-demand.csv")
        try Data("origin,destination,cargo,teuPerYear,tonnesPerYear,shipmentSize,seasonality,corridor,transit,source\nCNCQI,NOWHERE,general,10,,1,,chinaEurope,false,x\n".utf8)
            .write(to: URL(fileURLWithPath: bad))
        let broken = fixture.path("broken.yaml")
        try Data("scenario: broken\ndemand: bad-demand.csv\ndays: 20\n".utf8).write(to: URL(fileURLWithPath: broken))
        let database = fixture.path("r.sqlite")
        let run = try ToolRun(["study", broken] + fixture.scenarios + ["--db", database, "--progress", "lines"])
        #expect(run.status == 4, "exit 4: finished with failed runs; \(run.stderr)")
        #expect(run.stdout.contains("4 runs: 3 succeeded, 1 failed"))
        let report = try ToolRun(["study", "report", "--db", database])
        #expect(report.stdout.contains("FAILED"))
        #expect(report.stdout.contains("broken: ") && report.stdout.contains("bad-demand.csv:2"), "\(report.stdout)")
    }

    @Test func malformedScenarioStopsTheStudyWithLineNumbers() throws {
        let fixture = try StudyFixture()
        let bad = fixture.path("bad.yaml")
        try Data("scenario: bad\ndays: 900\nedits:\n  - close: {place: CNAKX}\n    source: \"estimate: a test scenario, not a real figure\"\n".utf8)
            .write(to: URL(fileURLWithPath: bad))
        let database = fixture.path("r.sqlite")
        let run = try ToolRun(["study", bad] + fixture.scenarios + ["--db", database])
        #expect(run.status == 2)
        #expect(run.stderr.contains("bad.yaml:2: days"), "\(run.stderr)")
        #expect(run.stderr.contains("bad.yaml:4: edits[0].close.place: unknown place 'CNAKX' (closest: CNAKL)"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: database), "nothing runs when a file is invalid")

        for flags in [["--shard", "4/4"], ["--jobs", "0"], ["--grid", "seed=x"], ["--grid", "moon=1"]] {
            let bad = try ToolRun(["study"] + fixture.scenarios + flags + ["--db", database])
            #expect(bad.status == 2, "\(flags): \(bad.stderr)")
        }
        let text = fixture.path("notes.txt")
        try Data("not a database\n".utf8).write(to: URL(fileURLWithPath: text))
        let notSQLite = try ToolRun(["study"] + fixture.scenarios + ["--db", text])
        #expect(notSQLite.status == 2 && notSQLite.stderr.contains("notes.txt"), "\(notSQLite.stderr)")
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "not a database\n", "the file is left as it was")
        let missing = try ToolRun(["study", "report", "--db", fixture.path("none.sqlite")])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"))
        let notADatabase = try ToolRun(["study", "merge", fixture.path("out.sqlite"), fixture.path("base.yaml")])
        #expect(notADatabase.status == 2, "\(notADatabase.stderr)")
    }
}

/// Each run executes in a child process: a run that crashes or hangs fails alone (issue #14: one
/// scenario that fails, even by a bug, never stops the others). The faults are injected through
/// `ROUTEPLANNER_FAULT_INJECTION`, which only the worker processes read.
@Suite("study: runs isolated in worker processes", .serialized)
struct StudyIsolationTests {
    func study(_ arguments: [String], fault: String? = nil) throws -> ToolRun {
        try ToolRun(["study"] + arguments, environment: fault.map { ["ROUTEPLANNER_FAULT_INJECTION": $0] } ?? [:])
    }

    @Test func aRunThatTrapsIsRecordedAsFailedAndTheOthersFinish() throws {
        let fixture = try StudyFixture(days: 20)
        let database = fixture.path("r.sqlite")
        let run = try study(fixture.scenarios + ["--db", database, "--jobs", "2", "--progress", "lines"], fault: "trap:more-trains")
        #expect(!run.crashed)
        #expect(run.status == 4, "exit 4: finished with failed runs; \(run.stderr)")
        #expect(run.stdout.contains("3 runs: 2 succeeded, 1 failed"), "\(run.stdout)")
        let report = try ToolRun(["study", "report", "--db", database])
        #expect(report.stdout.contains("more-trains: the run's process ended by signal 4 (SIGILL"), "\(report.stdout)")
        #expect(report.stdout.contains("fault injected"), "the trap's own message is recorded: \(report.stdout)")

        // The rerun redoes only the crashed run, and the database equals a study that never crashed.
        let rerun = try study(fixture.scenarios + ["--db", database, "--progress", "none"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("3 runs: 1 succeeded, 0 failed, 2 already done"), "\(rerun.stdout)")
        let clean = fixture.path("clean.sqlite")
        #expect(try study(fixture.scenarios + ["--db", clean, "--progress", "none"]).status == 0)
        #expect(try fixture.reportRows(database) == fixture.reportRows(clean))
    }

    @Test func workerProcessesAnswerExactlyWhatThreadsAnswer() throws {
        let fixture = try StudyFixture(days: 20)
        let processes = fixture.path("p.sqlite"), threads = fixture.path("t.sqlite")
        #expect(try study(fixture.scenarios + ["--db", processes, "--jobs", "2", "--progress", "none", "--grid", "seed=1,2"]).status == 0)
        #expect(try study(fixture.scenarios + ["--db", threads, "--jobs", "2", "--progress", "none", "--grid", "seed=1,2",
                                                "--isolation", "threads"]).status == 0)
        let rows = try fixture.reportRows(processes)
        #expect(rows.count > 100)
        #expect(rows == (try fixture.reportRows(threads)))
    }

    @Test func aRunPastItsTimeLimitIsStoppedAndTheOthersFinish() throws {
        let fixture = try StudyFixture(days: 20)
        let database = fixture.path("r.sqlite")
        // The limit is far above what the other runs take (under a second each), even on a loaded machine.
        let run = try study(fixture.scenarios + ["--db", database, "--jobs", "2", "--run-seconds", "20", "--progress", "none"],
                            fault: "hang:base")
        #expect(run.status == 4, "\(run.stderr)")
        #expect(run.stdout.contains("3 runs: 2 succeeded, 1 failed"), "\(run.stdout)")
        let report = try ToolRun(["study", "report", "--db", database])
        #expect(report.stdout.contains("base: the run did not finish within --run-seconds 20 s"), "\(report.stdout)")
    }

    @Test func aTimeLimitNeedsWorkerProcessesAndASaneNumber() throws {
        let fixture = try StudyFixture(days: 20)
        for bad in [["--run-seconds", "0"], ["--run-seconds", "nan"], ["--run-seconds", "5", "--isolation", "threads"], ["--isolation", "fork"]] {
            let run = try study(fixture.scenarios + ["--db", fixture.path("x.sqlite")] + bad)
            #expect(run.status == 2 && run.stderr.contains(bad[0]), "\(bad): \(run.status) \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.path("x.sqlite")))
    }
}
