import Foundation
import Reports

extension PlanReport {
    /// A table for people: summary, shipments that are not fully planned, binding services.
    func table(limit: Int = 25) -> String {
        var out = String(format: "Plan on %@: %d shipments, %.1f TEU; %d planned, %d partial, %d unmet (%.1f TEU planned)\n",
                         network, summary.shipments, summary.teuRequested, summary.planned, summary.partial, summary.unmet,
                         summary.teuPlanned)
        out += "Objective \(objective)\(integer ? " (integer departures)" : ""), horizon \(weeks) weeks from \(horizonStart), \(iterations) column-generation iterations\n"
        out += "Total cost \(money(totalCostUSD)) USD\(lowerBoundUSD.map { ", LP bound \(money($0))" } ?? ""), CO2e \(money(summary.co2eKg / 1000)) t\n"
        let rows = shipments.prefix(limit).map { s -> [String] in
            let first = s.routes.first
            return [s.id, s.status, "\(s.origin)→\(s.destination)", String(format: "%g", s.teu), s.cargo, money(s.costUSD),
                    first.map { String(format: "%.1f", $0.days) } ?? "", first?.modes ?? "", String(s.routes.count),
                    first?.departure.prefix(10).description ?? ""]
        }
        out += "\n" + TextTable(header: ["shipment", "status", "from→to", "TEU", "cargo", "cost USD", "days", "modes", "routes", "ETD"],
                                rows: rows, rightAligned: [3, 5, 6, 8]).render()
        if shipments.count > limit { out += "… \(shipments.count - limit) more (use --format json for all)\n" }
        let notPlanned = shipments.filter { $0.status != "planned" }
        if !notPlanned.isEmpty {
            out += "\nNot fully planned:\n"
            for s in notPlanned.prefix(limit) {
                out += "  \(s.id) \(s.status) (\(String(format: "%g", s.unmetTEU)) TEU unmet): \(s.reason ?? "")\n"
            }
            if notPlanned.count > limit { out += "  … \(notPlanned.count - limit) more\n" }
        }
        let binding = services.filter(\.binding)
        if !binding.isEmpty {
            out += "\nBinding capacities (one more TEU a week on the service would save, over the horizon):\n"
            let rows = binding.prefix(limit).map { s in
                [s.id, s.mode, "\(s.from)→\(s.to)", String(format: "%.0f", s.capacityTEU), String(format: "%.0f", s.usedTEU),
                 money(s.dualUSDPerTEU), s.maxDeparturesNeeded.map(String.init) ?? ""]
            }
            out += TextTable(header: ["service", "mode", "from→to", "TEU/week", "used (peak)", "saves USD/TEU", integer ? "departures" : ""],
                             rows: rows, rightAligned: [3, 4, 5, 6]).render(indent: "  ")
        }
        if integer {
            let lines = services.filter { ($0.maxDeparturesNeeded ?? 0) > 0 }
                .sorted { ($0.maxDeparturesNeeded ?? 0) > ($1.maxDeparturesNeeded ?? 0) }
            out += "\nWhole departures needed (busiest week, then weeks 0 to \(weeks - 1); · = none) on \(lines.count) lines:\n"
            let rows = lines.prefix(limit).map { s in
                var perWeek = Array(repeating: "·", count: weeks)
                for week in s.weeks where perWeek.indices.contains(week.week) {
                    if let count = week.departuresNeeded, count > 0 { perWeek[week.week] = String(count) }
                }
                return [s.id, s.mode, "\(s.from)→\(s.to)", String(s.maxDeparturesNeeded ?? 0), String(format: "%g", s.departuresPerWeek),
                        String(format: "%.0f", s.usedTEU), perWeek.joined(separator: " ")]
            }
            out += TextTable(header: ["service", "mode", "from→to", "departures", "timetable/week", "TEU (peak)", "per week"], rows: rows,
                             rightAligned: [3, 4, 5]).render(indent: "  ")
            if lines.count > limit { out += "  … \(lines.count - limit) more\n" }
        }
        return out
    }
}
