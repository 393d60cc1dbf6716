import Foundation
import NetworkData
import Simulation
import BuildInfo

/// A headroom search as a study (`study headroom`): every step × seed and a summary row in the
/// results database, so `study report` can chart service level against the demand factor.
public enum HeadroomStudy {
    /// The run-key prefix of a scenario's headroom rows.
    public static func keyPrefix(_ scenario: String) -> String { "\(scenario)[headroom" }

    /// Replaces the scenario's earlier headroom rows with the steps of `answer` and a summary row.
    ///
    /// Step rows: key `NAME[headroom,step=NN,seed=S]`, grid `demandFactor=F,seed=S`, engines
    /// `headroom`, KPIs `simulate.*` of that seed and `headroom.factor`, `headroom.step`,
    /// `headroom.held` (1 when the step held on the seed mean), `headroom.stepOnTimeRate` (the
    /// seed mean), `headroom.backlogShare`, `headroom.worstQueueP90WaitHours`. Summary row: key
    /// `NAME[headroom]`, KPIs `headroom.limitFactor`, `headroom.failedFactor`, `headroom.tolerance`,
    /// the key figures at the limit, the criteria and the relief gains.
    ///
    /// - Throws: ``StoreError`` when the database cannot be written.
    /// - Complexity: O(steps · seeds · k) rows for k KPIs.
    public static func record(_ answer: HeadroomAnswer, scenario: Scenario, inputsHash: String, store: ResultsStore,
                              started: Date) throws(StoreError) {
        try store.deleteRuns(keyPrefix: keyPrefix(scenario.name))
        let host = ProcessInfo.processInfo.hostName
        let finished = Date()
        func record(key: String, grid: String, seed: UInt64, kpis: [KPIValue], bottleneck: String?) throws(StoreError) {
            let row = RunRecord(runKey: key, scenario: scenario.name, scenarioFile: scenario.file, grid: grid, inputsHash: inputsHash,
                                seed: Int64(seed), codeVersion: ToolVersion.current, engines: "headroom", status: .succeeded,
                                bottleneck: bottleneck, startedAt: started, finishedAt: finished,
                                seconds: finished.timeIntervalSince(started), host: host, shard: nil)
            try store.record(row, kpis: kpis.filter { $0.value.map(\.isFinite) ?? true })
        }
        for (index, step) in answer.base.steps.enumerated() {
            for run in step.runs {
                var kpis = run.kpis.map { KPIValue(name: "simulate.\($0.key)", value: $0.value) }
                kpis += [
                    KPIValue(name: "headroom.factor", value: step.factor),
                    KPIValue(name: "headroom.step", value: Double(index + 1)),
                    KPIValue(name: "headroom.held", value: step.held ? 1 : 0),
                    KPIValue(name: "headroom.stepOnTimeRate", value: step.onTimeRate),
                    KPIValue(name: "headroom.backlogShare", value: run.backlogShare),
                    KPIValue(name: "headroom.worstQueueP90WaitHours", value: run.p90WaitHours.values.max() ?? 0),
                ]
                let grid = "demandFactor=\(format(step.factor)),seed=\(run.seed)"
                try record(key: "\(keyPrefix(scenario.name)),step=\(String(format: "%02d", index + 1)),seed=\(run.seed)]", grid: grid,
                           seed: run.seed, kpis: kpis, bottleneck: run.bottlenecks.first?.name)
            }
        }
        var summary: [KPIValue] = []
        if let limit = answer.base.limitFactor { summary.append(KPIValue(name: "headroom.limitFactor", value: limit)) }
        if let failed = answer.base.smallestFailed { summary.append(KPIValue(name: "headroom.failedFactor", value: failed.factor)) }
        if let tolerance = answer.base.tolerance { summary.append(KPIValue(name: "headroom.tolerance", value: tolerance)) }
        if let held = answer.base.largestHeld {
            for kpi in ["chinaEuropeTrains", "landSeaCorridorTEU", "ckgInternationalRoutes", "onTimeRate"] {
                if let mean = held.mean(kpi) { summary.append(KPIValue(name: "headroom.atLimit.\(kpi)", value: mean)) }
            }
        }
        for criterion in answer.search.criteria {
            summary.append(KPIValue(name: "headroom.criterion.\(criterion.key)", value: criterion.limit))
        }
        for relief in answer.reliefs {
            let id = relief.resource.description.replacingOccurrences(of: " ", with: ":")
            if let limit = relief.outcome.limitFactor, let base = answer.base.limitFactor {
                summary.append(KPIValue(name: "headroom.relief.\(id).factorGain", value: limit - base))
            }
            if let a = relief.outcome.largestHeld?.mean("chinaEuropeTrains"), let b = answer.base.largestHeld?.mean("chinaEuropeTrains") {
                summary.append(KPIValue(name: "headroom.relief.\(id).chinaEuropeTrainsGain", value: a - b))
            }
        }
        let first = answer.firstToBind.map { "\($0.criterion) at \($0.resource)" }
        try record(key: "\(keyPrefix(scenario.name))]", grid: "", seed: answer.search.options.seed, kpis: summary, bottleneck: first)
    }
}
