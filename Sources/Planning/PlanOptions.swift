import NetworkData

/// Options of a batch plan.
public struct PlanOptions: Sendable {
    public var objective: Objective = .cost
    /// USD per tonne CO2e added to every objective (default 0; `balanced` uses 100 when unset).
    public var carbonPriceUSDPerTonne: Double?
    /// USD per TEU-hour for `balanced`; default: 10 % a year of the shipment's value, else 5.
    public var valueOfTimeUSDPerTEUHour: Double?
    /// Whole departures with a fixed cost each (a MIP in GLPK).
    public var integer = false
    /// A shipment departs within this many weeks of its ready week (nil: any week up to its
    /// deadline). With 1 every shipment leaves in its ready week.
    public var departureWindowWeeks: Int?
    /// Objective charged per TEU left behind; far above any route's price.
    public var unmetPenaltyPerTEU = 10_000_000.0
    public var maximumIterations = 100
    /// Integer plans: stop branch-and-cut at this relative gap or after this many seconds,
    /// keeping the best whole-departure plan found (the bound is reported beside it). The
    /// default is the CLI's `--mip-gap`, so a study's integer plan stops where `plan` does.
    public var mipGap = 0.05
    /// Seconds of branch-and-cut after the rounded LP plan; 0 keeps the rounded plan.
    public var mipSeconds = 30.0
    /// Closures and restrictions (days of the year, as in the simulator): a week's capacity of a
    /// service they hit is scaled by the mean over the week of the lowest factor in force
    /// (``ServiceCapacity/disruptionFactor(_:fromDay:toDay:)``).
    public var disruptions: [Disruption] = []
    public init() {}

    /// Throws unless every option is one the planner can use.
    /// - Throws: ``PlanningError/invalidOption(name:value:expected:)`` naming the option.
    public func validate() throws(PlanningError) {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws(PlanningError) {
            if !ok { throw .invalidOption(name: name, value: "\(value)", expected: expected) }
        }
        try check(unmetPenaltyPerTEU.isFinite && unmetPenaltyPerTEU >= 0,
                  "unmetPenaltyPerTEU", unmetPenaltyPerTEU, "a finite number ≥ 0")
        try check(maximumIterations >= 1, "maximumIterations", maximumIterations, "at least 1")
        if integer {
            try check(mipGap.isFinite && (0...1).contains(mipGap), "mipGap", mipGap, "0 to 1")
            // GLPK takes whole milliseconds, 1 to Int32.max; 0 keeps the rounded LP plan.
            try check(mipSeconds == 0 || (mipSeconds.isFinite && (0.001...2_147_483).contains(mipSeconds)
                                          && Int(mipSeconds * 1000) >= 1),
                      "mipSeconds", mipSeconds, "0 (keep the rounded LP plan) or 0.001 to 2147483 seconds")
        }
        if let price = carbonPriceUSDPerTonne {
            try check(price.isFinite && price >= 0, "carbonPriceUSDPerTonne", price, "a finite number ≥ 0")
        }
        if let value = valueOfTimeUSDPerTEUHour {
            try check(value.isFinite && value >= 0, "valueOfTimeUSDPerTEUHour", value, "a finite number ≥ 0")
        }
    }
}
