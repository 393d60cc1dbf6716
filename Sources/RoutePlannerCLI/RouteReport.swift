import Foundation
import NetworkData
import MinCostFlow
import GLPKSolver
import Routing
import Planning
import Simulation
import OneBill
import Markup

/// Renders a route answer as a table for people or as the JSON contract for tools.
struct RouteReport {
    let network: Network
    let origin: Place
    let destination: Place
    let query: RouteQuery
    let outcome: RouteOutcome
    let split: VolumeSplit?

    // MARK: JSON contract

    struct TransferJSON: Encodable {
        var kind: String
        var place: String
        var borderCrossing: Bool
        var hours: Double
        var costUSD: Double
        var gaugesMm: [Int]?
    }

    struct LegJSON: Encodable {
        var mode: String
        var service: String
        var serviceName: String
        var `operator`: String?
        var corridor: String?
        var from: String
        var to: String
        var distanceKm: Double
        var waitHours: Double
        var transitHours: Double
        var dwellHours: Double
        var costUSD: Double
        var handlingUSD: Double
        var co2eKg: Double
        var departureHour: Double
        var arrivalHour: Double
        var transfer: TransferJSON?
    }

    struct RouteJSON: Encodable {
        var rank: Int?
        var costUSD: Double
        var transitHours: Double
        var days: Double
        var co2eKg: Double
        var objectiveValue: Double
        var modes: String
        var corridors: [String]
        var borderCrossings: [String]
        var bottleneckTEUPerDeparture: Double?
        var teu: Double?
        var reasons: [String]?
        var legs: [LegJSON]
    }

    struct BindingJSON: Encodable {
        var id: String
        var capacityTEU: Double
        var usedTEU: Double
        var dualUSDPerTEU: Double
    }

    struct SplitJSON: Encodable {
        var period: String
        var requestedTEU: Double
        var carriedTEU: Double
        var unmetTEU: Double
        var totalCostUSD: Double
        var solver: String
        var routes: [RouteJSON]
        var bindingServices: [BindingJSON]
    }

    struct QueryJSON: Encodable {
        var from: String
        var to: String
        var teu: Double
        var tonnes: Double
        var cargo: String
        var deadlineHours: Double?
        var objective: String
        var alternatives: Int
        var month: Int?
    }

    struct ReportJSON: Encodable {
        var network: String
        var query: QueryJSON
        var status: String
        var alternatives: [RouteJSON]
        var paretoFront: [RouteJSON]
        var rejected: [RouteJSON]?
        var volumeSplit: SplitJSON?
    }

    func json() -> ReportJSON {
        var report = ReportJSON(
            network: network.name,
            query: QueryJSON(from: origin.code.rawValue, to: destination.code.rawValue, teu: round(query.teu, 3),
                             tonnes: round(query.tonnes, 3), cargo: query.cargo.description,
                             deadlineHours: query.deadlineHours, objective: query.objective.rawValue,
                             alternatives: query.alternatives, month: query.month),
            status: "ok", alternatives: [], paretoFront: [])
        switch outcome {
        case .found(let routes, let front):
            report.alternatives = routes.enumerated().map { routeJSON($1, rank: $0 + 1) }
            report.paretoFront = front.map { routeJSON($0, rank: nil) }
        case .noFeasibleRoute(let rejected):
            report.status = "noFeasibleRoute"
            report.rejected = rejected.map { var r = routeJSON($0.route, rank: nil); r.reasons = $0.reasons; return r }
        case .noPath:
            report.status = "noPath"
        }
        if let split {
            report.volumeSplit = SplitJSON(
                period: split.period.rawValue, requestedTEU: split.requestedTEU, carriedTEU: round(split.carriedTEU, 3),
                unmetTEU: round(split.unmetTEU, 3), totalCostUSD: round(split.totalCostUSD, 2), solver: split.solver,
                routes: split.routes.map { var r = routeJSON($0.route, rank: nil); r.teu = round($0.teu, 3); return r },
                bindingServices: split.bindingServices.map {
                    BindingJSON(id: $0.service.rawValue, capacityTEU: round($0.capacityTEU, 3), usedTEU: round($0.usedTEU, 3),
                                dualUSDPerTEU: round($0.dualUSDPerTEU, 2))
                })
        }
        return report
    }

    private func routeJSON(_ route: Route, rank: Int?) -> RouteJSON {
        var corridors: [String] = []
        for leg in route.legs { if let c = leg.corridor?.rawValue, !corridors.contains(c) { corridors.append(c) } }
        return RouteJSON(
            rank: rank, costUSD: round(route.costUSD, 2), transitHours: round(route.transitHours, 2),
            days: round(route.days, 2), co2eKg: round(route.co2eKg, 1), objectiveValue: round(route.objectiveValue, 3),
            modes: route.modeSummary, corridors: corridors, borderCrossings: route.borderPlaces.map(\.rawValue),
            bottleneckTEUPerDeparture: route.bottleneckTEUPerDeparture.map { round($0, 2) }, teu: nil, reasons: nil,
            legs: route.legs.map { leg in
                LegJSON(mode: leg.mode.rawValue, service: leg.service, serviceName: leg.serviceName, operator: leg.operator,
                        corridor: leg.corridor?.rawValue, from: leg.from.rawValue, to: leg.to.rawValue,
                        distanceKm: round(leg.distanceKm, 1), waitHours: round(leg.waitHours, 2),
                        transitHours: round(leg.transitHours, 2), dwellHours: round(leg.dwellHours, 2),
                        costUSD: round(leg.costUSD, 2), handlingUSD: round(leg.handlingUSD, 2),
                        co2eKg: round(leg.co2eKg, 1), departureHour: round(leg.departureHour, 2),
                        arrivalHour: round(leg.arrivalHour, 2),
                        transfer: leg.transfer.map {
                            TransferJSON(kind: $0.kind.rawValue, place: $0.place.rawValue, borderCrossing: $0.isBorderCrossing,
                                         hours: round($0.hours, 2), costUSD: round($0.costUSD, 2), gaugesMm: $0.gaugesMm)
                        })
            })
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
