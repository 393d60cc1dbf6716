import Foundation
import NetworkData
import Routing
import Planning
import Reports

/// Renders a route answer as a table for people; the JSON contract for tools is ``RouteAnswer``.
struct RouteReport {
    let network: Network
    let origin: Place
    let destination: Place
    let query: RouteQuery
    let outcome: RouteOutcome
    let split: VolumeSplit?

    /// The JSON contract (`Reports`).
    func json() -> RouteAnswer {
        RouteAnswer(network: network, origin: origin, destination: destination, query: query, outcome: outcome, split: split)
    }

    // MARK: Table

    func table() -> String {
        var out = ""
        let volume = String(format: "%g TEU (%g t)", query.teu, (query.tonnes * 10).rounded() / 10)
        let deadlineText = query.deadlineHours.map { String(format: ", deadline %.1f days", $0 / 24) } ?? ""
        out += "\(origin.label) → \(destination.label): \(volume) \(query.cargo), objective \(query.objective.rawValue)\(deadlineText)\n"
        switch outcome {
        case .noPath:
            out += "\nNo route: the network has no path between these places.\n"
        case .noFeasibleRoute(let rejected):
            out += "\nNo feasible route. The best candidates and what rules each out:\n"
            for (i, candidate) in rejected.enumerated() {
                out += "\n" + summaryLine(candidate.route, label: "#\(i + 1)") + "\n"
                for reason in candidate.reasons { out += "    ✗ \(reason)\n" }
            }
        case .found(let routes, let front):
            for (i, route) in routes.enumerated() {
                out += "\n" + summaryLine(route, label: "#\(i + 1)") + "\n"
                for copy in route.alsoVia {
                    out += String(format: "    also via %@: %@ USD  %.1f days\n", copy.label, money(copy.costUSD), copy.transitHours / 24)
                }
                out += legTable(route)
            }
            if !front.isEmpty {
                out += "\nPareto front (cost vs days vs CO2e), \(front.count) route\(front.count == 1 ? "" : "s") no other beats on all three:\n"
                let rows = front.map { route in
                    [money(route.costUSD), String(format: "%.1f", route.days), String(format: "%.0f", route.co2eKg),
                     route.modeSummary, via(route)]
                }
                out += TextTable(header: ["cost USD", "days", "CO2e kg", "modes", "via"], rows: rows,
                                 rightAligned: [0, 1, 2]).render(indent: "  ")
            }
        }
        if let split {
            out += "\nVolume split (\(split.period == .week ? "per week" : "one departure per service"), solver \(split.solver)): "
            out += String(format: "%g TEU requested, %.1f carried, %.1f unmet, total %@\n", split.requestedTEU,
                          split.carriedTEU, split.unmetTEU, money(split.totalCostUSD))
            let rows = split.routes.map { part in
                [String(format: "%.1f", part.teu), money(part.route.costUSD), String(format: "%.1f", part.route.days),
                 part.route.modeSummary, via(part.route)]
            }
            out += TextTable(header: ["TEU", "cost USD", "days", "modes", "via"], rows: rows, rightAligned: [0, 1, 2]).render(indent: "  ")
            if !split.bindingServices.isEmpty {
                out += "  Binding capacities (one more TEU on the service would save the dual):\n"
                for binding in split.bindingServices {
                    out += String(format: "    %@: %.0f/%.0f TEU, saves %@ per extra TEU\n", binding.service.rawValue,
                                  binding.usedTEU, binding.capacityTEU, money(binding.dualUSDPerTEU))
                }
            }
        }
        return out
    }

    private func summaryLine(_ route: Route, label: String) -> String {
        String(format: "%@  %@ USD  %.1f days  %@ kg CO2e  %@  via %@", label, money(route.costUSD), route.days,
               String(format: "%.0f", route.co2eKg), route.modeSummary, via(route))
    }

    private func via(_ route: Route) -> String {
        let stops = route.legs.dropLast().map(\.to.rawValue)
        return stops.isEmpty ? "direct" : stops.joined(separator: " ")
    }

    private func legTable(_ route: Route) -> String {
        let rows = route.legs.map { leg -> [String] in
            var note = ""
            if let transfer = leg.transfer {
                switch transfer.kind {
                case .gaugeChange: note = "gauge \(transfer.gaugesMm?.map(String.init).joined(separator: "/") ?? "")"
                case .modeChange: note = "mode change"
                case .connection: note = ""
                }
                if transfer.isBorderCrossing { note = note.isEmpty ? "border" : "border, " + note }
            }
            return [leg.mode.rawValue, leg.service, "\(leg.from)→\(leg.to)", String(format: "%.0f", leg.distanceKm),
                    String(format: "%.1f", leg.waitHours), String(format: "%.1f", leg.transitHours),
                    String(format: "%.1f", leg.dwellHours), money(leg.costUSD + leg.handlingUSD),
                    String(format: "%.0f", leg.co2eKg), note]
        }
        return TextTable(header: ["mode", "service", "from→to", "km", "wait h", "transit h", "dwell h", "USD", "CO2e kg", "at arrival"],
                         rows: rows, rightAligned: [3, 4, 5, 6, 7, 8]).render(indent: "    ")
    }
}

/// Formats dollars with thousands separators.
func money(_ value: Double) -> String {
    let rounded = Int(value.rounded())
    let digits = String(abs(rounded))
    var grouped = ""
    for (i, ch) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { grouped.append(",") }
        grouped.append(ch)
    }
    return (rounded < 0 ? "-" : "") + String(grouped.reversed())
}

/// A plain-text table with padded columns.
struct TextTable {
    var header: [String]
    var rows: [[String]]
    var rightAligned: Set<Int> = []

    func render(indent: String = "") -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }
            var text = indent + padded.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        return line(header) + rows.map(line).joined()
    }
}
