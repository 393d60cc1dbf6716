import NetworkData

/// What happens at the end of a leg before the next one starts.
public struct TransferEvent: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable {
        /// A change of mode (lift off / lift on).
        case modeChange
        /// Same mode, another service (re-marshalling, onward booking).
        case connection
        /// A break of gauge (1435/1520 mm, 1435/1000 mm).
        case gaugeChange
    }
    public var kind: Kind
    public var place: PlaceCode
    /// True when the place is a border crossing.
    public var isBorderCrossing: Bool
    public var hours: Double
    public var costUSD: Double
    /// The gauges on either side, for a gauge change.
    public var gaugesMm: [Int]?
}

/// One leg of a route: a service ridden, or a first/last-mile road leg.
public struct RouteLeg: Hashable, Sendable {
    public var mode: TransportMode
    /// The service id; first/last-mile legs are `firstMile:<terminal>` / `lastMile:<terminal>`.
    public var service: String
    public var serviceName: String
    public var `operator`: String?
    public var corridor: Corridor?
    public var from: PlaceCode
    public var to: PlaceCode
    public var distanceKm: Double
    /// Expected wait for the departure (half the headway).
    public var waitHours: Double
    public var transitHours: Double
    /// Hours at `to` after arrival and before the next leg (handling, customs, border, gauge).
    public var dwellHours: Double
    /// Price of the leg itself.
    public var costUSD: Double
    /// Handling, connection or gauge-change cost at `to`.
    public var handlingUSD: Double
    public var co2eKg: Double
    /// Hours from the start of the route until this leg departs and arrives.
    public var departureHour: Double
    public var arrivalHour: Double
    /// What happens at `to` before the next leg.
    public var transfer: TransferEvent?
    /// TEU one departure of this service carries (air: payload tonnes ÷ tonnes per TEU).
    public var capacityTEUPerDeparture: Double?
    public var departuresPerWeek: Double?
}

/// A door-to-door route: legs and totals.
public struct Route: Hashable, Sendable, Codable {
    public var legs: [RouteLeg]
    public var costUSD: Double
    /// Door-to-door hours: waits, transit and dwell.
    public var transitHours: Double
    public var co2eKg: Double
    /// The value the search minimised.
    public var objectiveValue: Double
    /// Arcs of the mode-expanded graph, for identity.
    public var arcs: [Int]
    /// Near-copies folded into this route by the router: same corridor and gateway, cost
    /// within a few percent (see ``Router/nearCopyCostShare``). Not part of the route's own
    /// encoding; the route contract shows it as `alsoVia`.
    public var alsoVia: [NearCopy] = []

    private enum CodingKeys: String, CodingKey { case legs, costUSD, transitHours, co2eKg, objectiveValue, arcs }

    public init(legs: [RouteLeg], costUSD: Double, transitHours: Double, co2eKg: Double, objectiveValue: Double, arcs: [Int]) {
        self.legs = legs
        self.costUSD = costUSD
        self.transitHours = transitHours
        self.co2eKg = co2eKg
        self.objectiveValue = objectiveValue
        self.arcs = arcs
    }

    public var days: Double { transitHours / 24 }
    /// The service legs (no first/last mile).
    public var serviceLegs: [RouteLeg] { legs.filter { !$0.service.contains(":") } }
    /// Modes in order, repeats removed: e.g. road → rail → sea.
    public var modeSummary: String {
        var modes: [String] = []
        for leg in legs where modes.last != leg.mode.rawValue { modes.append(leg.mode.rawValue) }
        return modes.joined(separator: "→")
    }
    /// Border crossings and gauge changes passed, by place.
    public var borderPlaces: [PlaceCode] {
        legs.compactMap { $0.transfer }.filter { $0.isBorderCrossing || $0.kind == .gaugeChange }.map(\.place)
    }
    /// The smallest per-departure capacity along the route, in TEU.
    public var bottleneckTEUPerDeparture: Double? {
        legs.compactMap(\.capacityTEUPerDeparture).min()
    }

    /// Whether the route is no worse in cost, time and CO2 and better in one.
    public func dominates(_ other: Route) -> Bool {
        let epsilon = 1e-6
        let noWorse = costUSD <= other.costUSD + epsilon && transitHours <= other.transitHours + epsilon
            && co2eKg <= other.co2eKg + epsilon
        let better = costUSD < other.costUSD - epsilon || transitHours < other.transitHours - epsilon
            || co2eKg < other.co2eKg - epsilon
        return noWorse && better
    }
}

// MARK: - The one leg encoding

/// The JSON of a leg, shared by every output that shows one (`route`, `plan`, the saved plan,
/// the one-bill extension, the simulator's scenario export): every key is always present
/// (`null` when a value does not apply), money rounded to cents, hours to 0.01 h, distance and
/// CO2e to 0.1. Decoding checks types and ranges and names the key of a bad value, so a file
/// edited by hand cannot carry a value that would trap later (a huge hour, a negative price).
/// Schema: `schemas/route-leg.schema.json`.
extension RouteLeg: Codable {
    /// The leg's JSON keys, in the order the schema lists them.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case mode, service, serviceName, `operator`, corridor, from, to, distanceKm, waitHours, transitHours, dwellHours
        case costUSD, handlingUSD, co2eKg, departureHour, arrivalHour, transfer, capacityTEUPerDeparture, departuresPerWeek
    }

    /// The ranges a decoded leg's numbers must lie in (wide enough for any route the planner
    /// makes, narrow enough that every later integer conversion and date is safe).
    public enum Limits {
        /// Hours of a wait, transit, dwell or transfer, and hours since the route's start: ten years.
        public static let hours = 0.0...87_600
        /// One leg's distance, as a service's (``NetworkLoader/Limits/distanceKm``).
        public static let distanceKm = NetworkLoader.Limits.distanceKm
        /// USD and kg CO2e of one leg: up to 10^15, where doubles still count whole units.
        public static let amount = 0.0...1e15
        /// TEU one departure carries.
        public static let capacityTEU = NetworkLoader.Limits.capacity
        /// Departures a week.
        public static let departuresPerWeek = NetworkLoader.Limits.departuresPerWeek
        /// Longest service id or name accepted, in characters.
        public static let textLength = 200
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mode, forKey: .mode)
        try container.encode(service, forKey: .service)
        try container.encode(serviceName, forKey: .serviceName)
        try container.encode(`operator`, forKey: .operator)
        try container.encode(corridor, forKey: .corridor)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(Self.rounded(distanceKm, 1), forKey: .distanceKm)
        try container.encode(Self.rounded(waitHours, 2), forKey: .waitHours)
        try container.encode(Self.rounded(transitHours, 2), forKey: .transitHours)
        try container.encode(Self.rounded(dwellHours, 2), forKey: .dwellHours)
        try container.encode(Self.rounded(costUSD, 2), forKey: .costUSD)
        try container.encode(Self.rounded(handlingUSD, 2), forKey: .handlingUSD)
        try container.encode(Self.rounded(co2eKg, 1), forKey: .co2eKg)
        try container.encode(Self.rounded(departureHour, 2), forKey: .departureHour)
        try container.encode(Self.rounded(arrivalHour, 2), forKey: .arrivalHour)
        try container.encode(transfer, forKey: .transfer)
        try container.encode(capacityTEUPerDeparture.map { Self.rounded($0, 2) }, forKey: .capacityTEUPerDeparture)
        try container.encode(departuresPerWeek.map { Self.rounded($0, 3) }, forKey: .departuresPerWeek)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func checked(_ value: String, _ key: CodingKeys) throws -> String {
            guard (1...Limits.textLength).contains(value.count) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "a text of \(value.count) characters; expected 1 to \(Limits.textLength)")
            }
            return value
        }
        func text(_ key: CodingKeys) throws -> String { try checked(try container.decode(String.self, forKey: key), key) }
        func optionalText(_ key: CodingKeys) throws -> String? {
            try container.decode(String?.self, forKey: key).map { try checked($0, key) }
        }
        func number(_ key: CodingKeys, _ range: ClosedRange<Double>, _ unit: String) throws -> Double {
            try Self.check(try container.decode(Double.self, forKey: key), in: range, unit: unit, key: key, container: container)
        }
        func optionalNumber(_ key: CodingKeys, _ range: ClosedRange<Double>, _ unit: String) throws -> Double? {
            try container.decode(Double?.self, forKey: key)
                .map { try Self.check($0, in: range, unit: unit, key: key, container: container) }
        }
        mode = try Self.decodeEnum(TransportMode.self, .mode, in: container)
        service = try text(.service)
        serviceName = try text(.serviceName)
        `operator` = try optionalText(.operator)
        corridor = try container.decode(String?.self, forKey: .corridor) == nil
            ? nil : try Self.decodeEnum(Corridor.self, .corridor, in: container)
        from = PlaceCode(try text(.from))
        to = PlaceCode(try text(.to))
        distanceKm = try number(.distanceKm, Limits.distanceKm, "km")
        waitHours = try number(.waitHours, Limits.hours, "hours")
        transitHours = try number(.transitHours, Limits.hours, "hours")
        dwellHours = try number(.dwellHours, Limits.hours, "hours")
        costUSD = try number(.costUSD, Limits.amount, "USD")
        handlingUSD = try number(.handlingUSD, Limits.amount, "USD")
        co2eKg = try number(.co2eKg, Limits.amount, "kg")
        departureHour = try number(.departureHour, Limits.hours, "hours")
        arrivalHour = try number(.arrivalHour, Limits.hours, "hours")
        if arrivalHour < departureHour {
            throw DecodingError.dataCorruptedError(
                forKey: .arrivalHour, in: container,
                debugDescription: "\(arrivalHour) is before departureHour \(departureHour); expected a later hour")
        }
        transfer = try container.decode(TransferEvent?.self, forKey: .transfer)
        capacityTEUPerDeparture = try optionalNumber(.capacityTEUPerDeparture, Limits.capacityTEU, "TEU")
        departuresPerWeek = try optionalNumber(.departuresPerWeek, Limits.departuresPerWeek, "departures a week")
    }

    /// `value` rounded to `places` decimals, as every JSON output shows it.
    static func rounded(_ value: Double, _ places: Int) -> Double {
        let scale = [1.0, 10, 100, 1000, 10_000][places]
        return (value * scale).rounded() / scale
    }

    /// `value` if it lies in `range`, else a decoding error naming the key, the value and the range.
    static func check<Key: CodingKey>(
        _ value: Double, in range: ClosedRange<Double>, unit: String, key: Key, container: KeyedDecodingContainer<Key>
    ) throws -> Double {
        guard value.isFinite, range.contains(value) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "\(value) is out of range; expected \(range.lowerBound.boundText) to \(range.upperBound.boundText) \(unit)")
        }
        return value
    }

    /// A string enum, or a decoding error listing the accepted values.
    static func decodeEnum<Value: RawRepresentable & CaseIterable, Key: CodingKey>(
        _ type: Value.Type, _ key: Key, in container: KeyedDecodingContainer<Key>
    ) throws -> Value where Value.RawValue == String {
        let text = try container.decode(String.self, forKey: key)
        guard let value = Value(rawValue: text) else {
            let accepted = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "'\(text.prefix(40))' is not one of \(accepted)")
        }
        return value
    }
}

/// The JSON of a transfer, part of the leg encoding: `kind`, `place`, `borderCrossing`,
/// `hours`, `costUSD`, `gaugesMm` (`null` unless a gauge change).
extension TransferEvent: Codable {
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, place, borderCrossing, hours, costUSD, gaugesMm
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(place, forKey: .place)
        try container.encode(isBorderCrossing, forKey: .borderCrossing)
        try container.encode(RouteLeg.rounded(hours, 2), forKey: .hours)
        try container.encode(RouteLeg.rounded(costUSD, 2), forKey: .costUSD)
        try container.encode(gaugesMm, forKey: .gaugesMm)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try RouteLeg.decodeEnum(Kind.self, .kind, in: container)
        let placeText = try container.decode(String.self, forKey: .place)
        guard (1...40).contains(placeText.count) else {
            throw DecodingError.dataCorruptedError(forKey: .place, in: container,
                                                   debugDescription: "'\(placeText.prefix(40))'; expected a place code")
        }
        place = PlaceCode(placeText)
        isBorderCrossing = try container.decode(Bool.self, forKey: .borderCrossing)
        hours = try RouteLeg.check(try container.decode(Double.self, forKey: .hours), in: RouteLeg.Limits.hours,
                                   unit: "hours", key: CodingKeys.hours, container: container)
        costUSD = try RouteLeg.check(try container.decode(Double.self, forKey: .costUSD), in: RouteLeg.Limits.amount,
                                     unit: "USD", key: CodingKeys.costUSD, container: container)
        // Read as numbers: Foundation's JSONDecoder reports a fraction or a huge number read as
        // Int as invalid JSON for the whole document, without the key.
        let gauges = try container.decode([Double]?.self, forKey: .gaugesMm)
        if let gauges, gauges.count != 2 || !gauges.allSatisfy({ $0 == $0.rounded() && (600...1700).contains($0) }) {
            throw DecodingError.dataCorruptedError(forKey: .gaugesMm, in: container,
                                                   debugDescription: "\(gauges); expected two whole gauges of 600 to 1700 mm")
        }
        gaugesMm = gauges?.map { Int($0) }
    }
}

extension TransferEvent.Kind: CaseIterable {}

private extension Double {
    /// The bound as people write it: `87600`, `0.5`, `1e+15`.
    var boundText: String { self == rounded() && abs(self) < 1e12 ? String(Int64(self)) : "\(self)" }
}
