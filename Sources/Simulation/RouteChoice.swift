import Foundation
import NetworkData

/// The market a demand lane's shippers belong to, which sets their value of time. The demand
/// table's `corridor` column says where the published volume was counted, which is the
/// shippers' revealed preference: air-counted rows are the time-critical market (cargo that
/// flies); the others are priced by their cargo class and, for general cargo, by the value of
/// what their corridor carries (Land-Sea and Yangtze cargo is worth less a TEU than China-Europe
/// cargo).
public enum ShipperSegment: String, CaseIterable, Sendable, Codable {
    /// Cargo shipped by air today: electronics, parts, e-commerce, medicine.
    case timeCritical
    /// Temperature-controlled food and pharmaceuticals.
    case reefer
    /// Dangerous goods (lithium batteries, chemicals).
    case dangerous
    /// Finished vehicles.
    case vehicles
    /// General cargo counted on the China-Europe trains (laptops, machinery): about $55k a TEU.
    case generalRail
    /// General cargo counted on the Land-Sea Corridor, the Yangtze or inside China: about $25k a
    /// TEU, valued at inventory carrying cost (25 % a year).
    case general

    /// The segment of `lane`.
    public init(_ lane: DemandLane) {
        if lane.corridor == .air {
            self = .timeCritical
            return
        }
        switch lane.cargo {
        case .reefer: self = .reefer
        case .dangerous: self = .dangerous
        case .vehicles: self = .vehicles
        case .general: self = lane.corridor == .chinaEurope ? .generalRail : .general
        }
    }
}

/// The parameters of the shippers' route choice (docs/simulation-model.md gives each one's source
/// and how it was calibrated).
public struct ChoiceParameters: Sendable, Hashable {
    /// USD a shipper would pay to save one hour door to door, per TEU, by segment.
    public var valueOfTimeUSDPerTEUHour: [ShipperSegment: Double]
    /// Value of one hour of spread (p90 − mean of door-to-door hours) per value of one hour of
    /// mean time: the reliability ratio.
    public var reliabilityRatio: Double
    /// Logit scale on relative generalised cost: the utility of an alternative is
    /// −scale × (cost ÷ cheapest cost − 1), so a scale of 10 makes an alternative 10 % dearer
    /// e (≈ 2.7) times less likely.
    public var scale: Double
    /// USD per TEU added to an alternative's generalised cost by its corridor: what price and
    /// time do not explain (habit, contracts, service quality), calibrated on the 2025 split.
    public var corridorConstantUSDPerTEU: [Corridor: Double]
    /// A shipment books only departures among the next this many of each service (at least
    /// `minimumHorizonHours` ahead): a daily train is booked up to a few days ahead, a weekly
    /// sailing a few weeks.
    public var bookingHorizonDepartures: Double
    public var minimumHorizonHours: Double
    /// No booking reaches further ahead than this, whatever the frequency, but always to the next
    /// departure: China-Europe trains open booking about 14 days before departure.
    public var maximumHorizonHours: Double = 14 * 24
    /// Days after its arrival at a border or lock within which a through booking must find a
    /// crossing day with throughput left.
    public var crossingHorizonDays: Double = 7
    /// Share of a border's or lock's daily throughput that crossing days are planned up to:
    /// arrivals are random, and a queue served at 100 % grows without bound (M/D/1), so paths are
    /// planned below capacity, but no lower than the busiest crossings demonstrably ran (2024:
    /// Alashankou 21.0 of 22 trains a day, the Three Gorges locks 30.2 of 31 lockages).
    public var crossingPlanningUtilisation: Double = 0.95
    /// A lane's choice set keeps the routes whose generalised cost at planned times is at most
    /// this many times the best (at scale 8 a route 50 % dearer is drawn 2 % as often), and each
    /// corridor's best. A shipment whose routes with room all cost more than this many times
    /// waiting beyond the horizon for another waits instead.
    public var choiceSetCostRatio: Double = 1.5

    /// The defaults (docs/simulation-model.md gives each one's source): values of time from
    /// cargo value × the daily cost of time in transit (Hummels & Schaur 2013: 0.6–2.1 % of value
    /// a day for time-sensitive goods; inventory carrying 20–25 % a year for the rest), a
    /// reliability ratio of 1, a relative scale of 5 (on the Europe lanes, about 0.0008 per USD of
    /// generalised cost: the inelastic range freight studies report), and corridor constants for
    /// the Land-Sea Corridor and the Yangtze calibrated on the 2025 split (docs/calibration.md).
    public static let calibrated = ChoiceParameters(
        valueOfTimeUSDPerTEUHour: [.timeCritical: 125, .reefer: 25, .dangerous: 0.71, .vehicles: 17, .generalRail: 4.6,
                                   .general: 0.71],
        reliabilityRatio: 1.0,
        scale: 5,
        corridorConstantUSDPerTEU: [.landSea: -300, .yangtze: -100],
        bookingHorizonDepartures: 3,
        minimumHorizonHours: 48)

    public init(valueOfTimeUSDPerTEUHour: [ShipperSegment: Double], reliabilityRatio: Double, scale: Double,
                corridorConstantUSDPerTEU: [Corridor: Double], bookingHorizonDepartures: Double, minimumHorizonHours: Double) {
        self.valueOfTimeUSDPerTEUHour = valueOfTimeUSDPerTEUHour
        self.reliabilityRatio = reliabilityRatio
        self.scale = scale
        self.corridorConstantUSDPerTEU = corridorConstantUSDPerTEU
        self.bookingHorizonDepartures = bookingHorizonDepartures
        self.minimumHorizonHours = minimumHorizonHours
    }

    /// Hours ahead a service with departures every `headway` hours is booked:
    /// ``bookingHorizonDepartures`` departures, at least ``minimumHorizonHours``, at most
    /// ``maximumHorizonHours`` unless a single headway is longer.
    public func horizonHours(headway: Double) -> Double {
        max(minimumHorizonHours, min(bookingHorizonDepartures * headway, max(maximumHorizonHours, headway)))
    }

    /// Generalised cost per TEU of an alternative: price + value of time × (expected hours +
    /// reliability ratio × spread hours) + the corridor's constant.
    public func generalisedCost(priceUSDPerTEU: Double, expectedHours: Double, spreadHours: Double,
                                segment: ShipperSegment, corridor: Corridor) -> Double {
        generalisedCost(fixedUSDPerTEU: priceUSDPerTEU + (corridorConstantUSDPerTEU[corridor] ?? 0),
                        valueOfTime: valueOfTimeUSDPerTEUHour[segment] ?? 0, expectedHours: expectedHours,
                        spreadHours: spreadHours)
    }

    /// The same formula with the lookups done: `fixedUSDPerTEU` (price, carbon and corridor
    /// constant) + `valueOfTime` × (expected hours + reliability ratio × spread hours). What the
    /// engine calls for every alternative of every shipment, with both figures precomputed.
    @inline(__always)
    public func generalisedCost(fixedUSDPerTEU: Double, valueOfTime: Double, expectedHours: Double, spreadHours: Double) -> Double {
        fixedUSDPerTEU + valueOfTime * (expectedHours + reliabilityRatio * spreadHours)
    }

    /// Multinomial-logit probabilities of alternatives with generalised costs `costs` (nil: not
    /// feasible, probability 0). Utility is −scale × (cost ÷ cheapest − 1), so the choice depends
    /// on relative, not absolute, differences; a lane to Europe and one across town are
    /// comparably sensitive. Sums to one when any alternative is feasible; all zeros otherwise.
    /// - Complexity: O(n).
    public func probabilities(of costs: [Double?]) -> [Double] {
        let feasible = costs.compactMap { $0 }.filter(\.isFinite)
        guard let cheapest = feasible.min() else { return costs.map { _ in 0 } }
        // Costs can be negative only through a negative constant; shift so the cheapest is ≥ 1 USD.
        let shift = cheapest < 1 ? 1 - cheapest : 0
        let reference = cheapest + shift
        let weights = costs.map { cost -> Double in
            guard let cost, cost.isFinite else { return 0 }
            return exp(-scale * ((cost + shift) / reference - 1))
        }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }
}
