import Foundation
import Testing
@testable import Studies

@Suite("Replicated comparison")
struct ReplicatedComparisonTests {
    func store() throws -> ResultsStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replicated-\(UUID().uuidString).sqlite").path
        return try ResultsStore(path: path)
    }

    func add(_ store: ResultsStore, scenario: String, seed: Int64, grid: String? = nil, value: Double) throws {
        let now = Date()
        let grid = grid ?? "seed=\(seed)"
        try store.record(RunRecord(runKey: "\(scenario)[\(grid)]", scenario: scenario, scenarioFile: "\(scenario).yaml", grid: grid,
                                   inputsHash: "h", seed: seed, codeVersion: "test", engines: "simulate", status: .succeeded,
                                   startedAt: now, finishedAt: now, seconds: 0, host: "test"),
                         kpis: [KPIValue(name: "simulate.onTimeRate", value: value)])
    }

    /// Baseline 10, 20, 30 and scenario 12, 23, 31 on seeds 1–3 (plus a seed 4 the baseline lacks):
    /// paired differences 2, 3, 1: mean 2, s = 1, half-width t(0.975, 2) · 1/√3 = 4.3027/1.7321 = 2.4842.
    /// Unpaired, the scenario's own mean over seeds 1–4 is (12 + 23 + 31 + 40)/4 = 26.5.
    @Test func pairedDeltasMatchTheHandComputation() throws {
        let store = try store()
        for (seed, value) in zip(1...3, [10.0, 20, 30]) { try add(store, scenario: "baseline", seed: Int64(seed), value: value) }
        for (seed, value) in zip(1...4, [12.0, 23, 31, 40]) { try add(store, scenario: "more", seed: Int64(seed), value: value) }
        let comparison = try StudyComparison(store: store, baseline: nil)
        let groups = comparison.replicatedGroups
        #expect(groups.map(\.label) == ["baseline", "more"])
        let more = try #require(groups.first { $0.scenario == "more" })
        #expect(more.seeds == [1, 2, 3, 4] && more.pairedSeeds == [1, 2, 3])
        let delta = try #require(more.deltas["simulate.onTimeRate"])
        #expect(abs(delta.mean - 2) < 1e-12 && abs(delta.standardDeviation - 1) < 1e-12)
        #expect(abs(delta.halfWidth - 2.4842) < 1e-4)
        #expect(abs((more.kpis["simulate.onTimeRate"]?.mean ?? 0) - 26.5) < 1e-12)
        #expect(groups.first { $0.isBaseline }?.deltas.isEmpty == true)
    }

    /// Grid values other than the seed split groups; a study without repeated seeds has none.
    @Test func groupsByGridWithoutTheSeedAndOnlyWithReplications() throws {
        let store = try store()
        try add(store, scenario: "baseline", seed: 1, grid: "", value: 1)
        try add(store, scenario: "other", seed: 1, grid: "", value: 2)
        #expect(try StudyComparison(store: store, baseline: nil).replicatedGroups.isEmpty)
        for seed in [1, 2] as [Int64] {
            try add(store, scenario: "grown", seed: seed, grid: "seed=\(seed),demandFactor=1.5", value: Double(seed))
            try add(store, scenario: "grown", seed: seed, grid: "demandFactor=2,seed=\(seed)", value: Double(seed) * 2)
        }
        let labels = try StudyComparison(store: store, baseline: nil).replicatedGroups.map(\.label)
        #expect(labels.contains("grown[demandFactor=1.5]") && labels.contains("grown[demandFactor=2]"), "\(labels)")
    }
}
