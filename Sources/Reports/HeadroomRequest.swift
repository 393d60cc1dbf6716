import NetworkData
import Simulation

/// The options of a headroom search as `study headroom` / `simulate --headroom` and
/// `POST /api/jobs/headroom` take them: one check, two callers (docs/api.md). Option names in
/// messages carry `optionPrefix` (`--` on the command line, nothing in the API).
public struct HeadroomRequest: Sendable {
    /// `all`, `corridor:NAME` or `lane:ORIGIN-DESTINATION`; empty: `all`.
    public var grow: [String] = []
    /// `on-time=SHARE`, `p90-wait-hours=HOURS`, `backlog=SHARE`; empty: the defaults.
    public var criteria: [String] = []
    /// Seeds per step, 1–100.
    public var seeds = 3
    /// Bisection steps after the bracket, 1–30.
    public var steps = 8
    /// Binding resources the relief table re-runs the search for, 0–10 (``HeadroomSearch/reliefCount``).
    public var reliefs = 3

    public init() {}

    /// The first problem of the options on their own (ranges, syntax, a criterion given twice), or nil.
    ///
    /// - Complexity: O(grow + criteria).
    public func problem(optionPrefix prefix: String) -> String? {
        if !(1...100).contains(seeds) { return "\(prefix)seeds \(seeds): expected 1 to 100" }
        if !(1...30).contains(steps) { return "\(prefix)steps \(steps): expected 1 to 30" }
        if !(0...10).contains(reliefs) { return "\(prefix)reliefs \(reliefs): expected 0 to 10" }
        for text in grow {
            if let problem = Self.growSyntaxProblem(text, optionPrefix: prefix) { return problem }
        }
        do { _ = try criteriaParsed(optionPrefix: prefix) } catch { return error.message }
        return nil
    }

    /// The criteria (the defaults when none is given).
    ///
    /// - Throws: the message of the first bad criterion, or of a key given twice.
    public func criteriaParsed(optionPrefix prefix: String) throws(HeadroomInputError) -> [HeadroomCriterion] {
        var parsed: [HeadroomCriterion] = []
        for text in criteria {
            do { parsed.append(try HeadroomCriterion(parsing: text)) } catch {
                throw HeadroomInputError(Self.renamed(error.message, prefix))
            }
        }
        if Set(parsed.map(\.key)).count != parsed.count {
            throw HeadroomInputError("\(prefix)criterion gives the same key twice; expected each criterion once")
        }
        return parsed.isEmpty ? HeadroomCriterion.defaults : parsed
    }

    /// The growth sets, each checked against the network's places and the demand's lanes.
    ///
    /// - Throws: a message naming the set that names an unknown place or grows no lane.
    /// - Complexity: O(sets · lanes) plus the place lookups.
    public func growth(network: Network, lanes: [DemandLane], optionPrefix prefix: String) throws(HeadroomInputError) -> [DemandGrowth] {
        var sets: [DemandGrowth] = []
        let places = PlaceDirectory(network: network)
        for text in grow.isEmpty ? ["all"] : grow {
            if let problem = Self.growSyntaxProblem(text, optionPrefix: prefix) { throw HeadroomInputError(problem) }
            let set: DemandGrowth
            if text == "all" {
                set = .all
            } else if text.hasPrefix("corridor:"), let corridor = Corridor(rawValue: String(text.dropFirst("corridor:".count))) {
                set = .corridor(corridor)
            } else {
                let parts = text.dropFirst("lane:".count).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                do {
                    let origin = try RouteRequest.resolve(parts[0], in: places, option: "\(prefix)grow lane origin")
                    let destination = try RouteRequest.resolve(parts[1], in: places, option: "\(prefix)grow lane destination")
                    set = .lane(origin: origin.code, destination: destination.code)
                } catch {
                    throw HeadroomInputError(error.description)
                }
            }
            guard lanes.contains(where: set.matches) else {
                throw HeadroomInputError("\(prefix)grow \(text): no demand lane of the demand table matches; expected a set with demand")
            }
            sets.append(set)
        }
        return sets
    }

    /// The syntax problem of one `grow` set, or nil.
    public static func growSyntaxProblem(_ text: String, optionPrefix prefix: String) -> String? {
        let corridors = Corridor.allCases.map(\.rawValue).joined(separator: ", ")
        if text == "all" { return nil }
        if text.hasPrefix("corridor:") {
            let name = text.dropFirst("corridor:".count)
            guard Corridor(rawValue: String(name)) != nil else {
                return "\(prefix)grow '\(text.prefix(60))': unknown corridor '\(name.prefix(40))'; expected one of \(corridors)"
            }
            return nil
        }
        if text.hasPrefix("lane:") {
            let parts = text.dropFirst("lane:".count).split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                return "\(prefix)grow '\(text.prefix(60))': expected lane:ORIGIN-DESTINATION with two place codes, e.g. lane:CNCKG-DEDUI"
            }
            return nil
        }
        return "\(prefix)grow '\(text.prefix(60))': expected all, corridor:NAME (\(corridors)) or lane:ORIGIN-DESTINATION"
    }

    /// `HeadroomCriterion`'s messages name `--criterion`; the API names `criterion`.
    static func renamed(_ message: String, _ prefix: String) -> String {
        prefix == "--" ? message : message.replacingOccurrences(of: "--criterion", with: "\(prefix)criterion")
    }
}
