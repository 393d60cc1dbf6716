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
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:1em 0;font-size:13px}
            th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}
            th:first-child,td:first-child{text-align:left}
            .up{color:#1a5fb4}.down{color:#c64600}.met{background:#dff3e0}.miss{background:#f8dede}
            .failed{background:#f8dede}.base{font-weight:bold}
            figure{display:inline-block;margin:0 1.5em 1.5em 0;vertical-align:top}
            </style></head><body>
            <h1>What-if study: \(escape(title))</h1>

            """
        let succeeded = entries.filter { $0.run.status == .succeeded }.count
        out += "<p>\(entries.count) runs, \(succeeded) succeeded, \(entries.count - succeeded) failed. "
        out += "Baseline: <b>\(escape(baseline?.run.runKey ?? "none"))</b>. Deltas are against the baseline.</p>\n"

        // Headline table.
        let columns = headlines
        out += "<h2>Key figures</h2>\n<table><tr><th>run</th>"
        for h in columns { out += "<th>\(escape(h.label))</th>" }
        out += "<th>targets met</th><th>seconds</th></tr>\n"
        for entry in entries {
            let isBase = entry.run.runKey == baseline?.run.runKey
            out += "<tr class=\"\(entry.run.status == .failed ? "failed" : isBase ? "base" : "")\"><td>\(escape(entry.run.runKey))</td>"
            for h in columns {
                guard let value = entry.values[h.kpi] else { out += "<td></td>"; continue }
                var cell = formatted(value, digits: h.digits)
                if !isBase, let d = delta(h.kpi, of: entry), d != 0 {
                    cell += " <span class=\"\(d > 0 ? "up" : "down")\">(\(d > 0 ? "+" : "")\(formatted(d, digits: h.digits)))</span>"
                }
                out += "<td>\(cell)</td>"
            }
            let met = targetsMet(entry)
            out += "<td>\(entry.run.status == .failed ? "failed" : "\(met.met)/\(met.of)")</td><td>\(formatted(entry.run.seconds, digits: 1))</td></tr>\n"
        }
        out += "</table>\n"

        // Targets.
        if !targetNames.isEmpty {
            out += "<h2>Targets</h2>\n<table><tr><th>run</th>"
            for name in targetNames { out += "<th>\(escape(name.replacingOccurrences(of: "target.", with: "")))</th>" }
            out += "</tr>\n"
            for entry in entries where entry.run.status == .succeeded {
                out += "<tr><td>\(escape(entry.run.runKey))</td>"
                for name in targetNames {
                    guard let t = entry.targets[name] else { out += "<td></td>"; continue }
                    out += "<td class=\"\(t.met == true ? "met" : "miss")\">\(formatted(t.value, digits: t.value < 10 ? 3 : 0))"
                    out += " \(t.comparison == "atMost" ? "≤" : "≥") \(formatted(t.target ?? 0, digits: (t.target ?? 0) < 10 ? 3 : 0))</td>"
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
            out += "<figure>" + BarChart.svg(title: chart.title, bars: bars, baseline: baseline?.values[chart.kpi], target: target) + "</figure>\n"
        }

        // Failures.
        let failures = entries.filter { $0.run.status == .failed }
        if !failures.isEmpty {
            out += "<h2>Failed runs</h2>\n<table><tr><th>run</th><th>file</th><th>error</th></tr>\n"
            for entry in failures {
                out += "<tr class=\"failed\"><td>\(escape(entry.run.runKey))</td><td>\(escape(entry.run.scenarioFile))</td>"
                out += "<td style=\"text-align:left;white-space:pre-wrap\">\(escape(entry.run.error ?? ""))</td></tr>\n"
            }
            out += "</table>\n"
        }

        // Every KPI.
        let shown = entries.filter { $0.run.status == .succeeded }
        out += "<h2>Every KPI</h2>\n<details><summary>\(kpiNames.count) KPIs × \(shown.count) runs</summary><table><tr><th>KPI</th>"
        for entry in shown { out += "<th>\(escape(entry.run.runKey))</th>" }
        out += "</tr>\n"
        for name in kpiNames {
            out += "<tr><td>\(escape(name))</td>"
            for entry in shown { out += "<td>\(entry.values[name].map { formatted($0, digits: abs($0) < 10 ? 3 : 0) } ?? "")</td>" }
            out += "</tr>\n"
        }
        out += "</table></details>\n"
        out += "<p>Runs: \(escape(entries.map(\.run.codeVersion).first ?? "")); seeds, inputs hashes and timings are in the database's run table.</p>\n"
        out += "</body></html>\n"
        return out
    }
}

/// Horizontal bar charts in SVG, one bar per run.
enum BarChart {
    /// An SVG chart of `bars` (label, value), with dashed lines at the baseline and target values.
    static func svg(title: String, bars: [(String, Double)], baseline: Double?, target: Double?) -> String {
        let labelWidth = 230.0, plotWidth = 330.0, barHeight = 16.0, gap = 4.0, top = 40.0
        let height = top + Double(bars.count) * (barHeight + gap) + 24
        let top0 = max(bars.map(\.1).max() ?? 0, target ?? 0, baseline ?? 0)
        let scale = top0 > 0 ? plotWidth / (top0 * 1.08) : 0
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + plotWidth + 80))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        svg += "<text x=\"4\" y=\"15\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
        for (i, (label, value)) in bars.enumerated() {
            let y = top + Double(i) * (barHeight + gap)
            let shown = label.count > 36 ? String(label.prefix(35)) + "…" : label
            svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Int(y + 12))\" text-anchor=\"end\">\(escape(shown))</text>"
            svg += String(format: "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\" fill=\"#4a78b5\"/>",
                          labelWidth, y, max(0, value * scale), barHeight)
            svg += String(format: "<text x=\"%.1f\" y=\"%.0f\">%@</text>", labelWidth + max(0, value * scale) + 4, y + 12,
                          formatted(value, digits: abs(value) < 10 ? 3 : 0))
        }
        let bottom = top + Double(bars.count) * (barHeight + gap)
        for (value, colour, name) in [(baseline, "#555", "baseline"), (target, "#c0392b", "target")] {
            guard let value else { continue }
            let x = labelWidth + value * scale
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"%@\" stroke-dasharray=\"4 3\"/>",
                          x, top - 4, x, bottom, colour)
            let labelY = name == "target" ? bottom + 14 : top - 8
            svg += String(format: "<text x=\"%.1f\" y=\"%.0f\" fill=\"%@\" text-anchor=\"middle\">%@</text>", x, labelY, colour, name)
        }
        return svg + "</svg>"
    }
}

/// A number with thousands separators and `digits` decimals: 12,345.6.
func formatted(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return String(value) }
    let text = String(format: "%.\(max(0, digits))f", abs(value))
    let parts = text.split(separator: ".", maxSplits: 1)
    var whole = String(parts[0])
    var grouped = ""
    while whole.count > 3 {
        grouped = "," + whole.suffix(3) + grouped
        whole.removeLast(3)
    }
    let sign = value < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : ""
    return sign + whole + grouped + (parts.count > 1 ? "." + parts[1] : "")
}

/// Text safe inside HTML and SVG.
func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
