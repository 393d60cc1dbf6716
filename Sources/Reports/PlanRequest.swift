import Foundation
import NetworkData
import Planning

/// A batch plan as `routeplanner plan` and the workspace's `POST /api/plans` make it: a checked
/// shipment list planned with checked options, as the JSON contract.
public enum PlanRequest {
    /// The first invalid option, worded with `prefix` before each option's name (`--` for the
    /// command line, nothing for query parameters); nil when every option is valid.
    public static func problem(_ options: PlanOptions, optionPrefix prefix: String) -> String? {
        if let carbonPrice = options.carbonPriceUSDPerTonne, !(carbonPrice.isFinite && carbonPrice >= 0 && carbonPrice <= 100_000) {
            return "\(prefix)carbon-price \(carbonPrice): expected 0 to 100000 USD per tonne"
        }
        if !isValidMIPSeconds(options.mipSeconds) {
            return "\(prefix)mip-seconds \(options.mipSeconds): expected 0 (keep the rounded plan) or \(mipSecondsText) seconds; GLPK's time limit counts whole milliseconds"
        }
        if !(options.mipGap.isFinite && (0...1).contains(options.mipGap)) {
            return "\(prefix)mip-gap \(options.mipGap): expected a fraction from 0 to 1 (0.05 stops at a 5 % gap)"
        }
        if let valueOfTime = options.valueOfTimeUSDPerTEUHour, !(valueOfTime.isFinite && valueOfTime >= 0 && valueOfTime <= 100_000) {
            return "\(prefix)value-of-time \(valueOfTime): expected 0 to 100000 USD per TEU-hour"
        }
        return nil
    }

    /// The branch-and-cut time limits GLPK can take: `tm_lim` is an `int` of milliseconds, at
    /// least 1 (0.0004 s would truncate to 0 ms, which GLPK's wrapper rejects); a day at most.
    public static let mipSecondsRange = 0.001...86_400
    public static let mipSecondsText = "0.001 to 86400"

    /// Whether `seconds` is 0 or a time limit of at least one whole millisecond.
    public static func isValidMIPSeconds(_ seconds: Double) -> Bool {
        seconds == 0 || (seconds.isFinite && mipSecondsRange.contains(seconds) && Int(seconds * 1000) >= 1)
    }

    /// Plans `shipments` on `network` and reports the plan as its JSON contract.
    ///
    /// - Parameter billReference: the one-bill reference of a shipment's route part, or nil
    ///   when no document is issued for it.
    /// - Throws: ``PlanRequestError`` — an option out of range, or a failure of the planner.
    /// - Complexity: that of ``BatchPlanner/plan(_:options:)``.
    public static func plan(_ shipments: [Shipment], network: Network, options: PlanOptions,
                            billReference: (ShipmentID, Int) -> String?) throws(PlanRequestError) -> (plan: Plan, report: PlanReport) {
        let plan: Plan
        do {
            plan = try BatchPlanner(network: network).plan(shipments, options: options)
        } catch PlanningError.invalidOption(let name, let value, let expected) {
            throw .invalidInput("\(name) \(value) is out of range; expected \(expected)")
        } catch {
            throw .internalError("planning failed: \(error)")
        }
        return (plan, PlanReport(plan: plan, network: network, billReference: billReference))
    }
}

/// Why a ``PlanRequest`` has no plan: the input is wrong (exit 2, HTTP 4xx) or the tool failed.
public enum PlanRequestError: Error, Sendable, CustomStringConvertible {
    case invalidInput(String)
    case internalError(String)

    public var description: String {
        switch self {
        case .invalidInput(let message), .internalError(let message): message
        }
    }
}
