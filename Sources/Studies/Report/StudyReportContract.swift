import Reports

extension StudyComparison {
    /// The comparison as the `study report --format json` contract.
    ///
    /// - Parameter database: the database's file name, shown in the report.
    /// - Complexity: O(r · k) for r runs and k KPIs.
    public func report(database: String) -> StudyReport {
        let baselineKey = baseline?.run.runKey
        let runs = entries.map { entry -> StudyReport.Run in
            let isBaseline = entry.run.runKey == baselineKey
            var deltas: [String: Double] = [:]
            if !isBaseline { for name in entry.values.keys { deltas[name] = delta(name, of: entry) } }
            let targets = targetNames.compactMap { name in
                entry.targets[name].flatMap { kpi in
                    kpi.met.map { StudyReport.Target(name: name, value: kpi.value, target: kpi.target, comparison: kpi.comparison, met: $0,
                                                     reason: kpi.reason) }
                }
            }
            return StudyReport.Run(
                runKey: entry.run.runKey, scenario: entry.run.scenario, grid: entry.run.grid, engines: entry.run.engines,
                seed: entry.run.seed, inputsHash: entry.run.inputsHash, codeVersion: entry.run.codeVersion,
                status: entry.run.status.rawValue, error: entry.run.error, seconds: entry.run.seconds, isBaseline: isBaseline,
                kpis: entry.values, deltas: deltas, targets: targets, targetsMet: targetsMet(entry).met)
        }
        var report = StudyReport(database: database, baseline: baselineKey,
                                 headlines: headlines.map { StudyReport.Headline(kpi: $0.kpi, label: $0.label, digits: $0.digits) },
                                 runs: runs)
        let groups = replicatedGroups
        if !groups.isEmpty {
            report.replicated = groups.map { g in
                StudyReport.Replicated(label: g.label, scenario: g.scenario, grid: g.grid, seeds: g.seeds, isBaseline: g.isBaseline,
                                       pairedSeeds: g.pairedSeeds, kpis: g.kpis.mapValues(SimulationReport.Interval.init),
                                       deltas: g.deltas.mapValues(SimulationReport.Interval.init))
            }
        }
        return report
    }
}
