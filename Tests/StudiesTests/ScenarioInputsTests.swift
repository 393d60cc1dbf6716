import Foundation
import Synchronization
import GRDB
import NetworkData
import Planning
import Simulation
import Testing
import TestFixtures
@testable import Studies

@Suite("Scenario edits and the results store")
struct ScenarioInputsTests {
    let networks = NetworkCache()

    /// Scenario edit `scale: {}` with `frequency: 1e-300` trapped and killed the whole study
    /// (issue #14): it is now bad input of that scenario, naming the edit and the limit.
    @Test func scalingEveryServiceToNothingIsRefused() throws {
        let scenario = try load("scenario: vanishing\ndemand: 2027\nedits:\n  - scale: {}\n    frequency: 1e-300\n    source: \"estimate: a hostile test value\"\n")
        #expect {
            try scenario.inputs(grid: GridAssignment(), networks: networks)
        } throws: { error in
            let issue = (error as? InvalidInput)?.issues.first
            return issue?.field == "edits: scale" && issue?.message.contains("departures a week") == true
        }
    }

    /// A `hub` edit replaces the hub's measurement parameters and keeps the rest.
    @Test func hubEditSetsTheMeasurementParameters() throws {
        let scenario = try load("""
            scenario: stricter
            demand: 2027
            edits:
              - hub: {minimumLoadFactor: 0.6, oneBillAdoptionShare: 0}
                source: "estimate: a test value, not a real figure"
            """)
        let edited = try #require(try scenario.inputs(grid: GridAssignment(), networks: networks).network.hub)
        let plain = try #require(try load("scenario: plain\ndemand: 2027\n").inputs(grid: GridAssignment(), networks: networks).network.hub)
        #expect(plain.airRoutes?.minimumLoadFactor != 0.6 && (plain.oneBill?.adoptionShare ?? 0) > 0)
        #expect(edited.airRoutes?.minimumLoadFactor == 0.6 && edited.oneBill?.adoptionShare == 0)
        #expect(edited.airRoutes?.minimumShareOfWeeks == plain.airRoutes?.minimumShareOfWeeks)
        #expect(edited.airRoutes?.passengerServiceSuffix == plain.airRoutes?.passengerServiceSuffix && edited.cities == plain.cities)
    }

    @Test func editsChangeNetworkDemandAndOptions() throws {
        let scenario = try load("""
            scenario: edited
            demand: 2027
            carbonPriceUSDPerTonne: 120
            edits:
              - scale: {corridor: chinaEurope, mode: rail}
                capacity: 1.5
                frequency: 2
                price: 0.8
                source: "estimate: a test value, not a real figure"
              - close: {servicesMatching: SUEZ}
                fromDay: 10
                toDay: 40
                source: "estimate: a test value, not a real figure"
              - restrict: {place: PLMAA}
                capacityFactor: 0.4
                dwellFactor: 3
                source: "estimate: a test value, not a real figure"
              - growDemand: {corridor: landSea}
                factor: 1.5
                source: "estimate: a test value, not a real figure"
            """)
        let base = try scenario.inputs(grid: GridAssignment(), networks: networks)
        let plain = try load("scenario: plain\ndemand: 2027\n").inputs(grid: GridAssignment(), networks: networks)

        for (edited, original) in zip(base.network.services, plain.network.services) {
            #expect(edited.id == original.id)
            if original.corridor == .chinaEurope && original.mode == .rail {
                #expect(edited.departuresPerWeek == original.departuresPerWeek * 2)
                #expect(edited.capacityTEUPerDeparture == original.capacityTEUPerDeparture.map { $0 * 1.5 })
                #expect(edited.priceUSDPerTEU == original.priceUSDPerTEU.map { $0 * 0.8 })
            } else {
                #expect(edited.departuresPerWeek == original.departuresPerWeek)
                #expect(edited.priceUSDPerTEU == original.priceUSDPerTEU)
            }
        }
        let suez = plain.network.services.filter { $0.id.rawValue.contains("SUEZ") }
        #expect(!suez.isEmpty)
        let closures = base.disruptions.filter { $0.capacityFactor == 0 }
        #expect(Set(closures.compactMap { if case .service(let id) = $0.target { id } else { nil } }) == Set(suez.map(\.id)))
        #expect(closures.allSatisfy { $0.fromDay == 10 && $0.toDay == 40 })
        #expect(base.disruptions.contains { $0.target == .place(PlaceCode("PLMAA")) && $0.capacityFactor == 0.4 && $0.dwellFactor == 3 })

        for (edited, original) in zip(base.lanes, plain.lanes) {
            #expect(edited.teuPerYear == original.teuPerYear * (original.corridor == .landSea ? 1.5 : 1))
        }
        #expect(base.simulation.carbonPriceUSDPerTonne == 120)

        // Grid values apply on top.
        var grid = GridAssignment()
        for axis in [try GridAxis(parsing: "demandFactor=2"), try GridAxis(parsing: "seed=9"), try GridAxis(parsing: "days=40")] {
            grid = GridAxis.combinations([axis]).first.map { a in a.values.reduce(grid) { $0.setting($1.key, to: $1.value) } } ?? grid
        }
        let scaled = try scenario.inputs(grid: grid, networks: networks)
        #expect(scaled.simulation.seed == 9 && scaled.simulation.days == 40)
        #expect(zip(scaled.lanes, base.lanes).allSatisfy { abs($0.teuPerYear - 2 * $1.teuPerYear) < 1e-9 })
    }

    @Test func addedServicesJoinTheNetworkAndBadOnesNameTheScenarioLine() throws {
        let service = try #require(builtInNetwork.services.first { $0.mode == .rail && $0.corridor == .chinaEurope })
        let good = try load("""
            scenario: added
            edits:
              - addServices:
                  services:
                    - id: TEST-NEW-LINE
                      name: A test line
                      mode: rail
                      corridor: chinaEurope
                      from: \(service.from.rawValue)
                      to: \(service.to.rawValue)
                      distanceKm: \(service.distanceKm)
                      transitHours: {mean: \(service.transit.meanHours), p90: \(service.transit.p90Hours)}
                      departuresPerWeek: 1
                      capacityTEUPerDeparture: 80
                      priceUSDPerTEU: 3000
                      co2eGramsPerTonneKm: 20
                      cargo: [general]
                      source: "estimate: a test value, not a real figure"
            """)
        do {
            let inputs = try good.inputs(grid: GridAssignment(), networks: networks)
            #expect(inputs.network.service(ServiceID("TEST-NEW-LINE")) != nil)
            #expect(inputs.network.services.count > builtInNetwork.services.count)
        } catch {
            Issue.record("the added service should load: \(error.description)")
        }
        let bad = try load("scenario: bad-add\nedits:\n  - addServices:\n      services:\n        - id: TEST-BAD\n          mode: rail\n          from: CNCQD\n          to: XXNOWHERE\n")
        #expect {
            try bad.inputs(grid: GridAssignment(), networks: networks)
        } throws: { error in
            let issues = (error as? InvalidInput)?.issues ?? []
            return issues.contains { $0.location.file == "s.yaml" && $0.location.line >= 5 }
        }
    }

    @Test func storeReplacesRunsAndMergesIdempotently() throws {
        let folder = try scratchFolder([:])
        let first = try ResultsStore(path: folder.appendingPathComponent("a.sqlite").path)
        let second = try ResultsStore(path: folder.appendingPathComponent("b.sqlite").path)
        func record(_ key: String, value: Double, at second: Double, status: RunStatus = .succeeded) -> RunRecord {
            let time = Date(timeIntervalSince1970: 1_800_000_000 + second)
            return RunRecord(runKey: key, scenario: key, scenarioFile: "\(key).yaml", grid: "", inputsHash: "h\(key)", seed: 1,
                             codeVersion: "test", engines: "simulate", status: status, startedAt: time, finishedAt: time,
                             seconds: 0, host: "test")
        }
        try first.record(record("a", value: 1, at: 0), kpis: [KPIValue(name: "x", value: 1)])
        try first.record(record("a", value: 2, at: 1), kpis: [KPIValue(name: "x", value: 2), KPIValue(name: "y", value: 3)])
        var runs = try first.runs()
        #expect(runs.count == 1)
        #expect(runs[0].kpis.map(\.value) == [2, 3], "the later record replaced the earlier one with its KPIs")

        try second.record(record("a", value: 5, at: 5, status: .failed), kpis: [])
        try second.record(record("b", value: 7, at: 2), kpis: [KPIValue(name: "x", value: 7, target: 5, comparison: "atLeast", met: true)])
        #expect(try first.merge(second) == 1)
        #expect(try first.merge(second) == 0)
        runs = try first.runs()
        #expect(runs.map(\.run.runKey) == ["a", "b"])
        #expect(runs[0].run.status == .succeeded, "a later failure of the same inputs does not replace a success")
        #expect(runs[1].kpis.first?.met == true && runs[1].kpis.first?.target == 5)
        #expect(try first.succeededRuns() == ["a": "ha", "b": "hb"])

        // A later success of a key replaces an earlier one.
        try second.record(record("a", value: 9, at: 9), kpis: [KPIValue(name: "x", value: 9)])
        #expect(try first.merge(second) == 1)
        #expect(try first.runs()[0].kpis.map(\.value) == [9])
    }

    /// A study whose run succeeded, rerun after one of its inputs broke: the failure is recorded
    /// beside the success, which keeps its KPIs (issue #14: the rerun used to delete them), and a
    /// later success of the same run removes the recorded failure.
    @Test func aFailedRerunNeverDeletesTheEarlierSuccess() throws {
        let store = try ResultsStore(path: try scratchFolder([:]).appendingPathComponent("r.sqlite").path)
        func run(_ status: RunStatus, hash: String, at second: Double, error: String? = nil) -> RunRecord {
            let time = Date(timeIntervalSince1970: 1_800_000_000 + second)
            return RunRecord(runKey: "closure", scenario: "closure", scenarioFile: "closure.yaml", grid: "", inputsHash: hash, seed: 1,
                             codeVersion: "test", engines: "simulate", status: status, error: error, startedAt: time, finishedAt: time,
                             seconds: 0, host: "test")
        }
        try store.record(run(.succeeded, hash: "good", at: 0), kpis: [KPIValue(name: "simulate.chinaEuropeTrains", value: 5_041)])
        try store.record(run(.failed, hash: "broken", at: 1, error: "shipments.csv:3: origin: unknown place 'XXX'"), kpis: [])
        var runs = try store.runs()
        #expect(runs.map(\.run.runKey) == ["closure", ResultsStore.failedRerunKey("closure")])
        #expect(runs[0].run.status == .succeeded && runs[0].kpis.map(\.value) == [5_041], "the success keeps its KPIs")
        #expect(runs[1].run.status == .failed && runs[1].run.error?.contains("unknown place") == true)
        #expect(try store.succeededRuns() == ["closure": "good"])
        // Failing again replaces the recorded failure, not the success.
        try store.record(run(.failed, hash: "broken", at: 2, error: "again"), kpis: [])
        runs = try store.runs()
        #expect(runs.count == 2 && runs[0].kpis.map(\.value) == [5_041] && runs[1].run.error == "again")
        // Mended: the new success replaces the old one and the failure goes.
        try store.record(run(.succeeded, hash: "mended", at: 3), kpis: [KPIValue(name: "simulate.chinaEuropeTrains", value: 5_100)])
        runs = try store.runs()
        #expect(runs.map(\.run.runKey) == ["closure"] && runs[0].kpis.map(\.value) == [5_100])
        // Merged from a shard whose rerun failed later with other inputs: kept beside, not instead.
        let shard = try ResultsStore(path: try scratchFolder([:]).appendingPathComponent("s.sqlite").path)
        try shard.record(run(.failed, hash: "broken", at: 4, error: "shard"), kpis: [])
        #expect(try store.merge(shard) == 1)
        runs = try store.runs()
        #expect(runs.map(\.run.runKey) == ["closure", ResultsStore.failedRerunKey("closure")] && runs[0].kpis.map(\.value) == [5_100])
    }

    /// A results database whose KPI value is ≥ 9.2e18 or infinite trapped `study report`; one
    /// with a NULL run key trapped `study run` in the row decoder (issue #14). Read back like any
    /// input, both are refused naming the run and field.
    @Test func aDatabaseEditedByHandIsCheckedWhenReadBack() throws {
        let folder = try scratchFolder([:])
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        let run = RunRecord(runKey: "tiny", scenario: "tiny", scenarioFile: "t.yaml", grid: "", inputsHash: "h", seed: 1,
                            codeVersion: "test", engines: "simulate", status: .succeeded, startedAt: time, finishedAt: time,
                            seconds: 0, host: "test")
        for value in ["1e19", "9e999", "-9e999"] {
            let path = folder.appendingPathComponent("kpi-\(value).sqlite").path
            try ResultsStore(path: path).record(run, kpis: [KPIValue(name: "simulate.onTimeRate", value: 0.9)])
            let raw = try DatabaseQueue(path: path)
            try raw.write { try $0.execute(sql: "UPDATE kpi SET value = \(value)") }
            try raw.close()
            #expect {
                try ResultsStore(path: path, readOnly: true).runs()
            } throws: { error in
                (error as? StoreError)?.message.contains("run tiny, KPI simulate.onTimeRate") == true
            }
        }
        // A table without NOT NULL on the run key, as another program might write it.
        let path = folder.appendingPathComponent("null-key.sqlite").path
        try ResultsStore(path: path).record(run, kpis: [])
        let raw = try DatabaseQueue(path: path)
        try raw.write { db in
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: "UPDATE sqlite_master SET sql = replace(sql, '\"runKey\" TEXT NOT NULL UNIQUE', '\"runKey\" TEXT UNIQUE') WHERE name = 'run'")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
        }
        try raw.close()
        let reopened = try DatabaseQueue(path: path)
        try reopened.write { try $0.execute(sql: "UPDATE run SET runKey = NULL") }
        try reopened.close()
        for read in [{ _ = try ResultsStore(path: path).runs() }, { _ = try ResultsStore(path: path).succeededRuns() }] as [() throws -> Void] {
            #expect {
                try read()
            } throws: { error in
                (error as? StoreError)?.message.contains("missing or malformed field") == true
            }
        }
    }

    /// Found by fuzzing `study report` (fuzz/run results-db, 6 December 2026): a run whose
    /// finishedAt had a stray byte where a digit belongs trapped GRDB's date parser (arithmetic
    /// overflow). Dates not in the form routeplanner writes are refused naming the run.
    @Test func aRunWithAMalformedDateIsRefusedNotTrapped() throws {
        let folder = try scratchFolder([:])
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        let run = RunRecord(runKey: "tiny", scenario: "tiny", scenarioFile: "t.yaml", grid: "", inputsHash: "h", seed: 1,
                            codeVersion: "test", engines: "simulate", status: .succeeded, startedAt: time, finishedAt: time,
                            seconds: 0, host: "test")
        for (index, edit) in ["UPDATE run SET finishedAt = '2026-12-06 15:39:' || char(65533) || '9.350'",
                              "UPDATE run SET startedAt = '2026-12-06 15:3/:09.350'",
                              "UPDATE run SET finishedAt = 'yesterday'"].enumerated() {
            let path = folder.appendingPathComponent("date-\(index).sqlite").path
            try ResultsStore(path: path).record(run, kpis: [])
            #expect(try ResultsStore(path: path, readOnly: true).runs().count == 1)
            let raw = try DatabaseQueue(path: path)
            try raw.write { try $0.execute(sql: edit) }
            try raw.close()
            for read in [{ _ = try ResultsStore(path: path).runs() }, { _ = try ResultsStore(path: path).succeededRuns() }] as [() throws -> Void] {
                #expect {
                    try read()
                } throws: { error in
                    (error as? StoreError)?.message.contains("run tiny: startedAt or finishedAt is not a date") == true
                }
            }
        }
    }

    /// Found by fuzzing `study report` (fuzz/run results-db): a KPI named by a number, or a run
    /// whose text field holds one, trapped the very check that reads bad rows back (GRDB's `try!`
    /// decoding an integer as a String). Both are refused naming the row.
    @Test func aKPINamedByANumberIsRefusedNotTrapped() throws {
        let folder = try scratchFolder([:])
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        let run = RunRecord(runKey: "tiny", scenario: "tiny", scenarioFile: "t.yaml", grid: "", inputsHash: "h", seed: 1,
                            codeVersion: "test", engines: "simulate", status: .succeeded, startedAt: time, finishedAt: time,
                            seconds: 0, host: "test")
        // The column declared without TEXT (as the fuzzer's bytes had it), so a number stays a number.
        for (table, column, edit, expected) in [("kpi", "name", "UPDATE kpi SET name = 1", "run tiny, KPI 1"),
                                                ("run", "scenario", "UPDATE run SET scenario = 5", "missing or malformed field")] {
            let path = folder.appendingPathComponent("\(table)-number.sqlite").path
            try ResultsStore(path: path).record(run, kpis: [KPIValue(name: "simulate.onTimeRate", value: 0.9)])
            let raw = try DatabaseQueue(path: path)
            try raw.write { db in
                try db.execute(sql: "PRAGMA writable_schema = ON")
                try db.execute(sql: "UPDATE sqlite_master SET sql = replace(sql, '\"\(column)\" TEXT', '\"\(column)\" BLOB') WHERE name = '\(table)'")
                try db.execute(sql: "PRAGMA writable_schema = OFF")
            }
            try raw.close()
            let reopened = try DatabaseQueue(path: path)
            try reopened.write { try $0.execute(sql: edit) }
            try reopened.close()
            #expect {
                try StudyComparison(store: try ResultsStore(path: path, readOnly: true), baseline: nil)
            } throws: { error in
                (error as? StoreError)?.message.contains(expected) == true
            }
        }
    }

    /// Two studies creating the same new database at the same moment: one failed with "table
    /// run already exists" (issue #14, 2 of 15 tries). Here two connections race 40 times.
    @Test func twoStoresCreatingOneNewDatabaseAtOnceBothOpen() throws {
        let folder = try scratchFolder([:])
        for attempt in 0..<40 {
            let path = folder.appendingPathComponent("race-\(attempt).sqlite").path
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                do { _ = try ResultsStore(path: path) } catch { failures.withLock { $0.append(String(describing: error)) } }
            }
            #expect(failures.withLock { $0 }.isEmpty, "attempt \(attempt): \(failures.withLock { $0 })")
        }
    }

    /// A database written before KPIs could be NULL (value NOT NULL, no reason) is migrated in
    /// place: its rows keep their values, and a NULL can be stored afterwards.
    @Test func olderDatabaseIsMigratedToNullableKPIs() throws {
        let path = try scratchFolder([:]).appendingPathComponent("old.sqlite").path
        let old = try DatabaseQueue(path: path)
        try old.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1');
                CREATE TABLE run (id INTEGER PRIMARY KEY AUTOINCREMENT, runKey TEXT NOT NULL UNIQUE, scenario TEXT NOT NULL,
                  scenarioFile TEXT NOT NULL, grid TEXT NOT NULL, inputsHash TEXT NOT NULL, seed INTEGER NOT NULL,
                  codeVersion TEXT NOT NULL, engines TEXT NOT NULL, status TEXT NOT NULL, error TEXT, bottleneck TEXT,
                  startedAt DATETIME NOT NULL, finishedAt DATETIME NOT NULL, seconds DOUBLE NOT NULL, host TEXT NOT NULL, shard TEXT);
                CREATE TABLE kpi (runId INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE, name TEXT NOT NULL,
                  value DOUBLE NOT NULL, target DOUBLE, comparison TEXT, met BOOLEAN, PRIMARY KEY (runId, name));
                INSERT INTO run VALUES (1, 'old', 'old', 'o.yaml', '', 'h', 1, 'test', 'simulate', 'succeeded', NULL, NULL,
                  '2027-01-01 00:00:00.000', '2027-01-01 00:00:00.000', 0, 'test', NULL);
                INSERT INTO kpi VALUES (1, 'target.trains', 4997, 5500, 'atLeast', 0);
                """)
        }
        try old.close()
        let store = try ResultsStore(path: path)
        let kpi = try #require(try store.runs().first?.kpis.first)
        #expect(kpi.name == "target.trains" && kpi.value == 4997 && kpi.target == 5500 && kpi.met == false && kpi.reason == nil)
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        try store.record(RunRecord(runKey: "new", scenario: "new", scenarioFile: "n.yaml", grid: "", inputsHash: "n", seed: 1,
                                   codeVersion: "test", engines: "simulate", status: .succeeded, startedAt: time, finishedAt: time,
                                   seconds: 0, host: "test"),
                         kpis: [KPIValue(name: "simulate.onTimeRate", value: nil, reason: "no shipment delivered")])
        let stored = try #require(try store.runs().first { $0.run.runKey == "new" }?.kpis.first)
        #expect(stored.value == nil && stored.reason == "no shipment delivered")
    }

    /// A KPI or target with nothing to measure is stored as NULL with its reason, and the study
    /// report says "not measured" (never 0).
    @Test func notMeasuredIsStoredAsNullAndReportedSo() throws {
        let folder = try scratchFolder([:])
        let store = try ResultsStore(path: folder.appendingPathComponent("n.sqlite").path)
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        let run = RunRecord(runKey: "baseline", scenario: "baseline", scenarioFile: "b.yaml", grid: "", inputsHash: "h", seed: 1,
                            codeVersion: "test", engines: "simulate", status: .succeeded, startedAt: time, finishedAt: time,
                            seconds: 0, host: "test")
        try store.record(run, kpis: [
            KPIValue(name: "simulate.chinaLaosThailandDays", value: nil, reason: "no hub–TH shipment took a route through LA"),
            KPIValue(name: "target.chinaLaosThailandDays", value: nil, target: 5, comparison: "atMost", met: false,
                     reason: "no hub–TH shipment took a route through LA"),
            KPIValue(name: "simulate.chinaEuropeTrains", value: 0),
        ])
        let kpis = try #require(try store.runs().first).kpis
        #expect(kpis.map(\.name) == ["simulate.chinaEuropeTrains", "simulate.chinaLaosThailandDays", "target.chinaLaosThailandDays"])
        #expect(kpis.map(\.value) == [0, nil, nil], "a measured 0 stays 0; not measured is NULL")
        #expect(kpis[1].reason == "no hub–TH shipment took a route through LA" && kpis[0].reason == nil)

        let comparison = try StudyComparison(store: store, baseline: nil)
        let entry = try #require(comparison.entries.first)
        #expect(entry.values["simulate.chinaLaosThailandDays"] == nil && entry.notMeasured["simulate.chinaLaosThailandDays"] != nil)
        #expect(comparison.html(title: "t").contains(">not measured</td>"))
        let report = comparison.report(database: "n.sqlite")
        let target = try #require(report.runs.first?.targets.first)
        #expect(target.value == nil && target.met == false && target.reason?.contains("through LA") == true)
        let json = String(decoding: try JSONEncoder().encode(target), as: UTF8.self)
        #expect(json.contains("\"value\":null"), "\(json)")
        #expect(comparison.csv().contains("simulate.chinaLaosThailandDays,,,,,"))
    }
}
