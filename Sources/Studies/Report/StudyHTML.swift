import Markup
import NetworkData
import Foundation

extension StudyComparison {
    /// The charts of the HTML report: KPI, title, and the target line when there is one.
    static let charts: [(kpi: String, title: String, target: String?)] = [
        ("simulate.chinaEuropeTrains", "China-Europe trains per year", "target.chinaEuropeTrainsPerYear"),
        ("simulate.ckgInternationalRoutes", "CKG international air routes", "target.ckgInternationalRoutes"),
        ("simulate.landSeaCorridorTEU", "Land-Sea Corridor TEU", nil),
        ("simulate.costUSDPerTEU", "Cost per TEU delivered (USD)", nil),
        ("simulate.co2eKgPerTEU", "CO2e per TEU delivered (kg)", nil),
        ("simulate.onTimeRate", "Share of shipments on time", nil),
        ("plan.costUSDPerTEU", "Plan: cost per TEU (USD)", nil),
        ("plan.unmetTEU", "Plan: TEU left unmet", nil),
    ]

    /// A self-contained HTML report: the headline table with deltas, the targets, SVG bar
    /// charts per KPI, failed runs with their errors, and every KPI.
    ///
    /// - Parameter title: the page title (e.g. the database's file name).
    /// - Complexity: O(r · k) for r runs and k KPIs.
    public func html(title: String) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(title))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:1em 0;font-size:13px}
            th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}
            th:first-child,td:first-child{text-align:left}
            .up{color:#1a5fb4}.down{color:#c64600}.met{background:#dff3e0}.miss{background:#f8dede}
            .failed{background:#f8dede}.base{font-weight:bold}
            figure{display:inline-block;margin:0 1.5em 1.5em 0;vertical-align:top}
            </style></head><body>
            <h1>What-if study: \(HTMLText.escape(title))</h1>

            """
        let succeeded = entries.filter { $0.run.status == .succeeded }.count
        out += "<p>\(entries.count) runs, \(succeeded) succeeded, \(entries.count - succeeded) failed. "
        out += "Baseline: <b>\(HTMLText.escape(baseline?.run.runKey ?? "none"))</b>. Deltas are against the baseline.</p>\n"

        // Headline table.
        let columns = headlines
        out += "<h2>Key figures</h2>\n<table><tr><th>run</th>"
        for h in columns { out += "<th>\(HTMLText.escape(h.label))</th>" }
        out += "<th>targets met</th><th>seconds</th></tr>\n"
        for entry in entries {
            let isBase = entry.run.runKey == baseline?.run.runKey
            out += "<tr class=\"\(entry.run.status == .failed ? "failed" : isBase ? "base" : "")\"><td>\(HTMLText.escape(entry.run.runKey))</td>"
            for h in columns {
                guard let value = entry.values[h.kpi] else { out += "<td></td>"; continue }
                var cell = NumberText.grouped(value, digits: h.digits)
                if !isBase, let d = delta(h.kpi, of: entry), d != 0 {
                    cell += " <span class=\"\(d > 0 ? "up" : "down")\">(\(d > 0 ? "+" : "")\(NumberText.grouped(d, digits: h.digits)))</span>"
                }
                out += "<td>\(cell)</td>"
            }
            let met = targetsMet(entry)
            out += "<td>\(entry.run.status == .failed ? "failed" : "\(met.met)/\(met.of)")</td><td>\(NumberText.grouped(entry.run.seconds, digits: 1))</td></tr>\n"
        }
        out += "</table>\n"

        // Targets.
        if !targetNames.isEmpty {
            out += "<h2>Targets</h2>\n<table><tr><th>run</th>"
            for name in targetNames { out += "<th>\(HTMLText.escape(name.replacingOccurrences(of: "target.", with: "")))</th>" }
            out += "</tr>\n"
            for entry in entries where entry.run.status == .succeeded {
                out += "<tr><td>\(HTMLText.escape(entry.run.runKey))</td>"
                for name in targetNames {
                    guard let t = entry.targets[name] else { out += "<td></td>"; continue }
                    guard let value = t.value else {
                        out += "<td class=\"miss\" title=\"\(HTMLText.escape(t.reason ?? ""))\">not measured</td>"
                        continue
                    }
                    out += "<td class=\"\(t.met == true ? "met" : "miss")\">\(NumberText.grouped(value, digits: value < 10 ? 3 : 0))"
                    out += " \(t.comparison == "atMost" ? "≤" : "≥") \(NumberText.grouped(t.target ?? 0, digits: (t.target ?? 0) < 10 ? 3 : 0))</td>"
                }
                out += "</tr>\n"
            }
            out += "</table>\n"
        }

        // Charts.
        out += "<h2>Charts</h2>\n"
        for chart in Self.charts {
            let bars = entries.compactMap { e in e.values[chart.kpi].map { (e.run.runKey, $0) } }
            guard !bars.isEmpty else { continue }
            let target = chart.target.flatMap { name in entries.lazy.compactMap { $0.targets[name]?.target }.first }
            out += "<figure>" + SVGChart.bars(title: chart.title, bars: bars, baseline: baseline?.values[chart.kpi], target: target) + "</figure>\n"
        }

        // Replications: means with intervals, paired deltas against the baseline.
        let groups = replicatedGroups
        if !groups.isEmpty {
            out += "<h2>Replications</h2>\n<p>Means with 95 % confidence intervals (Student t). Deltas are paired on the seeds the "
            out += "baseline also ran (common random numbers), with the 95 % interval of the paired differences.</p>\n"
            out += "<table><tr><th>scenario</th><th>seeds</th>"
            for h in columns { out += "<th>\(HTMLText.escape(h.label))</th>" }
            out += "</tr>\n"
            for g in groups {
                out += "<tr class=\"\(g.isBaseline ? "base" : "")\"><td>\(HTMLText.escape(g.label))</td><td>\(g.seeds.count)</td>"
                for h in columns {
                    guard let k = g.kpis[h.kpi] else { out += "<td></td>"; continue }
                    var cell = "\(NumberText.grouped(k.mean, digits: h.digits)) ± \(NumberText.grouped(k.halfWidth, digits: h.digits))"
                    if let d = g.deltas[h.kpi] {
                        let significant = d.low > 0 || d.high < 0
                        cell += "<br><span class=\"\(d.mean > 0 ? "up" : "down")\">(\(d.mean > 0 ? "+" : "")\(NumberText.grouped(d.mean, digits: h.digits))"
                        cell += " ± \(NumberText.grouped(d.halfWidth, digits: h.digits))\(significant ? "" : ", n.s.")</span>"
                    }
                    out += "<td>\(cell)</td>"
                }
                out += "</tr>\n"
            }
            out += "</table>\n"
        }

        // Headroom: service level against the demand factor.
        let headroomRuns = entries.filter { $0.run.status == .succeeded && $0.values["headroom.factor"] != nil }
        if !headroomRuns.isEmpty {
            out += "<h2>Headroom</h2>\n"
            var series: [(name: String, points: [(x: Double, y: Double)], joined: Bool)] = []
            for scenario in Array(Set(headroomRuns.map(\.run.scenario))).sorted() {
                let runs = headroomRuns.filter { $0.run.scenario == scenario }
                let seeds = runs.compactMap { e in e.values["simulate.onTimeRate"].map { (x: e.values["headroom.factor"]!, y: $0) } }
                var means: [Double: Double] = [:]
                for e in runs { if let m = e.values["headroom.stepOnTimeRate"] { means[e.values["headroom.factor"]!] = m } }
                series.append(("\(scenario): seeds", seeds, false))
                series.append(("\(scenario): step mean", means.map { (x: $0.key, y: $0.value) }, true))
                if let summary = entries.first(where: { $0.run.runKey == HeadroomStudy.keyPrefix(scenario) + "]" }),
                   let limit = summary.values["headroom.limitFactor"] {
                    out += "<p>\(HTMLText.escape(scenario)): largest demand factor that holds \(NumberText.grouped(limit, digits: 3))"
                    if let failed = summary.values["headroom.failedFactor"] { out += " (fails at \(NumberText.grouped(failed, digits: 3)))" }
                    if let trains = summary.values["headroom.atLimit.chinaEuropeTrains"] {
                        out += "; there \(NumberText.grouped(trains, digits: 0)) China-Europe trains"
                    }
                    out += "; first to bind: \(HTMLText.escape(summary.run.bottleneck ?? "none")).</p>\n"
                }
            }
            let criterion = entries.lazy.compactMap { $0.values["headroom.criterion.on-time"] }.first
            out += "<figure>" + SVGChart.scatter(title: "Service level against demand", xLabel: "demand factor (grown lanes)",
                                                 yLabel: "on-time rate", series: series,
                                                 reference: criterion.map { (y: $0, label: "criterion") }) + "</figure>\n"
        }

        // Failures.
        let failures = entries.filter { $0.run.status == .failed }
        if !failures.isEmpty {
            out += "<h2>Failed runs</h2>\n<table><tr><th>run</th><th>file</th><th>error</th></tr>\n"
            for entry in failures {
                out += "<tr class=\"failed\"><td>\(HTMLText.escape(entry.run.runKey))</td><td>\(HTMLText.escape(entry.run.scenarioFile))</td>"
                out += "<td style=\"text-align:left;white-space:pre-wrap\">\(HTMLText.escape(entry.run.error ?? ""))</td></tr>\n"
            }
            out += "</table>\n"
        }

        // Every KPI.
        let shown = entries.filter { $0.run.status == .succeeded }
        out += "<h2>Every KPI</h2>\n<details><summary>\(kpiNames.count) KPIs × \(shown.count) runs</summary><table><tr><th>KPI</th>"
        for entry in shown { out += "<th>\(HTMLText.escape(entry.run.runKey))</th>" }
        out += "</tr>\n"
        for name in kpiNames {
            out += "<tr><td>\(HTMLText.escape(name))</td>"
            for entry in shown { out += "<td>\(entry.values[name].map { NumberText.grouped($0, digits: abs($0) < 10 ? 3 : 0) } ?? "")</td>" }
            out += "</tr>\n"
        }
        out += "</table></details>\n"
        out += "<p>Runs: \(HTMLText.escape(entries.map(\.run.codeVersion).first ?? "")); seeds, inputs hashes and timings are in the database's run table.</p>\n"
        out += "</body></html>\n"
        return out
    }
}
