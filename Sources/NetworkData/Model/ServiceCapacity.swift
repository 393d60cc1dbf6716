/// What one service can carry: TEU per departure and per week, reefer TEU per departure, with
/// seasonal and disruption factors. The one capacity model of the project: the volume split, the
/// batch planner, its arc-based LP, the plan report, the simulator and route legs all ask it.
///
/// ## Rules
/// - **Per departure.** `capacityTEUPerDeparture` when the service declares it; otherwise its
///   payload `capacityTonnesPerDeparture` (air) divided by the tonnes per TEU of the cargo on
///   board, at least ``minimumTonnesPerTEU``. A caller that knows its cargo (a volume split of
///   one shipment) passes the cargo's own ratio; a caller that counts cargo of many densities in
///   one TEU figure (the planner's shared weekly rows, the simulator's departures, a leg's nominal
///   capacity) passes the network's average, `NetworkDefaults.tonnesPerTEU`.
/// - **No declared limit** (neither field; only services built in code, since the network loader
///   requires one): `nil`, meaning unlimited. A planner adds no capacity row for it.
/// - **Reefer.** Each plug powers one 40-ft reefer, ``reeferTEUPerPlug`` TEU; without
///   `reeferPlugsPerDeparture` reefers share the general capacity only.
/// - **Season.** The `capacityFactor` of the adjustment in force in the month, else 1.
/// - **Disruption at an instant.** The lowest `capacityFactor` among the disruptions in force
///   that hit the service (1 when none): two restrictions at once keep the tighter, not the product.
/// - **Disruption over a window** (a planning week): the mean over the window of the instant
///   factor, so a week closed for 2 of 7 days keeps 5/7 of its capacity.
/// - **Per week** = per departure × departures per week × season × disruption, in this order.
public struct ServiceCapacity: Sendable, Hashable {
    /// TEU one reefer plug powers (one 40-ft reefer container).
    public static let reeferTEUPerPlug = 2.0
    /// The least tonnes per TEU a tonnes-limited departure converts at (10 kg per TEU), so an
    /// empty or near-weightless cargo does not make a payload limit infinite.
    public static let minimumTonnesPerTEU = 0.01

    /// The service this capacity is of.
    public let service: Service

    /// The capacity model of `service`.
    public init(_ service: Service) { self.service = service }

    /// TEU one departure carries with no season or disruption, for cargo of `tonnesPerTEU`
    /// tonnes per TEU (used only when the limit is in tonnes); `nil` when the service declares
    /// no limit (unlimited).
    public func teuPerDeparture(tonnesPerTEU: Double) -> Double? {
        if let teu = service.capacityTEUPerDeparture { return teu }
        guard let tonnes = service.capacityTonnesPerDeparture else { return nil }
        return tonnes / max(tonnesPerTEU, Self.minimumTonnesPerTEU)
    }

    /// TEU one departure carries in `month` (1–12; nil: nominal): per departure × season.
    /// - Complexity: O(s) for s seasonal adjustments of the service.
    public func teuPerDeparture(tonnesPerTEU: Double, month: Int?) -> Double? {
        guard let nominal = teuPerDeparture(tonnesPerTEU: tonnesPerTEU) else { return nil }
        guard let month else { return nominal }
        return nominal * seasonalFactor(month: month)
    }

    /// Reefer TEU one departure can power (``reeferTEUPerPlug`` per plug); `nil` when the service
    /// declares no plugs, so reefers are limited by the general capacity only.
    public var reeferTEUPerDeparture: Double? {
        service.reeferPlugsPerDeparture.map { Self.reeferTEUPerPlug * $0 }
    }

    /// The capacity factor of the seasonal adjustment in force in `month` (1–12), else 1.
    /// - Complexity: O(s) for s seasonal adjustments of the service.
    public func seasonalFactor(month: Int) -> Double {
        service.adjustment(inMonth: month)?.capacityFactor ?? 1
    }

    /// TEU per week: per departure × departures per week × the season of `month` (nil: none) ×
    /// `disruptionFactor`; `nil` when the service declares no limit.
    /// - Complexity: O(s) for s seasonal adjustments of the service.
    public func teuPerWeek(tonnesPerTEU: Double, month: Int? = nil, disruptionFactor: Double = 1) -> Double? {
        guard let perDeparture = teuPerDeparture(tonnesPerTEU: tonnesPerTEU) else { return nil }
        let seasonal = month.map(seasonalFactor(month:)) ?? 1
        return perDeparture * service.departuresPerWeek * seasonal * disruptionFactor
    }

    /// TEU in the week that starts on `day`: the season of that day's month, and `disruptions`
    /// over days `day.dayOfYear ..< day.dayOfYear + 7` of the year (the simulator's numbering);
    /// `nil` when the service declares no limit.
    /// - Complexity: O(s + d²) for s seasonal adjustments and d disruptions that hit the service.
    public func teuPerWeek(tonnesPerTEU: Double, weekStarting day: CalendarDay, disruptions: [Disruption]) -> Double? {
        let firstDay = Double(day.dayOfYear)
        let factor = disruptions.isEmpty ? 1 : disruptionFactor(disruptions, fromDay: firstDay, toDay: firstDay + 7)
        return teuPerWeek(tonnesPerTEU: tonnesPerTEU, month: day.month, disruptionFactor: factor)
    }

    /// The capacity factor at `hour` of the year: the lowest `capacityFactor` of the disruptions
    /// in `disruptions` that are in force then and hit the service; 1 when none.
    /// - Complexity: O(d) for d disruptions.
    public func disruptionFactor(_ disruptions: [Disruption], atHour hour: Double) -> Double {
        Self.disruptionFactor(inForce: disruptions.filter { $0.hits(service) }, atHour: hour)
    }

    /// The lowest `capacityFactor` of the disruptions in `disruptions` in force at `hour`; 1 when
    /// none. For lists already narrowed to one service or place (the simulator keeps them).
    /// - Complexity: O(d) for d disruptions.
    public static func disruptionFactor(inForce disruptions: [Disruption], atHour hour: Double) -> Double {
        disruptions.reduce(1.0) { $1.isActive(atHour: hour) ? min($0, $1.capacityFactor) : $0 }
    }

    /// The mean over days `fromDay ..< toDay` of the instant factor (``disruptionFactor(_:atHour:)``):
    /// 1 minus, for each stretch with a disruption in force, its share of the window times
    /// (1 − the lowest factor in force); never below 0.
    /// - Complexity: O(d²) for d disruptions that hit the service.
    public func disruptionFactor(_ disruptions: [Disruption], fromDay: Double, toDay: Double) -> Double {
        let length = toDay - fromDay
        guard length > 0 else { return 1 }
        let hitting = disruptions.filter { $0.hits(service) && $0.fromDay < toDay && $0.toDay > fromDay }
        guard !hitting.isEmpty else { return 1 }
        var cuts: Set<Double> = [fromDay, toDay]
        for disruption in hitting {
            cuts.insert(max(fromDay, disruption.fromDay))
            cuts.insert(min(toDay, disruption.toDay))
        }
        let stretches = cuts.sorted()
        var factor = 1.0
        for (start, end) in zip(stretches, stretches.dropFirst()) {
            let inForce = hitting.filter { $0.fromDay <= start && $0.toDay >= end }
            guard let lowest = inForce.map(\.capacityFactor).min() else { continue }
            factor -= (end - start) / length * (1 - lowest)
        }
        return max(0, factor)
    }
}

extension Service {
    /// This service's capacity model (TEU per departure and week, reefer plugs, factors).
    public var capacity: ServiceCapacity { ServiceCapacity(self) }
}
