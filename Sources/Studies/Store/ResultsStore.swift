import NetworkData
import Foundation
import GRDB

/// One run as stored: its identity, inputs hash, seed, code version, status and timing.
public struct RunRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"
    public var id: Int64?
    public var runKey: String
    public var scenario: String
    public var scenarioFile: String
    /// The grid values, `seed=2,demandFactor=1.25` (empty without a grid).
    public var grid: String
    public var inputsHash: String
    public var seed: Int64
    public var codeVersion: String
    /// `simulate`, `plan` or `simulate,plan`; `headroom` for the steps of `study headroom`.
    public var engines: String
    public var status: RunStatus
    public var error: String?
    public var bottleneck: String?
    public var startedAt: Date
    public var finishedAt: Date
    public var seconds: Double
    public var host: String
    /// `i/N` when run as a shard.
    public var shard: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// How a run ended.
public enum RunStatus: String, Codable, Sendable, DatabaseValueConvertible {
    case succeeded, failed
}

/// One KPI of a run, as stored.
public struct KPIRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "kpi"
    public var runId: Int64
    public var name: String
    /// NULL when the run had nothing to measure (never 0).
    public var value: Double?
    public var target: Double?
    public var comparison: String?
    public var met: Bool?
    /// Why nothing was measured (`value` NULL).
    public var reason: String?
}

/// The study results database (SQLite through GRDB): one row per run, one per KPI.
///
/// Every run is written in one transaction (its run row and all its KPI rows, replacing an
/// earlier row of the same run key), so a process killed at any instant leaves each run either
/// complete or absent. The database is safe to share between threads of one process
/// (writes are serialised) and, with a busy timeout, between processes.
public final class ResultsStore: Sendable {
    private let database: DatabaseQueue
    /// The file's path.
    public let path: String

    /// Opens (creating and migrating if needed) the database at `path`.
    ///
    /// - Parameter readOnly: open an existing database without changing it.
    /// - Throws: ``StoreError`` when the file is not a results database or cannot be opened.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.readonly = readOnly
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw StoreError(message: "\(path): no such file; expected a results database written by routeplanner study")
        }
        // SQLite would wait forever on a FIFO and write into a device: only a regular file (or a new path).
        if let kind = InputFile.nonRegularKind(at: path) {
            throw StoreError(message: "\(path): is \(kind); expected a results database file or a new path")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            if readOnly {
                let tables = try database.read { try $0.tableExists("run") && $0.tableExists("kpi") }
                guard tables else {
                    throw StoreError(message: "\(path): not a routeplanner results database (no run and kpi tables)")
                }
            } else {
                // Never add tables to someone else's database.
                let foreign = try database.read { db in
                    try !db.tableExists("grdb_migrations")
                        && String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'").contains { !$0.hasPrefix("sqlite_") }
                }
                if foreign {
                    throw StoreError(message: "\(path): an SQLite database with other tables, not a routeplanner results database; expected a new file or one written by routeplanner study")
                }
                try Self.migrate(database)
                // SQLite opens a file it cannot write read-only without a word, and an empty
                // transaction succeeds there: only a write statement finds out. Found here, before
                // any run, rather than when the first finished run cannot be recorded.
                try database.write { try $0.execute(sql: "DELETE FROM run WHERE 0") }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(message: "\(path): cannot open the results database: \(Self.describe(error))\(Self.folderProblem(of: path))")
        }
    }

    /// Why the folder of `path` cannot take a new file (`; the folder X: Read-only file system`),
    /// or nothing: SQLite's own message ("unable to open database file") does not say.
    private static func folderProblem(of path: String) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard access(folder, W_OK) != 0 else { return "" }
        return "; the folder \(folder): \(String(cString: strerror(errno)))"
    }

    /// Migrates `database`; when another process creates the same new database at the same
    /// moment, its tables or migration records appear between our check and our migration
    /// ("table run already exists"): the migration is tried again, and then finds them applied.
    private static func migrate(_ database: DatabaseQueue) throws {
        for attempt in 1...8 {
            do {
                try migrator.migrate(database)
                return
            } catch let error as DatabaseError where attempt < 8 && Self.isConcurrentCreation(error) {
                continue
            }
        }
    }

    /// The errors of a migration that raced another process's: a table it created, or a
    /// migration it recorded, between our reading and our writing.
    private static func isConcurrentCreation(_ error: DatabaseError) -> Bool {
        let message = error.message ?? ""
        return message.contains("already exists") || message.contains("grdb_migrations.identifier")
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("runKey", .text).notNull().unique()
                t.column("scenario", .text).notNull()
                t.column("scenarioFile", .text).notNull()
                t.column("grid", .text).notNull()
                t.column("inputsHash", .text).notNull()
                t.column("seed", .integer).notNull()
                t.column("codeVersion", .text).notNull()
                t.column("engines", .text).notNull()
                t.column("status", .text).notNull().check { ["succeeded", "failed"].contains($0) }
                t.column("error", .text)
                t.column("bottleneck", .text)
                t.column("startedAt", .datetime).notNull()
                t.column("finishedAt", .datetime).notNull()
                t.column("seconds", .double).notNull()
                t.column("host", .text).notNull()
                t.column("shard", .text)
            }
            try db.create(table: "kpi") { t in
                t.column("runId", .integer).notNull().references("run", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("value", .double).notNull()
                t.column("target", .double)
                t.column("comparison", .text)
                t.column("met", .boolean)
                t.primaryKey(["runId", "name"])
            }
        }
        // A KPI with nothing to measure is stored as NULL with its reason, never as 0.
        migrator.registerMigration("v2-kpi-not-measured") { db in
            try db.create(table: "kpi_v2") { t in
                t.column("runId", .integer).notNull().references("run", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("value", .double)
                t.column("target", .double)
                t.column("comparison", .text)
                t.column("met", .boolean)
                t.column("reason", .text)
                t.primaryKey(["runId", "name"])
            }
            try db.execute(sql: "INSERT INTO kpi_v2 (runId, name, value, target, comparison, met) SELECT runId, name, value, target, comparison, met FROM kpi")
            try db.drop(table: "kpi")
            try db.rename(table: "kpi_v2", to: "kpi")
        }
        return migrator
    }

    /// The key under which a failed rerun of `runKey` is stored when `runKey` has succeeded before.
    public static func failedRerunKey(_ runKey: String) -> String { "\(runKey) (failed rerun)" }

    /// Stores a finished run and its KPIs in one transaction, replacing any earlier row of the
    /// same run key (and its KPIs). A failure never replaces a success: a failed rerun of a run
    /// key that succeeded before is stored beside it, under ``failedRerunKey(_:)``, and the
    /// success keeps its KPIs; a later success of the key removes that failure.
    public func record(_ run: RunRecord, kpis: [KPIValue]) throws(StoreError) {
        do {
            try database.write { db in
                var row = run
                if run.status == .failed,
                   let earlier = try RunRecord.filter(Column("runKey") == run.runKey).fetchOne(db), earlier.status == .succeeded {
                    row.runKey = Self.failedRerunKey(run.runKey)
                } else if run.status == .succeeded {
                    try RunRecord.filter(Column("runKey") == Self.failedRerunKey(run.runKey)).deleteAll(db)
                }
                try RunRecord.filter(Column("runKey") == row.runKey).deleteAll(db)
                row.id = nil
                try row.insert(db)
                guard let id = row.id else { return }
                for kpi in kpis {
                    try KPIRecord(runId: id, name: kpi.name, value: kpi.value, target: kpi.target,
                                  comparison: kpi.comparison, met: kpi.met, reason: kpi.reason).insert(db)
                }
            }
        } catch {
            throw StoreError(message: "\(path): cannot record run \(run.runKey): \(Self.describe(error)); the runs recorded before it are kept, and the same command resumes once the database can be written")
        }
    }

    /// Deletes every run (and its KPIs) whose key starts with `keyPrefix`.
    ///
    /// - Returns: how many runs were deleted.
    @discardableResult
    public func deleteRuns(keyPrefix: String) throws(StoreError) -> Int {
        do {
            return try database.write { db in
                // substr counts characters (code points) in SQLite, as unicodeScalars does here.
                try db.execute(sql: "DELETE FROM run WHERE substr(runKey, 1, ?) = ?",
                               arguments: [keyPrefix.unicodeScalars.count, keyPrefix])
                return db.changesCount
            }
        } catch {
            throw StoreError(message: "\(path): cannot delete runs \(keyPrefix)…: \(Self.describe(error))")
        }
    }

    /// Run keys whose last run succeeded, with the inputs hash it ran with.
    public func succeededRuns() throws(StoreError) -> [String: String] {
        do {
            return try database.read { db in
                try checkContents(db)
                let rows = try Row.fetchAll(db, sql: "SELECT runKey, inputsHash FROM run WHERE status = 'succeeded'")
                return Dictionary(rows.map { ($0["runKey"] as String, $0["inputsHash"] as String) }, uniquingKeysWith: { a, _ in a })
            }
        } catch {
            throw StoreError(message: "\(path): cannot read the runs: \(Self.describe(error))")
        }
    }

    /// The largest KPI value a results database may hold (the report prints whole numbers).
    public static let largestKPIValue = 1e15

    /// Checks what this tool reads back like any input: a database edited by hand or by another
    /// program may hold NULLs, text or infinities where a run or KPI needs a value; the row
    /// decoder would trap on them. Throws naming the first bad row.
    private func checkContents(_ db: Database) throws {
        let required = ["runKey", "scenario", "scenarioFile", "grid", "inputsHash", "seed", "codeVersion", "engines", "status",
                        "startedAt", "finishedAt", "seconds", "host"]
        let nullTest = required.map { "\($0) IS NULL" }.joined(separator: " OR ")
        let texts = ["runKey", "scenario", "scenarioFile", "grid", "inputsHash", "codeVersion", "engines", "host"]
            .map { "typeof(\($0)) != 'text'" }.joined(separator: " OR ")
        // Read back as text whatever their type: a bad row's fields are what is being reported.
        if let row = try Row.fetchOne(db, sql: "SELECT CAST(id AS TEXT) AS id FROM run WHERE \(nullTest) OR \(texts) OR typeof(seed) != 'integer' OR typeof(seconds) NOT IN ('real', 'integer') OR status NOT IN ('succeeded', 'failed') LIMIT 1") {
            let id: String? = row["id"]
            throw StoreError(message: "run row \(id ?? "?") has a missing or malformed field; expected every field of a run written by routeplanner study")
        }
        // GRDB's date parser traps (arithmetic overflow) on a non-digit where a digit belongs, as in
        // "2026-12-06 15:39:\u{FFFD}9.350" (found by fuzzing): only the forms routeplanner writes pass.
        let dateForms = ["____-__-__ __:__:__", "____-__-__ __:__:__.___"]
            .map { $0.replacingOccurrences(of: "_", with: "[0-9]") }
        let badDate = ["startedAt", "finishedAt"].map { column in
            "NOT (typeof(\(column)) = 'text' AND (" + dateForms.map { "\(column) GLOB '\($0)'" }.joined(separator: " OR ") + "))"
        }.joined(separator: " OR ")
        if let row = try Row.fetchOne(db, sql: "SELECT CAST(runKey AS TEXT) AS runKey FROM run WHERE \(badDate) LIMIT 1") {
            let key: String? = row["runKey"]
            throw StoreError(message: "run \(key ?? "?"): startedAt or finishedAt is not a date and time as routeplanner writes it (YYYY-MM-DD HH:MM:SS.SSS)")
        }
        let limit = Self.largestKPIValue
        if let row = try Row.fetchOne(db, sql: "SELECT CAST(run.runKey AS TEXT) AS runKey, CAST(kpi.name AS TEXT) AS name FROM kpi LEFT JOIN run ON run.id = kpi.runId WHERE kpi.name IS NULL OR typeof(kpi.name) != 'text' OR (kpi.value IS NOT NULL AND (typeof(kpi.value) NOT IN ('real', 'integer') OR kpi.value > ? OR kpi.value < ?)) OR (kpi.target IS NOT NULL AND (typeof(kpi.target) NOT IN ('real', 'integer') OR kpi.target > ? OR kpi.target < ?)) LIMIT 1",
                                     arguments: [limit, -limit, limit, -limit]) {
            let key: String? = row["runKey"], name: String? = row["name"]
            throw StoreError(message: "run \(key ?? "?"), KPI \(name ?? "?"): not a number within ±1e15; expected the finite numbers routeplanner writes")
        }
    }

    /// Every run, in key order, with its KPIs.
    public func runs() throws(StoreError) -> [(run: RunRecord, kpis: [KPIRecord])] {
        do {
            return try database.read { db in
                try checkContents(db)
                let runs = try RunRecord.order(Column("runKey")).fetchAll(db)
                let kpis = Dictionary(grouping: try KPIRecord.order(Column("name")).fetchAll(db), by: \.runId)
                return runs.map { ($0, kpis[$0.id ?? -1] ?? []) }
            }
        } catch {
            throw StoreError(message: "\(path): cannot read the runs: \(Self.describe(error))")
        }
    }

    /// A consistent copy of the whole database as SQLite file bytes (SQLite's online backup,
    /// so that a study writing meanwhile never yields a torn file), for downloads.
    /// - Throws: ``StoreError`` when the database cannot be read or the copy written.
    /// - Complexity: O(size of the database).
    public func snapshot() throws(StoreError) -> Data {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("routeplanner-snapshot-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            let copy = try DatabaseQueue(path: file.path)
            try database.backup(to: copy)
            try copy.close()
            return try Data(contentsOf: file)
        } catch {
            throw StoreError(message: "\(path): cannot copy the database: \(Self.describe(error))")
        }
    }

    /// Copies the runs of other stores into this one: a run key missing here is added; one
    /// present here is replaced when the other's run finished later. A success is never
    /// replaced by a failure: a later failure of other inputs is kept beside it under
    /// ``failedRerunKey(_:)``. Merging the same store twice changes nothing.
    ///
    /// - Returns: how many runs were added or replaced.
    /// - Complexity: O(r + k) rows read and written for r runs and k KPIs.
    @discardableResult
    public func merge(_ other: ResultsStore) throws(StoreError) -> Int {
        let incoming = try other.runs()
        do {
            return try database.write { db in
                var changed = 0
                for (run, kpis) in incoming {
                    var run = run
                    if let existing = try RunRecord.filter(Column("runKey") == run.runKey).fetchOne(db),
                       existing.status == .succeeded, run.status == .failed {
                        // A failure never replaces a success: a later failure of other inputs goes beside it.
                        guard existing.inputsHash != run.inputsHash, existing.finishedAt < run.finishedAt else { continue }
                        run.runKey = Self.failedRerunKey(run.runKey)
                    }
                    if let existing = try RunRecord.filter(Column("runKey") == run.runKey).fetchOne(db) {
                        // The same run merged again finished at the same time: kept, like any older one.
                        let keepExisting = existing.finishedAt >= run.finishedAt
                            || (existing.status == .succeeded && run.status == .failed && existing.inputsHash == run.inputsHash)
                        if keepExisting { continue }
                        try existing.delete(db)
                    }
                    var row = run
                    row.id = nil
                    try row.insert(db)
                    guard let id = row.id else { continue }
                    for var kpi in kpis {
                        kpi.runId = id
                        try kpi.insert(db)
                    }
                    changed += 1
                }
                return changed
            }
        } catch {
            throw StoreError(message: "\(path): cannot merge \(other.path): \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? error.description }
        return String(describing: error)
    }
}

/// A results database that cannot be opened, read or written.
public struct StoreError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
