import NetworkData
import Foundation

/// The runs of a results database side by side, with deltas against a baseline run.
public struct StudyComparison: Sendable {
    /// One run as compared.
    public struct Entry: Sendable {
        public var run: RunRecord
        /// KPI name → value (only those measured).
        public var values: [String: Double]
        /// Targets of the run, by name.
        public var targets: [String: KPIRecord]
        /// KPI name → why the run measured nothing for it (stored as NULL).
        public var notMeasured: [String: String] = [:]
    }

    /// A headline column: a KPI, its short label and how to print it.
    public struct Headline: Sendable, Hashable {
        public var kpi: String
        public var label: String
        /// Decimal places.
        public var digits: Int
    }

    public var entries: [Entry]
    /// The run deltas are taken against (nil when the database has no succeeded run).
    public var baseline: Entry?
    /// Every KPI name found, sorted.
    public var kpiNames: [String]
    /// Every target name found, in first-seen order.
    public var targetNames: [String]

    /// The headline KPIs, in column order; those absent from every run are left out.
    public static let headlineCandidates: [Headline] = [
        .init(kpi: "simulate.chinaEuropeTrains", label: "CE trains", digits: 0),
        .init(kpi: "simulate.ckgInternationalRoutes", label: "CKG routes", digits: 0),
        .init(kpi: "simulate.landSeaCorridorTEU", label: "LSC TEU", digits: 0),
        .init(kpi: "simulate.landSeaTransitShare", label: "transit", digits: 3),
        .init(kpi: "simulate.hubMultimodalTEU", label: "hub TEU", digits: 0),
        .init(kpi: "simulate.onTimeRate", label: "on time", digits: 3),
        .init(kpi: "simulate.costUSDPerTEU", label: "USD/TEU", digits: 0),
        .init(kpi: "simulate.co2eKgPerTEU", label: "kg CO2e/TEU", digits: 0),
        .init(kpi: "plan.plannedTEU", label: "plan TEU", digits: 0),
        .init(kpi: "plan.unmetTEU", label: "unmet TEU", digits: 0),
        .init(kpi: "plan.costUSDPerTEU", label: "plan USD/TEU", digits: 0),
        .init(kpi: "plan.co2eKgPerTEU", label: "plan kg/TEU", digits: 0),
    ]

    /// Compares the runs of `store`.
    ///
    /// - Parameter baseline: a run key or scenario name; nil picks the run key `baseline`,
    ///   else the first run key containing "baseline", else the first succeeded run.
    /// - Throws: ``StoreError`` on a database problem, or when `baseline` names no run.
    public init(store: ResultsStore, baseline: String?) throws(StoreError) {
        let rows = try store.runs()
        entries = rows.map { run, kpis in
            Entry(run: run,
                  values: Dictionary(kpis.compactMap { kpi in kpi.value.map { (kpi.name, $0) } }, uniquingKeysWith: { a, _ in a }),
                  targets: Dictionary(kpis.filter { $0.met != nil }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }),
                  notMeasured: Dictionary(kpis.filter { $0.value == nil }.map { ($0.name, $0.reason ?? "nothing to measure") },
                                          uniquingKeysWith: { a, _ in a }))
        }
        kpiNames = Set(entries.flatMap { Array($0.values.keys) + Array($0.notMeasured.keys) }).sorted()
        var seen: [String] = []
        for (_, kpis) in rows { for kpi in kpis where kpi.met != nil && !seen.contains(kpi.name) { seen.append(kpi.name) } }
        targetNames = seen
        let succeeded = entries.filter { $0.run.status == .succeeded }
        if let baseline {
            guard let match = succeeded.first(where: { $0.run.runKey == baseline })
                    ?? succeeded.first(where: { $0.run.scenario == baseline }) else {
                let names = succeeded.map(\.run.runKey).prefix(20).joined(separator: ", ")
                throw StoreError(message: "--baseline '\(baseline)': no succeeded run has that key or scenario name; expected one of \(names)")
            }
            self.baseline = match
        } else {
            self.baseline = succeeded.first { $0.run.runKey == "baseline" }
                ?? succeeded.first { $0.run.runKey.contains("baseline") } ?? succeeded.first
        }
    }

    /// The headline columns with a value in at least one run.
    public var headlines: [Headline] {
        Self.headlineCandidates.filter { h in entries.contains { $0.values[h.kpi] != nil } }
    }

    /// `value − baseline` of `kpi` for `entry`, if both exist.
    public func delta(_ kpi: String, of entry: Entry) -> Double? {
        guard let value = entry.values[kpi], let base = baseline?.values[kpi] else { return nil }
        return value - base
    }

    /// Targets met by `entry` out of the targets it was checked against.
    public func targetsMet(_ entry: Entry) -> (met: Int, of: Int) {
        (entry.targets.values.filter { $0.met == true }.count, entry.targets.count)
    }

    /// Long CSV: one row per run and KPI, with the baseline value, the delta and the target.
    ///
    /// - Complexity: O(r · k) for r runs and k KPIs.
    public func csv() -> String {
        var out = "run,scenario,grid,status,kpi,value,baseline,delta,deltaPercent,target,comparison,met\n"
        for entry in entries {
            let prefix = [entry.run.runKey, entry.run.scenario, entry.run.grid, entry.run.status.rawValue].map(csvField)
            if entry.run.status == .failed {
                out += (prefix + ["", "", "", "", "", "", "", ""]).joined(separator: ",") + "\n"
                continue
            }
            for name in kpiNames {
                if entry.values[name] == nil, entry.notMeasured[name] != nil {
                    // Not measured: an empty value (never 0); the target columns still say what was asked.
                    let target = entry.targets[name]
                    let cells = [name, "", "", "", "", target?.target.map(number) ?? "", target?.comparison ?? "",
                                 target?.met.map { $0 ? "true" : "false" } ?? ""]
                    out += (prefix + cells.map(csvField)).joined(separator: ",") + "\n"
                    continue
                }
                guard let value = entry.values[name] else { continue }
                let base = baseline?.values[name]
                let delta = base.map { value - $0 }
                let percent = base.flatMap { $0 != 0 ? (value - $0) / abs($0) * 100 : nil }
                let target = entry.targets[name]
                let cells = [name, number(value), base.map(number) ?? "", delta.map(number) ?? "", percent.map { number(($0 * 100).rounded() / 100) } ?? "",
                             target?.target.map(number) ?? "", target?.comparison ?? "", target?.met.map { $0 ? "true" : "false" } ?? ""]
                out += (prefix + cells.map(csvField)).joined(separator: ",") + "\n"
            }
        }
        return out
    }
}

/// A number for CSV and tables: up to 6 significant decimals, no exponent for ordinary sizes.
func number(_ value: Double) -> String {
    if value.rounded() == value && abs(value) < 1e15 { return String(Int64(value)) }
    var text = String(format: "%.6f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}

/// An RFC 4180 field.
func csvField(_ text: String) -> String {
    text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
}
