/// Time and cost of one lift when cargo changes mode at a place.
public struct Handling: Hashable, Sendable, Codable {
    public var hours: Double
    public var costUSDPerTEU: Double
    public init(hours: Double, costUSDPerTEU: Double) {
        self.hours = hours
        self.costUSDPerTEU = costUSDPerTEU
    }
}

/// A dwell-time distribution (customs, border, lock): mean and 90th percentile.
public struct Dwell: Hashable, Sendable, Codable {
    public var meanHours: Double
    public var p90Hours: Double
    public init(meanHours: Double, p90Hours: Double) {
        self.meanHours = meanHours
        self.p90Hours = p90Hours
    }
}

/// A break of gauge: rail cargo passing through changes track gauge here.
public struct GaugeChange: Hashable, Sendable, Codable {
    public var gaugesMm: [Int]
    public var hours: Double
    public var costUSDPerTEU: Double
}

/// A capacity-limited node: how many trains, lockages, … it handles a day.
public struct Throughput: Hashable, Sendable, Codable {
    public var unitsPerDay: Double
    public var peakUnitsPerDay: Double?
    public var unit: String
    public var teuPerUnit: Double?
    /// Units a day the place handled in the base year, all traffic (ours and background): it ran
    /// this full, so crossings are planned at least this full (at most `unitsPerDay`).
    public var observedUnitsPerDay: Double?

    public init(unitsPerDay: Double, peakUnitsPerDay: Double? = nil, unit: String, teuPerUnit: Double? = nil,
                observedUnitsPerDay: Double? = nil) {
        self.unitsPerDay = unitsPerDay
        self.peakUnitsPerDay = peakUnitsPerDay
        self.unit = unit
        self.teuPerUnit = teuPerUnit
        self.observedUnitsPerDay = observedUnitsPerDay
    }

    /// The share of `unitsPerDay` the place demonstrably ran at, if observed.
    public var observedShare: Double? { observedUnitsPerDay.map { $0 / unitsPerDay } }
}

/// Traffic through a capacity-limited place that is not in the simulated demand (other
/// provinces' China-Europe trains at a border, other Yangtze shipping at a lock), in the
/// place's `throughput.unit` per day.
public struct BackgroundTraffic: Hashable, Sendable, Codable {
    /// Mean vehicles a day over the year.
    public var vehiclesPerDay: Double
    /// Twelve factors, January first, with mean 1: the month's rate is `vehiclesPerDay × byMonth[m]`.
    public var byMonth: [Double]
    public var source: String

    public init(vehiclesPerDay: Double, byMonth: [Double] = Array(repeating: 1, count: 12), source: String) {
        self.vehiclesPerDay = vehiclesPerDay
        self.byMonth = byMonth
        self.source = source
    }

    /// Mean vehicles a day in `month` (1–12); the yearly mean when `month` is nil or out of range.
    public func vehiclesPerDay(inMonth month: Int?) -> Double {
        guard let month, (1...12).contains(month), byMonth.count == 12 else { return vehiclesPerDay }
        return vehiclesPerDay * byMonth[month - 1]
    }
}

/// The first/last-mile road leg between a terminal and its city.
public struct CityAccess: Hashable, Sendable, Codable {
    public var distanceKm: Double
    public var hours: Double
    public var costUSDPerTEU: Double
}

/// A place in the network: a city zone, terminal, port, airport, border or lock.
public struct Place: Hashable, Sendable, Identifiable {
    public var id: PlaceCode { code }
    public var code: PlaceCode
    public var name: String
    public var nameZh: String?
    public var country: String
    /// Longitude, WGS 84 degrees.
    public var longitude: Double
    /// Latitude, WGS 84 degrees.
    public var latitude: Double
    public var kind: PlaceKind
    /// The city zone this terminal serves.
    public var city: PlaceCode?
    public var cityAccess: CityAccess?
    public var iata: String?
    public var aliases: [String]
    public var handling: Handling?
    public var dwell: Dwell?
    public var gaugeChange: GaugeChange?
    public var throughput: Throughput?
    /// Vehicles not in the simulated demand that share `throughput` (needs `throughput`).
    public var backgroundTraffic: BackgroundTraffic? = nil
    /// `reformsTrains:` as the file gives it; nil when the file leaves it to ``reformsTrains``'s rule.
    public var declaredReformsTrains: Bool? = nil
    public var source: String
    public var location: SourceLocation
    /// Lines of individual fields (`city`) for messages about them.
    public var fieldLines: [String: Int] = [:]

    /// Whether a train arriving here by rail is re-formed (its cargo sorted onto other trains) or,
    /// continuing by rail, passes through whole as a block train: as declared, else re-formed
    /// everywhere but at a border crossing without a gauge change (docs/network-format.md).
    public var reformsTrains: Bool {
        declaredReformsTrains ?? !(kind == .borderCrossing && gaugeChange == nil)
    }

    /// A short label: name and code.
    public var label: String { "\(name) (\(code))" }
}
