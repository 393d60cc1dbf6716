import Foundation
import Testing

/// Faults around a study (issue #14, part 4): a full disk, SIGINT and SIGTERM, two processes on
/// one database, a read-only output folder. Each runs the built binary against the real thing
/// (a tmpfs mounted for the test, real signals, real processes); the mounts need root, as CI
/// runs, and a test fails (never passes) when it cannot mount. About 60 s in a debug build on 2 shared cores.
@Suite("faults: disk full, signals, concurrent writers, read-only outputs", .serialized)
struct FaultTests {
    /// The same study, uninterrupted, in its own database: what every faulted run is compared with.
    static func cleanRows(_ fixture: StudyFixture, _ arguments: [String]) throws -> [String] {
        let clean = fixture.path("clean-\(UUID().uuidString).sqlite")
        let run = try ToolRun(arguments + ["--db", clean, "--progress", "none"])
        #expect(run.status == 0, "\(run.stderr)")
        return try fixture.reportRows(clean)
    }

    /// The run keys of report rows (their first field).
    static func keys(_ rows: [String]) -> Set<String> { Set(rows.map { String($0.prefix { $0 != "," }) }) }

    /// Every run in `rows` is whole: its KPI rows are exactly the uninterrupted run's.
    static func expectWholeRuns(_ rows: [String], in clean: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for key in keys(rows) {
            let mine = rows.filter { $0.hasPrefix(key + ",") }, theirs = clean.filter { $0.hasPrefix(key + ",") }
            #expect(mine == theirs, "run \(key) is not the uninterrupted run's", sourceLocation: sourceLocation)
        }
    }

    /// A full disk during a study: the run that cannot be recorded is absent (never half there),
    /// the earlier ones stay, the database passes `integrity_check` and reads, the tool exits 2
    /// naming the database, and after making room the same command resumes and completes.
    @Test func aFullDiskStopsTheStudyKeepsWhatWasRecordedAndTheRerunResumes() throws {
        let fixture = try StudyFixture(days: 10)
        let arguments = ["study"] + fixture.scenarios + ["--grid", "seed=1,2,3", "--jobs", "2"]
        let clean = try Self.cleanRows(fixture, arguments)
        #expect(Self.keys(clean).count == 9)

        // 96 KiB: the schema and a run or two (a run is about 16 KiB with its journal), not nine.
        let disk = try ScratchMount(size: "96k")
        defer { disk.unmount() }
        let database = disk.folder.appendingPathComponent("results.sqlite").path
        let full = try ToolRun(arguments + ["--db", database, "--progress", "lines"])
        #expect(full.status == 2 && full.stderr.contains(database) && full.stderr.contains("disk is full"),
                "\(full.status): \(full.stderr)")
        #expect(!full.crashed)
        #expect(try sqliteAnswer(database, "PRAGMA integrity_check") == "ok")
        let partial = try fixture.reportRows(database)
        #expect(Self.keys(partial).count < 9, "the disk filled before the study ended")
        Self.expectWholeRuns(partial, in: clean)
        #expect(try sqliteAnswer(database, "SELECT count(*) FROM run WHERE status = 'failed'") == "0")

        // Other outputs on the full disk (the last few KiB taken by a filler): exit 2 naming the
        // file, and no half-written file left.
        let filler = disk.folder.appendingPathComponent("filler")
        #expect(FileManager.default.createFile(atPath: filler.path, contents: nil))
        let handle = try FileHandle(forWritingTo: filler)
        while (try? handle.write(contentsOf: Data(count: 4096))) != nil {}
        try handle.close()
        let simulation = disk.folder.appendingPathComponent("simulation").path
        let simulate = try ToolRun(["simulate", "--days", "1", "--out", simulation])
        #expect(simulate.status == 2 && simulate.stderr.contains(simulation), "\(simulate.status): \(simulate.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: simulation)) ?? [] == [], "a half-written output was left")

        try FileManager.default.removeItem(at: filler)
        try disk.remount("size=8m")
        let resumed = try ToolRun(arguments + ["--db", database, "--progress", "none"])
        let done = Self.keys(partial).count
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("9 runs: \(9 - done) succeeded, 0 failed, \(done) already done"), "\(resumed.stdout)")
        #expect(try fixture.reportRows(database) == clean)
        #expect(try sqliteAnswer(database, "PRAGMA integrity_check") == "ok")
    }

    /// SIGINT and SIGTERM during a study (a real signal to a real process): the runs in flight
    /// finish and are recorded whole, no new run starts, the tool exits 128 + the signal, the
    /// database passes `integrity_check`, and the same command resumes and ends equal to an
    /// uninterrupted study.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsAfterTheRunsInFlightAndTheRerunResumes(signal: Int32) throws {
        let fixture = try StudyFixture(days: 30)
        let arguments = ["study"] + fixture.scenarios + ["--grid", "seed=1,2", "--jobs", "1"]
        let database = fixture.path("signal.sqlite")
        let process = Process()
        process.executableURL = ToolRun.executable
        process.arguments = arguments + ["--db", database, "--progress", "lines"]
        process.currentDirectoryURL = ToolRun.repository
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        // Wait for the first run to be reported (an event, not a timing), then signal.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("[1/") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        kill(process.processIdentifier, signal)
        seen += errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = String(decoding: seen, as: UTF8.self)
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + signal,
                "\(process.terminationReason) \(process.terminationStatus): \(stderr)")
        #expect(stderr.contains("stopping after the runs in flight"), "\(stderr)")

        #expect(try sqliteAnswer(database, "PRAGMA integrity_check") == "ok")
        let stopped = try fixture.reportRows(database)
        let recorded = Self.keys(stopped)
        #expect(!recorded.isEmpty && recorded.count < 6, "runs recorded: \(recorded)")
        #expect(try sqliteAnswer(database, "SELECT count(*) FROM run WHERE status = 'failed'") == "0",
                "a stopped run must not be recorded as failed")
        let clean = try Self.cleanRows(fixture, arguments)
        Self.expectWholeRuns(stopped, in: clean)

        let resumed = try ToolRun(arguments + ["--db", database, "--progress", "none"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("6 runs: \(6 - recorded.count) succeeded, 0 failed, \(recorded.count) already done"),
                "\(resumed.stdout)")
        #expect(try fixture.reportRows(database) == clean)
    }

    /// Two processes create and write one new database at once, with overlapping scenario sets:
    /// both finish, and the database holds every run once, equal to a one-process study.
    @Test func twoStudiesWritingOneDatabaseAtOnceLoseAndDoubleNothing() throws {
        let fixture = try StudyFixture(days: 20)
        let common = ["--grid", "seed=1,2", "--jobs", "1", "--progress", "none"]
        let database = fixture.path("shared.sqlite")
        // Sorted: base, more-trains, no-suez. The first takes the first two, the second the last
        // two: more-trains is in both.
        let sets = [Array(fixture.scenarios.prefix(2)), Array(fixture.scenarios.suffix(2))]
        final class Outcomes: @unchecked Sendable {
            let lock = NSLock()
            var runs: [Int: (run: ToolRun, started: Date, ended: Date)] = [:]
            var failures: [String] = []
        }
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let started = Date()
            do {
                let run = try ToolRun(["study"] + sets[index] + common + ["--db", database])
                outcomes.lock.withLock { outcomes.runs[index] = (run, started, Date()) }
            } catch {
                outcomes.lock.withLock { outcomes.failures.append("\(error)") }
            }
        }
        #expect(outcomes.failures.isEmpty, "\(outcomes.failures)")
        let first = try #require(outcomes.runs[0]), second = try #require(outcomes.runs[1])
        #expect(first.started < second.ended && second.started < first.ended, "the two studies ran at the same time")
        for (run, _, _) in [first, second] {
            #expect(run.status == 0 && run.stdout.contains("4 runs: "), "\(run.status): \(run.stdout) \(run.stderr)")
        }

        #expect(try sqliteAnswer(database, "PRAGMA integrity_check") == "ok")
        #expect(try sqliteAnswer(database, "SELECT count(*) || ' ' || count(DISTINCT runKey) FROM run") == "6 6")
        let clean = try Self.cleanRows(fixture, ["study"] + fixture.scenarios + common)
        #expect(try fixture.reportRows(database) == clean)
    }

    /// Every output into a read-only folder (a read-only tmpfs: root ignores permission bits, a
    /// read-only mount does not): exit 2 naming the path, before a study spends time on its runs.
    @Test func aReadOnlyOutputFolderIsRefusedWithExitTwoNamingThePath() throws {
        let fixture = try StudyFixture(days: 5)
        let shipments = fixture.path("shipments.csv")
        let lines = try String(contentsOf: ToolRun.repository.appendingPathComponent("examples/shipments-2027.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(6)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: shipments))
        let plan = fixture.path("plan.json")
        let saved = try ToolRun(["plan", shipments, "--save", plan])
        #expect(saved.status == 0, "\(saved.stderr)")
        let shipment = try #require(lines.dropFirst().first.map { String($0.prefix { $0 != "," }) })

        let disk = try ScratchMount(size: "4m")
        defer { disk.unmount() }
        func inside(_ name: String) -> String { disk.folder.appendingPathComponent(name).path }
        let existing = inside("existing.sqlite")
        #expect(try ToolRun(["study", fixture.scenarios[0], "--db", existing, "--progress", "none"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: existing))
        try disk.remount("ro")

        let cases: [(arguments: [String], path: String)] = [
            (["study", fixture.scenarios[0], "--db", inside("new.sqlite")], inside("new.sqlite")),
            (["study"] + fixture.scenarios + ["--grid", "seed=7,8", "--db", existing, "--progress", "lines"], existing),
            (["study", "merge", inside("merged.sqlite"), existing], inside("merged.sqlite")),
            (["study", "report", "--db", existing, "--html", inside("report.html")], inside("report.html")),
            (["plan", shipments, "--save", inside("plan.json")], inside("plan.json")),
            (["plan", shipments, "--bills", inside("bills")], inside("bills")),
            (["bill", shipment, "--plan", plan, "--out", inside("bill")], inside("bill")),
            (["simulate", "--days", "3", "--out", inside("simulation")], inside("simulation")),
        ]
        for (arguments, path) in cases {
            let run = try ToolRun(arguments)
            #expect(run.status == 2 && run.stderr.contains(path), "\(arguments.joined(separator: " ")): \(run.status): \(run.stderr)")
            #expect(!run.stderr.contains("[1/"), "a run started before the database was found read-only: \(run.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: existing)) == before)
    }
}

/// A tmpfs mounted on a new folder for one test (root only), to fill or make read-only.
struct ScratchMount {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let folder: URL

    /// Mounts a tmpfs of `size` (`96k`, `4m`); throws, failing the test, when not root.
    init(size: String) throws {
        guard geteuid() == 0 else {
            throw Failure(description: "mounting a tmpfs needs root (CI runs as root); run the fault tests as root")
        }
        folder = try temporaryFolder("tmpfs")
        try Self.mount(["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", folder.path])
    }

    /// Changes the mount's options: `ro`, `size=8m`.
    func remount(_ options: String) throws { try Self.mount(["-o", "remount,\(options)", folder.path]) }

    func unmount() {
        _ = try? Self.command("/bin/umount", [folder.path])
        try? FileManager.default.removeItem(at: folder)
    }

    private static func mount(_ arguments: [String]) throws {
        let status = try command("/bin/mount", arguments)
        guard status == 0 else { throw Failure(description: "mount \(arguments.joined(separator: " ")) exited \(status)") }
    }

    private static func command(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// The first column of the first row of `sql` on `database`, read with Python's sqlite3 (another
/// SQLite client than the tool's), trimmed.
func sqliteAnswer(_ database: String, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])",
                         database, sql]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}
