import Foundation
import NetworkData
import MinCostFlow
import GLPKSolver
import Routing
import Planning
import Simulation
import OneBill
import Markup

/// The JSON contract of `plan --format json`, also the saved plan `bill` reads back.
struct PlanJSON: Codable {
    struct Summary: Codable {
        var shipments: Int
        var planned: Int
        var partial: Int
        var unmet: Int
        var teuRequested: Double
        var teuPlanned: Double
        var co2eKg: Double
    }

    struct RoutePart: Codable {
        var teu: Double
        var week: Int
        var startDay: String
        var departure: String
        var arrival: String
        var costUSD: Double
        var transitHours: Double
        var days: Double
        var co2eKg: Double
        var modes: String
        var bill: String?
        var legs: [RouteLeg]
    }

    struct ShipmentEntry: Codable {
        var id: String
        var status: String
        var reason: String?
        var origin: String
        var destination: String
        var teu: Double
        var tonnes: Double
        var cargo: String
        var ready: String
        var deadline: String
        var valueUSD: Double?
        var shipper: String?
        var consignee: String?
        var description: String?
        var hsCode: String?
        var unmetTEU: Double
        var costUSD: Double
        var co2eKg: Double
        var routes: [RoutePart]
    }

    struct Week: Codable {
        var week: Int
        var capacityTEU: Double
        var usedTEU: Double
        var dualUSDPerTEU: Double
        var departuresNeeded: Int?
    }

    struct ServiceEntry: Codable {
        var id: String
        var name: String
        var mode: String
        var from: String
        var to: String
        var capacityTEU: Double
        var usedTEU: Double
        var dualUSDPerTEU: Double
        var binding: Bool
        var departuresPerWeek: Double
        var maxDeparturesNeeded: Int?
        var weeks: [Week]
    }

    var network: String
    var objective: String
    var integer: Bool
    var horizonStart: String
    var weeks: Int
    var iterations: Int
    var totalCostUSD: Double
    var lowerBoundUSD: Double?
    var summary: Summary
    var shipments: [ShipmentEntry]
    var services: [ServiceEntry]
}

/// `value` rounded to `places` decimals, for JSON output.
func round(_ value: Double, _ places: Int) -> Double {
    let scale = pow(10, Double(places))
    return (value * scale).rounded() / scale
}

extension PlanJSON {
    init(plan: Plan, network: Network, billReference: (ShipmentID, Int) -> String?) {
        self.network = network.name
        objective = plan.objective.rawValue
        integer = plan.isInteger
        horizonStart = plan.horizonStart.iso
        weeks = plan.weeks
        iterations = plan.iterations
        totalCostUSD = round(plan.totalCostUSD, 2)
        lowerBoundUSD = plan.lowerBound.map { round($0, 2) }
        let requested = plan.shipments.reduce(0) { $0 + $1.shipment.teu }
        let unmetTEU = plan.shipments.reduce(0) { $0 + $1.unmetTEU }
        summary = Summary(
            shipments: plan.shipments.count, planned: plan.shipments.filter { $0.status == .planned }.count,
            partial: plan.shipments.filter { $0.status == .partial }.count,
            unmet: plan.shipments.filter { $0.status == .unmet }.count, teuRequested: round(requested, 3),
            teuPlanned: round(requested - unmetTEU, 3), co2eKg: round(plan.shipments.reduce(0) { $0 + $1.co2eKg }, 1))
        shipments = plan.shipments.map { entry in
            let s = entry.shipment
            return ShipmentEntry(
                id: s.id.rawValue, status: entry.status.rawValue, reason: entry.reason, origin: s.origin.rawValue,
                destination: s.destination.rawValue, teu: round(s.teu, 4), tonnes: round(s.tonnes, 3),
                cargo: s.cargo.description, ready: s.ready.iso, deadline: s.deadline.iso, valueUSD: s.valueUSD,
                shipper: s.shipper, consignee: s.consignee, description: s.descriptionOfGoods, hsCode: s.hsCode,
                unmetTEU: round(entry.unmetTEU, 4), costUSD: round(entry.costUSD, 2), co2eKg: round(entry.co2eKg, 1),
                routes: entry.routes.enumerated().map { index, part in
                    RoutePart(teu: round(part.teu, 4), week: part.week, startDay: part.startDay.iso, departure: part.departure,
                              arrival: part.arrival, costUSD: round(part.route.costUSD, 2),
                              transitHours: round(part.route.transitHours, 2), days: round(part.route.days, 2),
                              co2eKg: round(part.route.co2eKg, 1), modes: part.route.modeSummary,
                              bill: billReference(s.id, index), legs: part.route.legs)
                })
        }
        services = plan.services.compactMap { usage in
            guard let service = network.service(usage.service) else { return nil }
            return ServiceEntry(
                id: usage.service.rawValue, name: service.name, mode: service.mode.rawValue, from: service.from.rawValue,
                to: service.to.rawValue, capacityTEU: round(usage.capacityTEU, 2), usedTEU: round(usage.usedTEU, 3),
                dualUSDPerTEU: round(usage.dualUSDPerTEU, 2),
                binding: usage.weeks.contains { $0.usedTEU >= $0.capacityTEU - 1e-6 },
                departuresPerWeek: service.departuresPerWeek, maxDeparturesNeeded: usage.departuresNeeded?.max(),
                weeks: usage.weeks.map { week in
                    Week(week: week.week, capacityTEU: round(week.capacityTEU, 2), usedTEU: round(week.usedTEU, 3),
                         dualUSDPerTEU: round(week.dualUSDPerTEU, 2),
                         departuresNeeded: usage.departuresNeeded.map { $0[week.week] })
                })
        }
    }

    /// The shipment plan of `id`, rebuilt from a saved plan.
    func shipmentPlan(_ id: String) -> ShipmentPlan? {
        guard let entry = shipments.first(where: { $0.id == id }),
              let ready = CalendarDay(iso: entry.ready), let deadline = CalendarDay(iso: entry.deadline),
              let cargo = CargoClass(entry.cargo), let status = ShipmentStatus(rawValue: entry.status)
        else { return nil }
        let shipment = Shipment(
            id: ShipmentID(entry.id), origin: PlaceCode(entry.origin), destination: PlaceCode(entry.destination),
            teu: entry.teu, tonnes: entry.tonnes, cargo: cargo, ready: ready, deadline: deadline, valueUSD: entry.valueUSD,
            shipper: entry.shipper, consignee: entry.consignee, descriptionOfGoods: entry.description, hsCode: entry.hsCode)
        var routes: [PlannedRoute] = []
        for part in entry.routes {
            guard let start = CalendarDay(iso: part.startDay) else { return nil }
            let route = Route(legs: part.legs, costUSD: part.costUSD, transitHours: part.transitHours, co2eKg: part.co2eKg,
                              objectiveValue: 0, arcs: [])
            routes.append(PlannedRoute(route: route, teu: part.teu, week: part.week, startDay: start,
                                       departure: part.departure, arrival: part.arrival))
        }
        return ShipmentPlan(shipment: shipment, status: status, reason: entry.reason, routes: routes,
                            unmetTEU: entry.unmetTEU, costUSD: entry.costUSD, co2eKg: entry.co2eKg)
    }

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
            out += "\nWhole departures needed (busiest week) on \(lines.count) lines:\n"
            let rows = lines.prefix(limit).map { s in
                [s.id, s.mode, "\(s.from)→\(s.to)", String(s.maxDeparturesNeeded ?? 0), String(format: "%g", s.departuresPerWeek),
                 String(format: "%.0f", s.usedTEU)]
            }
            out += TextTable(header: ["service", "mode", "from→to", "departures", "timetable/week", "TEU (peak)"], rows: rows,
                             rightAligned: [3, 4, 5]).render(indent: "  ")
            if lines.count > limit { out += "  … \(lines.count - limit) more\n" }
        }
        return out
    }
}
