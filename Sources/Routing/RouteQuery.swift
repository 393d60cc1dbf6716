import NetworkData

/// One shipment to route: where, how much, what cargo, by when, optimised for what.
public struct RouteQuery: Sendable {
    public var origin: PlaceCode
    public var destination: PlaceCode
    /// Volume in TEU (for per-TEU prices and capacity).
    public var teu: Double
    /// Mass in tonnes (for CO2 and per-kg air prices).
    public var tonnes: Double
    public var cargo: CargoClass
    public var deadlineHours: Double?
    public var objective: Objective
    /// How many distinct routes to return.
    public var alternatives: Int
    /// USD per TEU per hour, for `balanced`.
    public var valueOfTimeUSDPerTEUHour: Double
    /// USD per tonne CO2e, for `balanced`.
    public var carbonPriceUSDPerTonne: Double
    /// Month of departure (1–12) for seasonal capacity and transit; nil = nominal.
    public var month: Int?

    public init(
        origin: PlaceCode, destination: PlaceCode, teu: Double = 1, tonnes: Double? = nil,
        tonnesPerTEU: Double = 10, cargo: CargoClass = .general, deadlineHours: Double? = nil,
        objective: Objective = .cost, alternatives: Int = 5, valueOfTimeUSDPerTEUHour: Double = 5,
        carbonPriceUSDPerTonne: Double = 100, month: Int? = nil
    ) {
        self.origin = origin
        self.destination = destination
        self.teu = teu
        self.tonnes = tonnes ?? teu * tonnesPerTEU
        self.cargo = cargo
        self.deadlineHours = deadlineHours
        self.objective = objective
        self.alternatives = alternatives
        self.valueOfTimeUSDPerTEUHour = valueOfTimeUSDPerTEUHour
        self.carbonPriceUSDPerTonne = carbonPriceUSDPerTonne
        self.month = month
    }

    /// The weight of an arc with `a` for this shipment under `objective`.
    package func weight(_ a: ArcAttributes, objective: Objective) -> Double {
        switch objective {
        case .cost: return a.costUSDPerTEU * teu + a.costUSDPerTonne * tonnes
        case .time: return a.hours
        case .co2: return a.co2eKgPerTonne * tonnes
        case .balanced:
            return a.costUSDPerTEU * teu + a.costUSDPerTonne * tonnes
                + valueOfTimeUSDPerTEUHour * a.hours * teu + carbonPriceUSDPerTonne * a.co2eKgPerTonne * tonnes / 1000
        }
    }
}
