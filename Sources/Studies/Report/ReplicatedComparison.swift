import NetworkData
import Simulation

/// The runs of one scenario (and grid values other than the seed) over several seeds: each KPI's
/// mean and 95 % interval, and the paired deltas against the baseline's runs of the same seeds
/// (common random numbers: the same seed gives both scenarios the same arrivals where their
/// inputs agree, so the paired deltas vary far less than the difference of two independent means).
public struct ReplicatedGroup: Sendable {
    public var scenario: String
    /// The grid values without the seed (`demandFactor=1.25`; empty without a grid).
    public var grid: String
    /// `scenario` or `scenario[grid]`.
    public var label: String
    /// The seeds of the group's succeeded runs, ascending.
    public var seeds: [Int64]
    public var isBaseline: Bool
    /// KPIs every run of the group has, with mean and interval.
    public var kpis: [String: MeanInterval]
    /// Seeds the group shares with the baseline group.
    public var pairedSeeds: [Int64]
    /// `value − baseline value` on each shared seed, with mean and interval (two shared seeds or more).
    public var deltas: [String: MeanInterval]
}

extension StudyComparison {
    /// The grid label of `run` without its seed.
    static func gridWithoutSeed(_ grid: String) -> String {
        grid.split(separator: ",").filter { !$0.hasPrefix("seed=") }.joined(separator: ",")
    }

    /// Succeeded runs grouped by scenario and grid values other than the seed, with intervals and
    /// paired deltas; empty when no group has two seeds or more (a study without replications).
    ///
    /// - Complexity: O(r · k) for r runs and k KPIs.
    public var replicatedGroups: [ReplicatedGroup] {
        var order: [String] = []
        var members: [String: [Entry]] = [:]
        // Headroom steps have their own section (one factor per step, not replications of a scenario).
        for entry in entries where entry.run.status == .succeeded && entry.run.engines != "headroom" {
            let grid = Self.gridWithoutSeed(entry.run.grid)
            let key = grid.isEmpty ? entry.run.scenario : "\(entry.run.scenario)[\(grid)]"
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(entry)
        }
        guard members.values.contains(where: { Set($0.map(\.run.seed)).count >= 2 }) else { return [] }
        let baselineKey = baseline.map { b in
            let grid = Self.gridWithoutSeed(b.run.grid)
            return grid.isEmpty ? b.run.scenario : "\(b.run.scenario)[\(grid)]"
        }
        // One run per seed (the first in key order).
        func bySeed(_ list: [Entry]) -> [Int64: Entry] {
            Dictionary(list.map { ($0.run.seed, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let base = baselineKey.flatMap { members[$0] }.map(bySeed) ?? [:]
        return order.map { key in
            let runs = bySeed(members[key]!)
            let seeds = runs.keys.sorted()
            let first = runs[seeds[0]]!
            var kpis: [String: MeanInterval] = [:]
            for name in Set(runs.values.flatMap(\.values.keys)) {
                let values = seeds.compactMap { runs[$0]?.values[name] }
                if values.count == seeds.count, let interval = MeanInterval(values) { kpis[name] = interval }
            }
            let paired = seeds.filter { base[$0] != nil }
            var deltas: [String: MeanInterval] = [:]
            if key != baselineKey {
                for name in kpis.keys {
                    let values = paired.compactMap { seed -> Double? in
                        guard let a = runs[seed]?.values[name], let b = base[seed]?.values[name] else { return nil }
                        return a - b
                    }
                    if values.count == paired.count, let interval = MeanInterval(values) { deltas[name] = interval }
                }
            }
            return ReplicatedGroup(scenario: first.run.scenario, grid: Self.gridWithoutSeed(first.run.grid), label: key, seeds: seeds,
                                   isBaseline: key == baselineKey, kpis: kpis, pairedSeeds: paired, deltas: deltas)
        }
    }
}
