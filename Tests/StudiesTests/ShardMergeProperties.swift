import Foundation
import NetworkData
import PropertyBased
import Testing
import TestFixtures
@testable import Studies

/// One scenario of a random study on the hand-priced network: 5–20 simulated days, an edit
/// (none, more or fewer departures, larger or smaller departures, more demand, R1 closed for
/// some days) or a demand table naming an unknown place (its runs fail), and, in some, a batch
/// plan of two shipments too.
struct RandomStudyScenario: Sendable, CustomStringConvertible {
    var days: Int
    var edit: Int
    var factor: Int
    var plans: Bool

    /// The edit, as a scenario file writes it.
    var editYAML: String {
        let value = Double(factor) / 4
        let source = "source: \"estimate: a random test value\""
        switch edit {
        case 1: return "  - scale: {mode: rail}\n    frequency: \(value)\n    \(source)\n"
        case 2: return "  - scale: {}\n    capacity: \(value)\n    \(source)\n"
        case 3: return "  - growDemand: {}\n    factor: \(value)\n    \(source)\n"
        case 4: return "  - close: {service: R1}\n    fromDay: 0\n    toDay: \(factor)\n    \(source)\n"
        default: return ""
        }
    }

    func yaml(name: String) -> String {
        var text = "scenario: \(name)\nnetwork: network.yaml\ndemand: \(fails ? "bad-demand.csv" : "demand.csv")\ndays: \(days)\n"
        if plans { text += "engines: [simulate, plan]\nplan:\n  shipments: shipments.csv\n" }
        if !editYAML.isEmpty { text += "edits:\n" + editYAML }
        return text
    }

    /// Whether the scenario's runs fail (edit 5: the bad demand table).
    var fails: Bool { edit == 5 }

    var description: String { "\(days) days, edit \(edit) ×\(Double(factor) / 4)\(plans ? ", plans" : "")" }
}

/// A random study: 1–3 scenarios, a grid of 1–3 seeds and optionally two demand factors, and
/// 1–5 shards (more shards than runs leaves some empty), merged starting from shard
/// `firstMerged` (modulo the count) and wrapping round.
struct RandomStudy: Sendable, CustomStringConvertible {
    var scenarios: [RandomStudyScenario]
    var seeds: [Int]
    var demandFactors: Bool
    var shards: Int
    var firstMerged: Int

    var mergeOrder: [Int] { (0..<shards).map { ($0 + firstMerged) % shards } }

    var grid: [GridAxis] {
        var axes = [GridAxis(key: .seed, values: Array(Set(seeds)).sorted().map(Double.init))]
        if demandFactors { axes.append(GridAxis(key: .demandFactor, values: [1, 1.5])) }
        return axes
    }

    var description: String {
        "scenarios [\(scenarios.map(\.description).joined(separator: "; "))], seeds \(Array(Set(seeds)).sorted())"
            + "\(demandFactors ? ", demandFactor=1,1.5" : ""), \(shards) shards merged in order \(mergeOrder)"
    }
}

let randomStudies = zip(
    zip(Gen.int(in: 5...20), Gen.int(in: 0...5), Gen.int(in: 1...8), Gen.bool(0.25)).array(of: 1...3),
    Gen.int(in: 1...50).array(of: 1...3),
    Gen.bool(0.3),
    Gen.int(in: 1...5),
    Gen.int(in: 0...4)
).map { scenarios, seeds, demandFactors, shards, firstMerged in
    RandomStudy(scenarios: scenarios.map { RandomStudyScenario(days: $0.0, edit: $0.1, factor: $0.2, plans: $0.3) },
                seeds: seeds, demandFactors: demandFactors, shards: shards, firstMerged: firstMerged)
}

/// What a run's answer is, without where and when it ran: equal for equal inputs.
private struct RunAnswer: Hashable, CustomStringConvertible {
    var key, scenario, grid, inputsHash, engines, status: String
    var seed: Int64
    var error, bottleneck: String?
    var kpis: [String]

    init(_ run: RunRecord, _ kpis: [KPIRecord]) {
        key = run.runKey
        scenario = run.scenario
        grid = run.grid
        inputsHash = run.inputsHash
        engines = run.engines
        status = run.status.rawValue
        seed = run.seed
        error = run.error
        bottleneck = run.bottleneck
        self.kpis = kpis.map {
            "\($0.name)=\($0.value.map { "\($0)" } ?? "nil") target \($0.target.map { "\($0)" } ?? "-") "
                + "\($0.comparison ?? "-") met \($0.met.map { "\($0)" } ?? "-") \($0.reason ?? "")"
        }
    }

    var description: String { "\(key) \(status) \(kpis.count) KPIs" }
}

/// Property tests of sharded studies. A failure names the shrunk study and the
/// `.fixedSeed(…)` that replays it.
@Suite("Shard and merge properties")
struct ShardMergeProperties {
    /// Running a random study's shards into separate databases and merging them gives the same
    /// runs, failed or not, with the same KPIs (values, targets, reasons) as running it on one
    /// machine with two workers, whatever the order of merging; merging again changes nothing.
    /// 8 studies, ~10 s.
    @Test func shardsMergedEqualOneRun() async {
        await propertyCheck(count: propertyCount(8), input: randomStudies) { study in
            let folder = try scratchFolder([
                "network.yaml": handPricedNetwork,
                "demand.csv": "origin,destination,cargo,teuPerYear,tonnesPerYear,shipmentSize,seasonality,corridor,transit,source\n"
                    + "CNAAA,DEDDD,general,20000,,6,,domestic,false,\"estimate: test lane\"\n"
                    + "CNAAA,NLSSS,general,4000,,4,,domestic,false,\"estimate: test lane\"\n",
                "bad-demand.csv": "origin,destination,cargo,teuPerYear,tonnesPerYear,shipmentSize,seasonality,corridor,transit,source\n"
                    + "CNAAA,NOWHERE,general,100,,1,,domestic,false,\"estimate: test lane\"\n",
                "shipments.csv": "id,origin,destination,teu,cargo,ready,deadline\n"
                    + "A,CNAAA,DEDDD,30,general,2027-03-01,60d\nB,CNAAA,NLSSS,12,general,2027-03-01,60d\n",
            ])
            defer { try? FileManager.default.removeItem(at: folder) }
            let networks = NetworkCache()
            let loader = ScenarioLoader { try? networks.network($0) }
            var scenarios: [Scenario] = []
            for (i, scenario) in study.scenarios.enumerated() {
                let file = folder.appendingPathComponent("s\(i).yaml")
                try Data(scenario.yaml(name: "s\(i)").utf8).write(to: file)
                scenarios.append(try loader.load(file, shownAs: file.lastPathComponent))
            }
            let runs = try StudyRun.plan(scenarios, grid: study.grid)

            let whole = try ResultsStore(path: folder.appendingPathComponent("whole.sqlite").path)
            let summary = try StudyRunner(runs: runs, store: whole, jobs: 2).run { _ in }
            let failing = runs.filter { run in study.scenarios[Int(run.scenario.name.dropFirst())!].fails }.count
            #expect(summary.failed == failing && summary.succeeded == runs.count - failing, "\(summary)")

            let merged = try ResultsStore(path: folder.appendingPathComponent("merged.sqlite").path)
            var shards: [ResultsStore] = []
            for index in 0..<study.shards {
                let label = "\(index)/\(study.shards)"
                let shard = try ResultsStore(path: folder.appendingPathComponent("shard-\(index).sqlite").path)
                _ = try StudyRunner(runs: StudyRun.shard(runs, index: index, of: study.shards), store: shard, jobs: 1,
                                    shard: label).run { _ in }
                #expect(try shard.runs().allSatisfy { $0.run.shard == label })
                shards.append(shard)
            }
            var added = 0
            for index in study.mergeOrder { added += try merged.merge(shards[index]) }
            #expect(added == runs.count)

            let expected = try whole.runs().map { RunAnswer($0.run, $0.kpis) }
            let mergedRuns = try merged.runs()
            #expect(mergedRuns.map { RunAnswer($0.run, $0.kpis) } == expected)
            #expect(expected.count == runs.count && Set(expected.map(\.key)) == Set(runs.map(\.key)))
            #expect(expected.allSatisfy { $0.status == "failed" ? $0.error != nil : !$0.kpis.isEmpty })

            // Merging the shards again changes nothing.
            for shard in shards { #expect(try merged.merge(shard) == 0) }
            #expect(try merged.runs().map { RunAnswer($0.run, $0.kpis) } == expected)
        }
    }
}
