import Foundation
import NetworkData
import Routing
import Planning

/// A route query as a planner types it: the flags of `routeplanner route` and the parameters of
/// the workspace's `GET /api/route`, checked, resolved and answered the same way for both.
public struct RouteRequest: Sendable {
    /// A number as typed, kept with its text for messages (`--teu 1e-300: expected …`).
    public struct Number: Sendable, Equatable {
        public var value: Double
        public var text: String

        public init(_ value: Double) {
            self.value = value
            text = "\(value)"
        }

        public init(value: Double, text: String) {
            self.value = value
            self.text = text
        }

        /// A decimal number (`12`, `0.5`, `1e3`); nil for hexadecimal, `inf`, `nan` or text.
        public init?(parsing text: String) {
            guard let value = DecimalText.number(text) else { return nil }
            self.value = value
            self.text = text
        }
    }

    public var from: String
    public var to: String
    public var teu: Number?
    public var tonnes: Number?
    /// `general`, `reefer`, `vehicles` or `dangerous:N`.
    public var cargo = "general"
    /// `20d`, `36h`, `2.5d`.
    public var deadline: String?
    public var objective: Objective = .cost
    public var alternatives = 5
    public var period: CapacityPeriod = .departure
    public var month: Int?
    public var valueOfTime = Number(5)
    public var carbonPrice = Number(100)

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    /// The first invalid option, worded with `prefix` before each option's name (`--` for the
    /// command line, nothing for query parameters); nil when every option is valid.
    public func problem(optionPrefix prefix: String) -> String? {
        if teu != nil && tonnes != nil { return "give \(prefix)teu or \(prefix)tonnes, not both" }
        if let teu, !(0.001...1_000_000).contains(teu.value) {
            return "\(prefix)teu \(teu.text): expected a number from 0.001 to 1000000"
        }
        if let tonnes, !(0.01...10_000_000).contains(tonnes.value) {
            return "\(prefix)tonnes \(tonnes.text): expected a number from 0.01 to 10000000"
        }
        if CargoClass(cargo) == nil {
            return "\(prefix)cargo '\(cargo)': expected general, reefer, vehicles or dangerous:N with N from 1 to 9"
        }
        if let deadline, Self.hours(duration: deadline) == nil {
            return "\(prefix)deadline '\(deadline)': expected a positive duration with its unit, such as 20d, 36h or 2.5d"
        }
        if !(1...100).contains(alternatives) { return "\(prefix)alternatives \(alternatives): expected 1 to 100" }
        if let month, !(1...12).contains(month) { return "\(prefix)month \(month): expected 1 to 12" }
        if !(0...100_000).contains(valueOfTime.value) {
            return "\(prefix)value-of-time \(valueOfTime.text): expected 0 to 100000 USD per TEU-hour"
        }
        if !(0...100_000).contains(carbonPrice.value) {
            return "\(prefix)carbon-price \(carbonPrice.text): expected 0 to 100000 USD per tonne"
        }
        return nil
    }

    /// Parses `20d`, `36h` or `2.5d` into hours; a number without its unit is refused (days or
    /// hours?), and so is more than 10 years.
    public static func hours(duration text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let factor: Double
        if trimmed.hasSuffix("d") { factor = 24 } else if trimmed.hasSuffix("h") { factor = 1 } else { return nil }
        guard let value = DecimalText.number(String(trimmed.dropLast())), value > 0, value * factor <= 24 * 3650 else { return nil }
        return value * factor
    }

    /// The query the router answers, with `origin` and `destination` resolved.
    public func query(origin: Place, destination: Place, tonnesPerTEU: Double) -> RouteQuery {
        let volumeTEU = teu?.value ?? tonnes.map { $0.value / tonnesPerTEU } ?? 1
        return RouteQuery(
            origin: origin.code, destination: destination.code, teu: volumeTEU, tonnes: tonnes?.value,
            tonnesPerTEU: tonnesPerTEU, cargo: CargoClass(cargo) ?? .general,
            deadlineHours: deadline.flatMap(Self.hours(duration:)), objective: objective, alternatives: alternatives,
            valueOfTimeUSDPerTEUHour: valueOfTime.value, carbonPriceUSDPerTonne: carbonPrice.value, month: month)
    }

    /// Checks, resolves and answers the request: the alternatives, the Pareto front and, when
    /// one route's capacity is not enough (or `period` is a week), the volume split.
    ///
    /// - Parameters:
    ///   - router: a router of `network` for `month` (built once and reused by a server).
    ///   - places: the place directory of `network`.
    ///   - optionPrefix: how option names are written in messages (`--` or nothing).
    /// - Throws: ``RouteRequestError`` — invalid input (an option, an unknown or ambiguous
    ///   place) or an internal failure of the volume split.
    /// - Complexity: that of ``Router/routes(for:paretoFront:)``, plus the split's min-cost flow.
    public func solve(router: Router, places: PlaceDirectory, optionPrefix: String) throws(RouteRequestError) -> RouteResult {
        if let problem = problem(optionPrefix: optionPrefix) { throw .invalidInput(problem) }
        let network = router.network
        let origin = try Self.resolve(from, in: places, option: "\(optionPrefix)from")
        let destination = try Self.resolve(to, in: places, option: "\(optionPrefix)to")
        let query = query(origin: origin, destination: destination, tonnesPerTEU: network.defaults.tonnesPerTEU)
        let outcome: RouteOutcome
        do { outcome = try router.routes(for: query) } catch { throw .invalidInput("\(error)") }
        var split: VolumeSplit?
        if case .found(let routes, _) = outcome, let best = routes.first {
            let weekly = best.legs.compactMap(\.departuresPerWeek).min() ?? 1
            let bottleneck = best.bottleneckTEUPerDeparture.map { period == .week ? $0 * weekly : $0 }
            if period == .week || (bottleneck.map { query.teu > $0 + 1e-9 } ?? false) {
                do { split = try VolumeSplitter(router: router).split(query, period: period) } catch {
                    throw .internalError("volume split failed: \(error)")
                }
            }
        }
        return RouteResult(network: network, origin: origin, destination: destination, query: query, outcome: outcome, split: split)
    }

    /// The place `text` names, or an invalid-input error listing the candidates (ambiguous) or
    /// the closest names (unknown).
    ///
    /// - Complexity: that of ``PlaceDirectory/match(_:)``.
    public static func resolve(_ text: String, in places: PlaceDirectory, option: String) throws(RouteRequestError) -> Place {
        switch places.match(text) {
        case .found(let place):
            return place
        case .ambiguous(let candidates):
            let list = candidates.map { "  \($0.code)  \($0.name)\($0.nameZh.map { " \($0)" } ?? "") [\($0.kind.rawValue)]" }
            throw .invalidInput("\(option) '\(text)' is ambiguous; it matches:\n" + list.joined(separator: "\n"))
        case .unknown(let closest):
            let hint = closest.isEmpty ? "" : "; closest:\n" + closest.map { "  \($0.code)  \($0.name)" }.joined(separator: "\n")
            throw .invalidInput("\(option) '\(text)' is not a known place (code, IATA code, name or alias)\(hint)")
        }
    }
}

/// What a ``RouteRequest`` found, before it becomes the JSON contract or a table.
public struct RouteResult: Sendable {
    public var network: Network
    public var origin: Place
    public var destination: Place
    public var query: RouteQuery
    public var outcome: RouteOutcome
    public var split: VolumeSplit?

    /// The JSON contract of the result.
    ///
    /// - Complexity: O(total legs of all routes shown).
    public var answer: RouteAnswer {
        RouteAnswer(network: network, origin: origin, destination: destination, query: query, outcome: outcome, split: split)
    }
}

/// Why a ``RouteRequest`` has no answer: the input is wrong (exit 2, HTTP 4xx) or the tool failed.
public enum RouteRequestError: Error, Sendable, CustomStringConvertible {
    case invalidInput(String)
    case internalError(String)

    public var description: String {
        switch self {
        case .invalidInput(let message), .internalError(let message): message
        }
    }
}
