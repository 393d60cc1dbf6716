/// A key figure the simulator measures; a target names one in its `kpi` field.
///
/// The simulator computes every case (an exhaustive `switch`), so a target can only name a
/// figure that is measured; a name not listed here is a load error of the network file.
public enum SimulationKPI: String, CaseIterable, Sendable, Codable, Hashable {
    /// China-Europe rail departures that leave or reach a hub place within the simulated weeks.
    case chinaEuropeTrains
    /// International routes of the hub's airport: freighter routes operating by their load
    /// (``ckgCargoRoutesOperating``) plus passenger routes timetabled (``ckgPassengerRoutesTimetabled``).
    case ckgInternationalRoutes
    /// Freighter routes from the hub's airport whose week's load, both directions, reaches the
    /// hub's minimum load factor in enough weeks (an outcome).
    case ckgCargoRoutesOperating
    /// Passenger (belly) routes from the hub's airport timetabled at least weekly (an input:
    /// passenger demand is not simulated).
    case ckgPassengerRoutesTimetabled
    /// Land-Sea Corridor TEU dispatched from their origin.
    case landSeaCorridorTEU
    /// Share of the Land-Sea Corridor TEU that is transit (中转) cargo.
    case landSeaTransitShare
    /// China-Europe and Land-Sea Corridor TEU dispatched from their origin.
    case hubMultimodalTEU
    /// Shipments that entered the simulation.
    case shipmentsArrived
    /// Shipments delivered within the simulated weeks.
    case shipmentsDelivered
    /// Share of delivered shipments that arrived on time.
    case onTimeRate
    /// Delivered shipments whose route used two modes or more (each one consignment under one contract).
    case multimodalConsignments
    /// Through (one-bill) documents issued: multimodal consignments × the hub's adoption share.
    case oneBillDocuments
    /// Mean door-to-door days of the hub's timed journey (hub → country through a country).
    case chinaLaosThailandDays
    /// Mean cost per TEU (USD) of the hub's timed journey.
    case chinaLaosThailandCostUSDPerTEU
    /// TEU delivered within the simulated weeks, every corridor.
    case deliveredTEU
    /// TEU of shipments that could not be booked onto a leg (stranded).
    case strandedTEU

    /// What the figure needs from the network's `hub`, if anything (for load checks).
    public var hubRequirement: HubRequirement {
        switch self {
        case .chinaEuropeTrains: .places
        case .ckgInternationalRoutes, .ckgCargoRoutesOperating, .ckgPassengerRoutesTimetabled: .airport
        case .chinaLaosThailandDays, .chinaLaosThailandCostUSDPerTEU: .timedJourney
        case .landSeaCorridorTEU, .landSeaTransitShare, .hubMultimodalTEU, .shipmentsArrived, .shipmentsDelivered,
             .onTimeRate, .multimodalConsignments, .oneBillDocuments, .deliveredTEU, .strandedTEU: .none
        }
    }

    /// The part of a ``Hub`` a KPI counts from.
    public enum HubRequirement: Sendable {
        case none
        /// The hub's places (its cities and their terminals).
        case places
        /// The hub's airport.
        case airport
        /// The hub's timed journey.
        case timedJourney
    }
}

/// How a measured value is compared with a target's threshold.
public enum TargetComparison: String, CaseIterable, Sendable, Codable, Hashable {
    /// Met when the value is at least the threshold (≥).
    case atLeast
    /// Met when the value is at most the threshold (≤) and was measured at all.
    case atMost

    /// The comparison sign, `≥` or `≤`.
    public var symbol: String { self == .atLeast ? "≥" : "≤" }
}

/// A past value a relative target is measured against (the 2024 volume of "+25 % over 2024").
public struct TargetBaseline: Hashable, Sendable, Codable {
    /// The year the baseline value belongs to.
    public var year: Int
    /// The baseline value of the target's KPI, in `unit`.
    public var value: Double
    public var unit: String
    /// A URL, or `estimate:` with how the value was derived.
    public var source: String

    public init(year: Int, value: Double, unit: String, source: String) {
        self.year = year
        self.value = value
        self.unit = unit
        self.source = source
    }

    /// Whether the value is an estimate (its source starts with `estimate:`).
    public var isEstimate: Bool { source.lowercased().hasPrefix("estimate:") }
}

/// A cumulative target (documents issued 2025–2027): the years summed, with the published
/// actuals of those already past; every other year counts at the simulated year's value.
public struct TargetCumulation: Hashable, Sendable, Codable {
    /// The first year summed; the last is the target's year.
    public var fromYear: Int
    /// Published values of some of the years (a year without one counts at the simulated value).
    public var actuals: [TargetBaseline]

    public init(fromYear: Int, actuals: [TargetBaseline]) {
        self.fromYear = fromYear
        self.actuals = actuals
    }
}

/// A plan target the simulator checks (seed plans: 5,500 trains, 55 routes, …): which KPI, how
/// it is compared, the threshold, and for a relative target the baseline.
public struct Target: Hashable, Sendable, Codable {
    public var id: String
    public var description: String
    /// The year the target is set for.
    public var year: Int
    /// The threshold: in `unit`, or for a relative target the growth over the baseline (0.25 = +25 %).
    public var value: Double
    public var unit: String
    public var source: String
    /// The figure measured.
    public var kpi: SimulationKPI
    public var comparison: TargetComparison
    /// When set, the value compared is KPI ÷ baseline − 1.
    public var baseline: TargetBaseline?
    /// When set, the value compared is the sum over the years (actuals, else the KPI).
    public var cumulative: TargetCumulation?
    /// Shown beside every check of this target.
    public var note: String?
    /// Shown when the run measured nothing for the KPI (no such shipment); such a check is not met.
    public var unmeasuredNote: String?
    /// Where the target was read.
    public var location: SourceLocation
    /// Lines of individual fields (`kpi`) for messages about them.
    public var fieldLines: [String: Int] = [:]

    public init(id: String, description: String, year: Int, value: Double, unit: String, source: String,
                kpi: SimulationKPI, comparison: TargetComparison, baseline: TargetBaseline? = nil,
                cumulative: TargetCumulation? = nil, note: String? = nil, unmeasuredNote: String? = nil, location: SourceLocation, fieldLines: [String: Int] = [:]) {
        self.id = id
        self.description = description
        self.year = year
        self.value = value
        self.unit = unit
        self.source = source
        self.kpi = kpi
        self.comparison = comparison
        self.baseline = baseline
        self.cumulative = cumulative
        self.note = note
        self.unmeasuredNote = unmeasuredNote
        self.location = location
        self.fieldLines = fieldLines
    }

    /// Whether `id` is a valid target id: 1–60 of `A–Z a–z 0–9 . _ -`, starting with a letter.
    public static func isWellFormed(id: String) -> Bool {
        (1...60).contains(id.count) && id.first!.isLetter
            && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}
