import NetworkData

/// What happens at the end of a leg before the next one starts.
public struct TransferEvent: Hashable, Sendable, Codable {
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
public struct RouteLeg: Hashable, Sendable, Codable {
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
