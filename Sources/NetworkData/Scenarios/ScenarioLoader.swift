import Foundation
internal import Yams

/// Reads scenario files (docs/scenarios.md), collecting every problem with file, line and field.
public struct ScenarioLoader: Sendable {
    /// The base network each scenario's place codes and service ids are checked against;
    /// nil when the base network cannot be loaded (then the codes are left to the run).
    public var baseNetwork: @Sendable (Scenario.NetworkSource) -> Network?

    public init(baseNetwork: @escaping @Sendable (Scenario.NetworkSource) -> Network?) {
        self.baseNetwork = baseNetwork
    }

    /// Reads the scenario at `url`; `shownAs` names it in messages.
    ///
    /// - Throws: ``InvalidInput`` listing every problem in the file.
    /// - Complexity: O(size of the file + e · s) for e edits and s services of the base network.
    public func load(_ url: URL, shownAs file: String) throws(InvalidInput) -> Scenario {
        guard let data = try? Data(contentsOf: url) else {
            throw InvalidInput(issues: [InputIssue(location: .init(file: file, line: 1), field: "",
                                                   message: "cannot read the file; expected a scenario YAML file")])
        }
        let (root, sink) = try YAMLInput.parse(data, file: file)
        let folder = url.deletingLastPathComponent()
        func resolve(_ path: String) -> URL { URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL }

        let name = root.string("scenario", expected: "the scenario's name (letters, digits, '-', '_', '.')")
        if let name, !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) || name.count > 100 {
            root.fail("scenario", "'\(name.prefix(60))' is not a plain name; expected up to 100 letters, digits, '-', '_' or '.'")
        }
        let description = root.string("description", required: false) ?? ""
        _ = root.string("source", required: false)

        var network = Scenario.NetworkSource.builtIn
        if let text = root.string("network", required: false, expected: "built-in or the path of a network manifest"),
           text != "built-in" {
            network = .manifest(resolve(text))
        }
        var demand = Scenario.DemandSource.year(2027)
        if let node = root.node("demand", required: false, expected: "2025, 2027 or the path of a demand table") {
            if let text = node.scalar?.string {
                if let year = Int(text) {
                    if [2025, 2027].contains(year) { demand = .year(year) } else {
                        root.fail("demand", "year \(year) has no built-in table; expected 2025, 2027 or the path of a demand table")
                    }
                } else {
                    demand = .table(resolve(text))
                }
            } else {
                root.fail("demand", "a \(node.sequence != nil ? "list" : "mapping"); expected 2025, 2027 or the path of a demand table")
            }
        }
        var engines: [Scenario.Engine] = [.simulate]
        if let names = root.strings("engines", required: false, expected: "simulate and/or plan") {
            engines = []
            for text in names {
                guard let engine = Scenario.Engine(rawValue: text) else {
                    root.fail("engines", "unknown engine '\(text.prefix(40))'; expected simulate and/or plan")
                    continue
                }
                if !engines.contains(engine) { engines.append(engine) }
            }
            if engines.isEmpty && !names.isEmpty { engines = [.simulate] } else if names.isEmpty {
                root.fail("engines", "an empty list; expected simulate and/or plan")
            }
        }
        let days = root.integer("days", required: false, in: 1...366) ?? 365
        let seed = root.integer("seed", required: false, in: 0...Int(Int32.max)).map { UInt64($0) } ?? 1
        var planning: Scenario.PlanningSettings?
        if let record = root.record("plan", required: engines.contains(.plan), expected: "a mapping with shipments (and objective, integer)") {
            let shipments = record.string("shipments", expected: "the path of a shipment list (CSV)")
            let objective = record.choice("objective", required: false, as: Objective.self) ?? .cost
            let integer = record.bool("integer") ?? false
            record.rejectUnknownKeys()
            if let shipments { planning = .init(shipments: resolve(shipments), objective: objective, integer: integer) }
            if !engines.contains(.plan) { root.fail("plan", "given, but engines does not list plan; add plan to engines or remove this") }
        }
        let carbonPrice = root.number("carbonPriceUSDPerTonne", required: false, in: 0...10_000, unit: "USD/t")
        let valueOfTime = root.number("valueOfTimeUSDPerTEUHour", required: false, in: 0...10_000, unit: "USD/TEU-h")

        let base = baseNetwork(network)
        var edits: [ScenarioEdit] = []
        for (node, path) in root.list("edits", required: false, expected: "a list of edits") ?? [] {
            guard let record = YAMLRecord.make(node, file: file, path: path, sink: sink) else { continue }
            if let edit = readEdit(record, base: base, planning: engines.contains(.plan), resolve: resolve) { edits.append(edit) }
            record.rejectUnknownKeys()
        }
        root.rejectUnknownKeys()
        guard sink.issues.isEmpty, let name else { throw InvalidInput(issues: sink.issues) }
        return Scenario(name: name, description: description, file: file, url: url, network: network, demand: demand,
                        engines: engines, days: days, seed: seed, planning: planning,
                        carbonPriceUSDPerTonne: carbonPrice, valueOfTimeUSDPerTEUHour: valueOfTime, edits: edits)
    }

    /// The edit kinds: exactly one of these keys names an edit.
    static let kinds = ["close", "restrict", "scale", "growDemand", "addServices", "disruptions", "hub"]

    private func readEdit(_ record: YAMLRecord, base: Network?, planning: Bool, resolve: (String) -> URL) -> ScenarioEdit? {
        let present = Self.kinds.filter(record.has)
        guard present.count == 1, let kind = present.first else {
            // Mark every kind as known, so an unknown key is reported with the list of kinds.
            for key in Self.kinds { _ = record.node(key, required: false, expected: "") }
            if present.count > 1 {
                record.fail(present[0], "several edit kinds (\(present.joined(separator: ", "))); expected exactly one per edit")
            } else {
                record.fail("close", "no edit kind; expected exactly one of \(Self.kinds.joined(separator: ", "))")
            }
            return nil
        }
        switch kind {
        case "close", "restrict":
            let selector = readServiceSelector(record, key: kind, base: base)
            let name = record.string("name", required: false)
            let from = record.number("fromDay", required: false, in: 0...366) ?? 0
            let to = record.number("toDay", required: false, in: 0...366) ?? 366
            if to <= from { record.fail("toDay", "\(to) is not after fromDay \(from); expected toDay > fromDay") }
            let factor = kind == "close" ? 0 : record.number("capacityFactor", in: 0...1)
            let dwell = kind == "close" ? 1 : record.number("dwellFactor", required: false, in: 1...100) ?? 1
            YAMLInput.checkSource(record)
            guard let selector, let factor, to > from else { return nil }
            return .restrict(name: name ?? "\(kind == "close" ? "closed" : "restricted"): \(selector)", selector,
                             fromDay: from, toDay: to, capacityFactor: factor, dwellFactor: dwell)
        case "scale":
            let selector = readServiceSelector(record, key: kind, base: base)
            let capacity = record.number("capacity", required: false, in: 0...100)
            let frequency = record.number("frequency", required: false, in: 0...100, positive: true)
            let price = record.number("price", required: false, in: 0...100)
            if capacity == nil && frequency == nil && price == nil && !["capacity", "frequency", "price"].contains(where: record.has) {
                record.fail("scale", "nothing to scale; expected capacity, frequency and/or price factors")
            }
            YAMLInput.checkSource(record)
            guard let selector else { return nil }
            return .scale(selector, capacity: capacity ?? 1, frequency: frequency ?? 1, price: price ?? 1)
        case "growDemand":
            let selector = readDemandSelector(record, base: base, planning: planning)
            let factor = record.number("factor", in: 0...100)
            YAMLInput.checkSource(record)
            guard let selector, let factor else { return nil }
            return .growDemand(selector, factor: factor)
        case "addServices":
            guard let node = record.node("addServices", required: true, expected: "a mapping with places and/or services"),
                  node.mapping != nil else {
                record.fail("addServices", "not a mapping; expected places and/or services in the network format")
                return nil
            }
            _ = record.string("source", required: false)
            return .addServices(NetworkAddition(node: node, file: record.file, path: record.path + ".addServices"))
        case "hub":
            guard let sub = record.record("hub", expected: "a mapping of minimumLoadFactor, minimumShareOfWeeks and/or oneBillAdoptionShare")
            else { return nil }
            let loadFactor = sub.number("minimumLoadFactor", required: false, in: 0...1)
            let share = sub.number("minimumShareOfWeeks", required: false, in: 0...1)
            let adoption = sub.number("oneBillAdoptionShare", required: false, in: 0...1)
            sub.rejectUnknownKeys()
            let keys = ["minimumLoadFactor", "minimumShareOfWeeks", "oneBillAdoptionShare"]
            if !keys.contains(where: sub.has) {
                record.fail("hub", "nothing to set; expected minimumLoadFactor, minimumShareOfWeeks and/or oneBillAdoptionShare")
            }
            if let base {
                if base.hub == nil {
                    record.fail("hub", "the base network has no hub; expected a network whose targets file has a hub")
                } else {
                    if (sub.has("minimumLoadFactor") || sub.has("minimumShareOfWeeks")) && base.hub?.airRoutes == nil {
                        record.fail("hub", "the base network's hub has no airRoutes to edit; expected a hub with airRoutes")
                    }
                    if sub.has("oneBillAdoptionShare") && base.hub?.oneBill == nil {
                        record.fail("hub", "the base network's hub has no oneBill to edit; expected a hub with oneBill")
                    }
                }
            }
            YAMLInput.checkSource(record)
            let source = record.string("source", required: false) ?? ""
            return .hub(HubParameters(minimumLoadFactor: loadFactor, minimumShareOfWeeks: share,
                                      oneBillAdoptionShare: adoption, source: source))
        default:  // disruptions
            guard let path = record.string("disruptions", expected: "the path of a disruption file") else { return nil }
            return .disruptionFile(resolve(path), shownAs: path)
        }
    }

    private func readServiceSelector(_ parent: YAMLRecord, key: String, base: Network?) -> ServiceSelector? {
        guard let record = parent.record(key, expected: "a mapping selecting services: place, service, servicesMatching, corridor, mode")
        else { return nil }
        var selector = ServiceSelector()
        if let code = record.string("place", required: false) {
            if let base, base.place(PlaceCode(code)) == nil {
                record.fail("place", "unknown place '\(code.prefix(40))'\(closest(code, in: base.places.map(\.code.rawValue))); expected a place code of the network")
            }
            selector.place = PlaceCode(code)
        }
        if let id = record.string("service", required: false) {
            if let base, base.service(ServiceID(id)) == nil {
                record.fail("service", "unknown service '\(id.prefix(60))'\(closest(id, in: base.services.map(\.id.rawValue))); expected a service id of the network")
            }
            selector.service = ServiceID(id)
        }
        selector.servicesMatching = record.string("servicesMatching", required: false)
        selector.corridor = record.choice("corridor", required: false, as: Corridor.self)
        selector.mode = record.choice("mode", required: false, as: TransportMode.self)
        record.rejectUnknownKeys()
        if let base, !base.services.contains(where: selector.matches) && selector.place == nil {
            parent.fail(key, "selects no service of the network (\(selector)); expected a selector that matches some services")
        }
        return selector
    }

    private func readDemandSelector(_ parent: YAMLRecord, base: Network?, planning: Bool) -> DemandSelector? {
        guard let record = parent.record("growDemand", expected: "a mapping selecting demand: corridor, cargo, origin, destination ({} for all)")
        else { return nil }
        var selector = DemandSelector()
        selector.corridor = record.choice("corridor", required: false, as: Corridor.self)
        if selector.corridor != nil && planning {
            record.fail("corridor", "shipment lists carry no corridor, and this scenario runs plan; select by cargo, origin or destination")
        }
        if let text = record.string("cargo", required: false) {
            if let cargo = CargoClass(text) { selector.cargo = cargo } else {
                record.fail("cargo", "unknown cargo class '\(text.prefix(40))'; expected general, reefer, vehicles or dangerous:N")
            }
        }
        for key in ["origin", "destination"] {
            guard let code = record.string(key, required: false) else { continue }
            if let base, base.place(PlaceCode(code)) == nil {
                record.fail(key, "unknown place '\(code.prefix(40))'\(closest(code, in: base.places.map(\.code.rawValue))); expected a place code of the network")
            }
            if key == "origin" { selector.origin = PlaceCode(code) } else { selector.destination = PlaceCode(code) }
        }
        record.rejectUnknownKeys()
        return selector
    }

    private func closest(_ text: String, in candidates: [String]) -> String {
        guard let best = candidates.min(by: { editDistance($0, text) < editDistance($1, text) }),
              editDistance(best, text) <= 3 else { return "" }
        return " (closest: \(best))"
    }
}
