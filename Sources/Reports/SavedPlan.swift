import Foundation
import NetworkData
import Routing
import Planning

/// What is wrong with a saved plan: one line per problem, each naming the JSON path of the bad
/// value (`shipments[3].routes[0].legs: empty; expected at least one leg`).
public struct SavedPlanError: Error, Sendable, CustomStringConvertible {
    /// One bad value: where (a JSON path; `$` is the whole document) and what is wrong with it.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    public var problems: [Problem]

    /// Up to 20 problems, one a line, and how many more there are.
    public var description: String {
        let shown = problems.prefix(20).map(\.description)
        return (shown + (problems.count > 20 ? ["… \(problems.count - 20) more problems"] : [])).joined(separator: "\n")
    }
}

/// A saved plan (`plan --save`, or the output of `plan --format json`) read back and checked:
/// the contract, and each shipment's plan as the one-bill builder takes it.
///
/// Reading checks everything a later step relies on, so a file edited by hand fails here with
/// the JSON path of the bad value instead of trapping later: the schema version, every field's
/// type and presence, every number's range (hours, TEU, money), dates, place and service codes
/// against the network, legs that chain from the shipment's origin to its destination, route
/// parts that add up to the shipment, unique shipment ids, and counts that match.
public struct SavedPlan: Sendable {
    /// The contract as read.
    public let report: PlanReport
    /// Every shipment's plan, in file order.
    public let shipments: [ShipmentPlan]

    /// The limits a saved plan's values must lie in, as the shipment list accepts them
    /// (`docs/shipments-format.md`).
    public enum Limits {
        public static let teu = 0.0...10_000
        public static let tonnes = 0.0...1_000_000
        public static let valueUSD = 0.0...1e12
        /// USD and kg CO2e of a shipment, a route part or the plan (an unmet TEU costs 10^7).
        public static let amount = RouteLeg.Limits.amount
        public static let hours = RouteLeg.Limits.hours
        public static let weeks = 1...20_000
        public static let textLength = 200
    }

    /// Reads and checks a saved plan made on `network`.
    ///
    /// - Throws: ``SavedPlanError`` listing every problem found, each with its JSON path.
    /// - Complexity: O(size of the file + total legs).
    public init(data: Data, network: Network) throws(SavedPlanError) {
        struct VersionProbe: Decodable { var schemaVersion: String? }
        if let syntax = Self.syntaxProblem(data) { throw SavedPlanError(problems: [syntax]) }
        let decoder = JSONDecoder()
        let probe: VersionProbe
        do { probe = try decoder.decode(VersionProbe.self, from: data) } catch {
            throw SavedPlanError(problems: [Self.problem(decoding: error)])
        }
        guard let version = probe.schemaVersion else {
            throw SavedPlanError(problems: [.init(
                path: "schemaVersion",
                message: "missing; expected \"\(SchemaVersion.current)\" (a plan saved before schema versions: plan it again)")])
        }
        guard SchemaVersion.isReadable(version) else {
            throw SavedPlanError(problems: [.init(
                path: "schemaVersion",
                message: "'\(version.prefix(20))' is not supported; expected \(SchemaVersion.current.split(separator: ".")[0]).x (this routeplanner writes \(SchemaVersion.current))")])
        }
        let report: PlanReport
        do { report = try decoder.decode(PlanReport.self, from: data) } catch {
            throw SavedPlanError(problems: [Self.problem(decoding: error)])
        }
        try self.init(report: report, network: network)
    }

    /// Checks a plan contract against `network` and rebuilds each shipment's plan.
    ///
    /// - Throws: ``SavedPlanError`` listing every problem found, each with its JSON path.
    /// - Complexity: O(total legs + service weeks).
    public init(report: PlanReport, network: Network) throws(SavedPlanError) {
        var check = PlanCheck(network: network, weeks: report.weeks)
        let shipments = check.plan(report)
        guard check.problems.isEmpty else { throw SavedPlanError(problems: check.problems) }
        self.report = report
        self.shipments = shipments
    }

    /// The plan of shipment `id`, if the plan has it.
    ///
    /// - Complexity: O(n) for n shipments.
    public func shipment(_ id: String) -> ShipmentPlan? {
        shipments.first { $0.shipment.id.rawValue == id }
    }

    /// The problem a `DecodingError` (or a JSON syntax error) describes, at its JSON path.
    static func problem(decoding error: Error) -> SavedPlanError.Problem {
        guard let error = error as? DecodingError else { return .init(path: "$", message: "\(error)") }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(path: path(context.codingPath + [key]), message: "missing")
        case .typeMismatch(let type, let context):
            return .init(path: path(context.codingPath), message: "expected \(jsonType(type))")
        case .valueNotFound(let type, let context):
            return .init(path: path(context.codingPath), message: "null; expected \(jsonType(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                // The syntax was checked first, so this is a value Foundation cannot convert.
                return .init(path: "$", message: "a value that does not fit its field (\(context.debugDescription))")
            }
            return .init(path: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return .init(path: "$", message: "\(error)")
        }
    }

    /// The JSON syntax error of `data`, with its line and column, if it is not JSON.
    static func syntaxProblem(_ data: Data) -> SavedPlanError.Problem? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            var detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            while detail.hasSuffix(".") { detail.removeLast() }
            if let range = detail.range(of: #"character \d+"#, options: .regularExpression),
               let offset = Int(detail[range].dropFirst("character ".count)) {
                let before = data.prefix(offset)
                let line = before.filter { $0 == 0x0A }.count + 1
                let column = before.count - (before.lastIndex(of: 0x0A).map { $0 - before.startIndex + 1 } ?? 0) + 1
                detail += " (line \(line), column \(column))"
            }
            if data.isEmpty { detail = "the file is empty" }
            return .init(path: "$", message: "not valid JSON: \(detail); expected a saved plan")
        }
    }

    /// `shipments[3].routes[0].legs` for a coding path; `$` for the document itself.
    static func path(_ keys: [CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text.isEmpty ? "$" : text
    }

    /// The JSON name of a Swift type a decoder expected.
    static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: "a number"
        case is Int.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

/// The semantic checks of a saved plan, collecting every problem with its path.
struct PlanCheck {
    let network: Network
    let weeks: Int
    var problems: [SavedPlanError.Problem] = []

    init(network: Network, weeks: Int) {
        self.network = network
        self.weeks = weeks
    }

    mutating func fail(_ path: String, _ message: String) {
        problems.append(.init(path: path, message: message))
    }

    /// `value` if it lies in `range`, else a problem at `path`.
    mutating func number(_ value: Double, _ path: String, _ range: ClosedRange<Double>, _ unit: String,
                         positive: Bool = false) {
        if !(value.isFinite && range.contains(value) && (!positive || value > 0)) {
            let lower = positive ? "above \(text(range.lowerBound))" : "\(text(range.lowerBound))"
            fail(path, "\(value) is out of range; expected \(lower) to \(text(range.upperBound))\(unit.isEmpty ? "" : " \(unit)")")
        }
    }

    mutating func integer(_ value: Int, _ path: String, _ range: ClosedRange<Int>) {
        if !range.contains(value) { fail(path, "\(value) is out of range; expected \(range.lowerBound) to \(range.upperBound)") }
    }

    mutating func day(_ text: String, _ path: String) -> CalendarDay? {
        guard let day = CalendarDay(iso: text) else {
            fail(path, "'\(text.prefix(40))'; expected a date YYYY-MM-DD (years 1900–2200)")
            return nil
        }
        return day
    }

    mutating func dateTime(_ text: String, _ path: String) {
        let characters = Array(text)
        let ok = characters.count == 20 && CalendarDay(iso: String(text.prefix(10))) != nil && characters[10] == "T"
            && characters[19] == "Z" && characters[13] == ":" && characters[16] == ":"
            && Int(String(characters[11...12])).map { (0...23).contains($0) } == true
            && Int(String(characters[14...15])).map { (0...59).contains($0) } == true
            && Int(String(characters[17...18])).map { (0...59).contains($0) } == true
        if !ok { fail(path, "'\(text.prefix(40))'; expected a date and time YYYY-MM-DDTHH:MM:SSZ") }
    }

    mutating func label(_ value: String?, _ path: String, maxLength: Int = SavedPlan.Limits.textLength) {
        guard let value else { return }
        if value.isEmpty || value.count > maxLength {
            fail(path, "a text of \(value.count) characters; expected 1 to \(maxLength)")
        }
    }

    mutating func place(_ code: String, _ path: String) -> PlaceCode? {
        let place = PlaceCode(code)
        guard network.place(place) != nil else {
            fail(path, "unknown place '\(code.prefix(40))' in network '\(network.name)'")
            return nil
        }
        return place
    }

    private func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int64(value)) : "\(value)"
    }

    // MARK: The plan

    mutating func plan(_ report: PlanReport) -> [ShipmentPlan] {
        if report.network != network.name {
            fail("network", "the plan was made on network '\(report.network.prefix(60))' but '\(network.name)' is loaded; expected the same network (--network)")
        }
        if Objective(rawValue: report.objective) == nil {
            fail("objective", "'\(report.objective.prefix(40))' is not one of \(Objective.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        _ = day(report.horizonStart, "horizonStart")
        integer(report.weeks, "weeks", SavedPlan.Limits.weeks)
        integer(report.iterations, "iterations", 0...1_000_000)
        number(report.totalCostUSD, "totalCostUSD", SavedPlan.Limits.amount, "USD")
        if let bound = report.lowerBoundUSD { number(bound, "lowerBoundUSD", SavedPlan.Limits.amount, "USD") }

        var firstIndex: [String: Int] = [:]
        var plans: [ShipmentPlan] = []
        for (i, entry) in report.shipments.enumerated() {
            let path = "shipments[\(i)]"
            if let first = firstIndex[entry.id] {
                fail("\(path).id", "'\(entry.id.prefix(40))' is also shipments[\(first)].id; expected unique ids")
            } else {
                firstIndex[entry.id] = i
            }
            if let plan = shipment(entry, path) { plans.append(plan) }
        }

        let summary = report.summary
        let counts = [("shipments", summary.shipments, report.shipments.count),
                      ("planned", summary.planned, report.shipments.filter { $0.status == "planned" }.count),
                      ("partial", summary.partial, report.shipments.filter { $0.status == "partial" }.count),
                      ("unmet", summary.unmet, report.shipments.filter { $0.status == "unmet" }.count)]
        for (name, stated, counted) in counts where stated != counted {
            fail("summary.\(name)", "\(stated), but the plan lists \(counted); expected \(counted)")
        }
        number(summary.teuRequested, "summary.teuRequested", 0...1e12, "TEU")
        number(summary.teuPlanned, "summary.teuPlanned", 0...1e12, "TEU")
        number(summary.co2eKg, "summary.co2eKg", SavedPlan.Limits.amount, "kg")

        for (k, entry) in report.services.enumerated() {
            service(entry, "services[\(k)]")
        }
        return plans
    }

    mutating func shipment(_ entry: PlanReport.ShipmentEntry, _ path: String) -> ShipmentPlan? {
        let before = problems.count
        if !((1...35).contains(entry.id.count) && entry.id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })) {
            fail("\(path).id", "'\(entry.id.prefix(40))'; expected 1–35 of A–Z a–z 0–9 . _ -")
        }
        let status = ShipmentStatus(rawValue: entry.status)
        if status == nil { fail("\(path).status", "'\(entry.status.prefix(40))' is not one of planned, partial, unmet") }
        label(entry.reason, "\(path).reason", maxLength: 2_000)
        let origin = place(entry.origin, "\(path).origin")
        let destination = place(entry.destination, "\(path).destination")
        number(entry.teu, "\(path).teu", SavedPlan.Limits.teu, "TEU", positive: true)
        number(entry.tonnes, "\(path).tonnes", SavedPlan.Limits.tonnes, "t", positive: true)
        let cargo = CargoClass(entry.cargo)
        if cargo == nil {
            fail("\(path).cargo", "'\(entry.cargo.prefix(40))'; expected general, reefer, vehicles or dangerous:N with N from 1 to 9")
        }
        let ready = day(entry.ready, "\(path).ready")
        let deadline = day(entry.deadline, "\(path).deadline")
        if let ready, let deadline, deadline < ready {
            fail("\(path).deadline", "\(deadline) is before ready \(ready); expected a day on or after ready")
        }
        if let value = entry.valueUSD { number(value, "\(path).valueUSD", SavedPlan.Limits.valueUSD, "USD") }
        label(entry.shipper, "\(path).shipper")
        label(entry.consignee, "\(path).consignee")
        label(entry.description, "\(path).description")
        if let hs = entry.hsCode, !((6...10).contains(hs.count) && hs.allSatisfy({ $0.isASCII && $0.isNumber })) {
            fail("\(path).hsCode", "'\(hs.prefix(40))'; expected 6 to 10 digits")
        }
        let teuLimit = SavedPlan.Limits.teu.contains(entry.teu) ? entry.teu + 1e-3 : SavedPlan.Limits.teu.upperBound
        number(entry.unmetTEU, "\(path).unmetTEU", 0...teuLimit, "TEU")
        number(entry.costUSD, "\(path).costUSD", SavedPlan.Limits.amount, "USD")
        number(entry.co2eKg, "\(path).co2eKg", SavedPlan.Limits.amount, "kg")
        switch status {
        case .planned?, .partial?:
            if entry.routes.isEmpty { fail("\(path).routes", "empty for a \(entry.status) shipment; expected at least one route") }
        case .unmet?:
            if !entry.routes.isEmpty { fail("\(path).routes", "\(entry.routes.count) routes for an unmet shipment; expected none") }
        case nil:
            break
        }
        var routes: [PlannedRoute] = []
        for (j, part) in entry.routes.enumerated() {
            if let route = self.route(part, "\(path).routes[\(j)]", origin: origin, destination: destination, ready: ready,
                                      shipmentTEU: entry.teu) {
                routes.append(route)
            }
        }
        let carried = entry.routes.reduce(0) { $0 + $1.teu }
        if problems.count == before, abs(carried + entry.unmetTEU - entry.teu) > 1e-3 {
            fail("\(path).routes", "carry \(carried) TEU and \(entry.unmetTEU) TEU are unmet, but the shipment has \(entry.teu) TEU; expected them to add up")
        }
        guard problems.count == before, let status, let origin, let destination, let cargo, let ready, let deadline
        else { return nil }
        let shipment = Shipment(
            id: ShipmentID(entry.id), origin: origin, destination: destination, teu: entry.teu, tonnes: entry.tonnes,
            cargo: cargo, ready: ready, deadline: deadline, valueUSD: entry.valueUSD, shipper: entry.shipper,
            consignee: entry.consignee, descriptionOfGoods: entry.description, hsCode: entry.hsCode)
        return ShipmentPlan(shipment: shipment, status: status, reason: entry.reason, routes: routes,
                            unmetTEU: entry.unmetTEU, costUSD: entry.costUSD, co2eKg: entry.co2eKg)
    }

    mutating func route(_ part: PlanReport.RoutePart, _ path: String, origin: PlaceCode?, destination: PlaceCode?,
                        ready: CalendarDay?, shipmentTEU: Double) -> PlannedRoute? {
        let before = problems.count
        let teuLimit = SavedPlan.Limits.teu.contains(shipmentTEU) ? shipmentTEU + 1e-3 : SavedPlan.Limits.teu.upperBound
        number(part.teu, "\(path).teu", 0...teuLimit, "TEU", positive: true)
        integer(part.week, "\(path).week", 0...max(0, weeks - 1))
        let start = day(part.startDay, "\(path).startDay")
        if let start, let ready, start < ready {
            fail("\(path).startDay", "\(start) is before the shipment's ready day \(ready); expected a day on or after it")
        }
        dateTime(part.departure, "\(path).departure")
        dateTime(part.arrival, "\(path).arrival")
        number(part.costUSD, "\(path).costUSD", SavedPlan.Limits.amount, "USD")
        number(part.transitHours, "\(path).transitHours", SavedPlan.Limits.hours, "hours")
        number(part.days, "\(path).days", 0...(SavedPlan.Limits.hours.upperBound / 24), "days")
        number(part.co2eKg, "\(path).co2eKg", SavedPlan.Limits.amount, "kg")
        label(part.modes, "\(path).modes")
        label(part.bill, "\(path).bill", maxLength: 35)
        legs(part.legs, "\(path).legs", origin: origin, destination: destination)
        guard problems.count == before, let start else { return nil }
        let route = Route(legs: part.legs, costUSD: part.costUSD, transitHours: part.transitHours, co2eKg: part.co2eKg,
                          objectiveValue: 0, arcs: [])
        return PlannedRoute(route: route, teu: part.teu, week: part.week, startDay: start, departure: part.departure,
                            arrival: part.arrival)
    }

    /// Legs that exist in the network and chain from `origin` to `destination` in time order.
    mutating func legs(_ legs: [RouteLeg], _ path: String, origin: PlaceCode?, destination: PlaceCode?) {
        guard let first = legs.first, let last = legs.last else {
            fail(path, "empty; expected at least one leg")
            return
        }
        if let origin, first.from != origin {
            fail("\(path)[0].from", "'\(first.from)' is not the shipment's origin '\(origin)'; expected the route to start there")
        }
        if let destination, last.to != destination {
            fail("\(path)[\(legs.count - 1)].to", "'\(last.to)' is not the shipment's destination '\(destination)'; expected the route to end there")
        }
        for (k, leg) in legs.enumerated() {
            let legPath = "\(path)[\(k)]"
            let from = place(leg.from.rawValue, "\(legPath).from")
            let to = place(leg.to.rawValue, "\(legPath).to")
            if k > 0 {
                let previous = legs[k - 1]
                if leg.from != previous.to {
                    fail("\(legPath).from", "'\(leg.from)' is not where the previous leg ends ('\(previous.to)'); expected legs that chain")
                }
                if leg.departureHour < previous.arrivalHour - 0.011 {
                    fail("\(legPath).departureHour", "\(leg.departureHour) is before the previous leg arrives (\(previous.arrivalHour)); expected legs in time order")
                }
            }
            let parts = leg.service.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 {
                let terminal = PlaceCode(String(parts[1]))
                let end = parts[0] == "firstMile" ? leg.to : parts[0] == "lastMile" ? leg.from : nil
                if end == nil || leg.mode != .road {
                    fail("\(legPath).service", "'\(leg.service.prefix(60))'; expected a service id, or firstMile:/lastMile: and a terminal on a road leg")
                } else if let from, let to, end != terminal || network.place(terminal)?.cityAccess == nil {
                    fail("\(legPath).service", "'\(leg.service.prefix(60))' does not name a terminal with city access at the leg's end (\(parts[0] == "firstMile" ? to : from)); expected \(parts[0]):\(parts[0] == "firstMile" ? to : from)")
                }
            } else if let service = network.service(ServiceID(leg.service)) {
                if let from, let to, service.from != from || service.to != to {
                    fail("\(legPath).service", "'\(service.id)' runs \(service.from)→\(service.to), not \(from)→\(to); expected the leg's places")
                }
                if service.mode != leg.mode {
                    fail("\(legPath).mode", "'\(leg.mode.rawValue)', but service '\(service.id)' is \(service.mode.rawValue)")
                }
            } else {
                fail("\(legPath).service", "unknown service '\(leg.service.prefix(60))' in network '\(network.name)'")
            }
            if let transfer = leg.transfer, transfer.place != leg.to {
                fail("\(legPath).transfer.place", "'\(transfer.place)' is not the leg's end '\(leg.to)'; expected the place the transfer happens at")
            }
        }
    }

    mutating func service(_ entry: PlanReport.ServiceEntry, _ path: String) {
        if network.service(ServiceID(entry.id)) == nil {
            fail("\(path).id", "unknown service '\(entry.id.prefix(60))' in network '\(network.name)'")
        }
        number(entry.capacityTEU, "\(path).capacityTEU", 0...1e9, "TEU")
        number(entry.usedTEU, "\(path).usedTEU", 0...1e9, "TEU")
        number(entry.dualUSDPerTEU, "\(path).dualUSDPerTEU", SavedPlan.Limits.amount, "USD per TEU")
        number(entry.departuresPerWeek, "\(path).departuresPerWeek", NetworkLoader.Limits.departuresPerWeek, "")
        for (w, week) in entry.weeks.enumerated() {
            integer(week.week, "\(path).weeks[\(w)].week", 0...max(0, weeks - 1))
            number(week.capacityTEU, "\(path).weeks[\(w)].capacityTEU", 0...1e9, "TEU")
            number(week.usedTEU, "\(path).weeks[\(w)].usedTEU", 0...1e9, "TEU")
            number(week.dualUSDPerTEU, "\(path).weeks[\(w)].dualUSDPerTEU", SavedPlan.Limits.amount, "USD per TEU")
        }
    }
}
