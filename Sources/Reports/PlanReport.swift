import NetworkData
import Routing
import Planning

/// The JSON contract of `plan --format json`, which is also the saved plan (`plan --save`) that
/// `bill --plan` reads back (schema: `schemas/plan.schema.json`; reading: ``SavedPlan``).
public struct PlanReport: Codable, Sendable {
    /// Counts and volumes over the batch.
    public struct Summary: Codable, Sendable {
        public var shipments: Int
        public var planned: Int
        public var partial: Int
        public var unmet: Int
        public var teuRequested: Double
        public var teuPlanned: Double
        public var co2eKg: Double
    }

    /// Part of a shipment on one route, leaving in one week; `legs` in the one leg encoding.
    public struct RoutePart: Codable, Sendable {
        public var teu: Double
        public var week: Int
        public var startDay: String
        /// ETD of the first leg and ETA at the destination, ISO 8601.
        public var departure: String
        public var arrival: String
        public var costUSD: Double
        public var transitHours: Double
        public var days: Double
        public var co2eKg: Double
        public var modes: String
        /// The reference of the part's one-bill document, when `--bills` wrote one.
        public var bill: String?
        public var legs: [RouteLeg]
    }

    /// One shipment: what was asked, its status (and why), and the routes it got.
    public struct ShipmentEntry: Codable, Sendable {
        public var id: String
        /// `planned`, `partial` or `unmet`.
        public var status: String
        public var reason: String?
        public var origin: String
        public var destination: String
        public var teu: Double
        public var tonnes: Double
        public var cargo: String
        public var ready: String
        public var deadline: String
        public var valueUSD: Double?
        public var shipper: String?
        public var consignee: String?
        public var description: String?
        public var hsCode: String?
        public var unmetTEU: Double
        public var costUSD: Double
        public var co2eKg: Double
        public var routes: [RoutePart]
    }

    /// A service's capacity, use and dual in one week of the horizon.
    public struct Week: Codable, Sendable {
        public var week: Int
        public var capacityTEU: Double
        public var usedTEU: Double
        public var dualUSDPerTEU: Double
        public var departuresNeeded: Int?
    }

    /// A service the plan uses: weekly capacity, peak use, dual, and per-week detail.
    public struct ServiceEntry: Codable, Sendable {
        public var id: String
        public var name: String
        public var mode: String
        public var from: String
        public var to: String
        public var capacityTEU: Double
        public var usedTEU: Double
        public var dualUSDPerTEU: Double
        public var binding: Bool
        public var departuresPerWeek: Double
        public var maxDeparturesNeeded: Int?
        public var weeks: [Week]
    }

    public var schemaVersion: String
    public var network: String
    public var objective: String
    public var integer: Bool
    public var horizonStart: String
    public var weeks: Int
    public var iterations: Int
    public var totalCostUSD: Double
    public var lowerBoundUSD: Double?
    public var summary: Summary
    public var shipments: [ShipmentEntry]
    public var services: [ServiceEntry]
}

extension PlanReport {
    /// The contract of `plan` on `network`.
    ///
    /// - Parameter billReference: the document reference of a shipment's route part, or nil
    ///   when no documents are written.
    /// - Complexity: O(total legs + service weeks).
    public init(plan: Plan, network: Network, billReference: (ShipmentID, Int) -> String?) {
        schemaVersion = SchemaVersion.current
        self.network = network.name
        objective = plan.objective.rawValue
        integer = plan.isInteger
        horizonStart = plan.horizonStart.iso
        weeks = plan.weeks
        iterations = plan.iterations
        totalCostUSD = rounded(plan.totalCostUSD, 2)
        lowerBoundUSD = plan.lowerBound.map { rounded($0, 2) }
        let requested = plan.shipments.reduce(0) { $0 + $1.shipment.teu }
        let unmetTEU = plan.shipments.reduce(0) { $0 + $1.unmetTEU }
        summary = Summary(
            shipments: plan.shipments.count, planned: plan.shipments.filter { $0.status == .planned }.count,
            partial: plan.shipments.filter { $0.status == .partial }.count,
            unmet: plan.shipments.filter { $0.status == .unmet }.count, teuRequested: rounded(requested, 3),
            teuPlanned: rounded(requested - unmetTEU, 3), co2eKg: rounded(plan.shipments.reduce(0) { $0 + $1.co2eKg }, 1))
        shipments = plan.shipments.map { entry in
            let s = entry.shipment
            return ShipmentEntry(
                id: s.id.rawValue, status: entry.status.rawValue, reason: entry.reason, origin: s.origin.rawValue,
                destination: s.destination.rawValue, teu: rounded(s.teu, 4), tonnes: rounded(s.tonnes, 3),
                cargo: s.cargo.description, ready: s.ready.iso, deadline: s.deadline.iso, valueUSD: s.valueUSD,
                shipper: s.shipper, consignee: s.consignee, description: s.descriptionOfGoods, hsCode: s.hsCode,
                unmetTEU: rounded(entry.unmetTEU, 4), costUSD: rounded(entry.costUSD, 2), co2eKg: rounded(entry.co2eKg, 1),
                routes: entry.routes.enumerated().map { index, part in
                    RoutePart(teu: rounded(part.teu, 4), week: part.week, startDay: part.startDay.iso, departure: part.departure,
                              arrival: part.arrival, costUSD: rounded(part.route.costUSD, 2),
                              transitHours: rounded(part.route.transitHours, 2), days: rounded(part.route.days, 2),
                              co2eKg: rounded(part.route.co2eKg, 1), modes: part.route.modeSummary,
                              bill: billReference(s.id, index), legs: part.route.legs)
                })
        }
        services = plan.services.compactMap { usage in
            guard let service = network.service(usage.service) else { return nil }
            return ServiceEntry(
                id: usage.service.rawValue, name: service.name, mode: service.mode.rawValue, from: service.from.rawValue,
                to: service.to.rawValue, capacityTEU: rounded(usage.capacityTEU, 2), usedTEU: rounded(usage.usedTEU, 3),
                dualUSDPerTEU: rounded(usage.dualUSDPerTEU, 2),
                binding: usage.weeks.contains { $0.usedTEU >= $0.capacityTEU - 1e-6 },
                departuresPerWeek: service.departuresPerWeek, maxDeparturesNeeded: usage.departuresNeeded?.max(),
                weeks: usage.weeks.map { week in
                    Week(week: week.week, capacityTEU: rounded(week.capacityTEU, 2), usedTEU: rounded(week.usedTEU, 3),
                         dualUSDPerTEU: rounded(week.dualUSDPerTEU, 2),
                         departuresNeeded: usage.departuresNeeded.map { $0[week.week] })
                })
        }
    }
}

// MARK: - Decoding (whole numbers checked at their key)

extension PlanReport {
    /// Reads the contract back; a whole number that is a fraction or too big fails at its key.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(String.self, forKey: .schemaVersion)
        network = try c.decode(String.self, forKey: .network)
        objective = try c.decode(String.self, forKey: .objective)
        integer = try c.decode(Bool.self, forKey: .integer)
        horizonStart = try c.decode(String.self, forKey: .horizonStart)
        weeks = try c.decodeWholeNumber(forKey: .weeks)
        iterations = try c.decodeWholeNumber(forKey: .iterations)
        totalCostUSD = try c.decode(Double.self, forKey: .totalCostUSD)
        lowerBoundUSD = try c.decodeIfPresent(Double.self, forKey: .lowerBoundUSD)
        summary = try c.decode(Summary.self, forKey: .summary)
        shipments = try c.decode([ShipmentEntry].self, forKey: .shipments)
        services = try c.decode([ServiceEntry].self, forKey: .services)
    }
}

extension PlanReport.Summary {
    /// Reads the contract back; a whole number that is a fraction or too big fails at its key.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        shipments = try c.decodeWholeNumber(forKey: .shipments)
        planned = try c.decodeWholeNumber(forKey: .planned)
        partial = try c.decodeWholeNumber(forKey: .partial)
        unmet = try c.decodeWholeNumber(forKey: .unmet)
        teuRequested = try c.decode(Double.self, forKey: .teuRequested)
        teuPlanned = try c.decode(Double.self, forKey: .teuPlanned)
        co2eKg = try c.decode(Double.self, forKey: .co2eKg)
    }
}

extension PlanReport.RoutePart {
    /// Reads the contract back; a whole number that is a fraction or too big fails at its key.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        teu = try c.decode(Double.self, forKey: .teu)
        week = try c.decodeWholeNumber(forKey: .week)
        startDay = try c.decode(String.self, forKey: .startDay)
        departure = try c.decode(String.self, forKey: .departure)
        arrival = try c.decode(String.self, forKey: .arrival)
        costUSD = try c.decode(Double.self, forKey: .costUSD)
        transitHours = try c.decode(Double.self, forKey: .transitHours)
        days = try c.decode(Double.self, forKey: .days)
        co2eKg = try c.decode(Double.self, forKey: .co2eKg)
        modes = try c.decode(String.self, forKey: .modes)
        bill = try c.decodeIfPresent(String.self, forKey: .bill)
        legs = try c.decode([RouteLeg].self, forKey: .legs)
    }
}

extension PlanReport.Week {
    /// Reads the contract back; a whole number that is a fraction or too big fails at its key.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        week = try c.decodeWholeNumber(forKey: .week)
        capacityTEU = try c.decode(Double.self, forKey: .capacityTEU)
        usedTEU = try c.decode(Double.self, forKey: .usedTEU)
        dualUSDPerTEU = try c.decode(Double.self, forKey: .dualUSDPerTEU)
        departuresNeeded = try c.decodeWholeNumberIfPresent(forKey: .departuresNeeded)
    }
}

extension PlanReport.ServiceEntry {
    /// Reads the contract back; a whole number that is a fraction or too big fails at its key.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        mode = try c.decode(String.self, forKey: .mode)
        from = try c.decode(String.self, forKey: .from)
        to = try c.decode(String.self, forKey: .to)
        capacityTEU = try c.decode(Double.self, forKey: .capacityTEU)
        usedTEU = try c.decode(Double.self, forKey: .usedTEU)
        dualUSDPerTEU = try c.decode(Double.self, forKey: .dualUSDPerTEU)
        binding = try c.decode(Bool.self, forKey: .binding)
        departuresPerWeek = try c.decode(Double.self, forKey: .departuresPerWeek)
        maxDeparturesNeeded = try c.decodeWholeNumberIfPresent(forKey: .maxDeparturesNeeded)
        weeks = try c.decode([PlanReport.Week].self, forKey: .weeks)
    }
}
