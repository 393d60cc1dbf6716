import NetworkData
/// A study parameter that `--grid KEY=V1,V2,…` varies across every scenario.
public enum GridKey: String, CaseIterable, Sendable, Codable {
    /// The random seed of `simulate`.
    case seed
    /// Simulated days (1–366).
    case days
    /// Multiplies every demand lane and shipment.
    case demandFactor
    /// Multiplies the capacity of every service.
    case capacityFactor
    /// USD per tonne CO2e in route choice and the plan objective.
    case carbonPriceUSDPerTonne
    /// USD per TEU-hour in route choice and the plan objective.
    case valueOfTimeUSDPerTEUHour

    /// The values the key accepts.
    var range: ClosedRange<Double> {
        switch self {
        case .seed: 0...Double(Int32.max)
        case .days: 1...366
        case .demandFactor, .capacityFactor: 0...100
        case .carbonPriceUSDPerTonne, .valueOfTimeUSDPerTEUHour: 0...10_000
        }
    }

    var isWholeNumber: Bool { self == .seed || self == .days }
}

/// One axis of a study grid: a key and its values.
public struct GridAxis: Sendable, Hashable {
    public var key: GridKey
    public var values: [Double]

    /// Parses `KEY=V1,V2,…`.
    ///
    /// - Throws: a message naming the bad key or value and what is expected.
    /// The most values one axis takes.
    public static let maximumValues = 1_000
    /// The most runs a study plans (scenarios × every combination of the axes).
    public static let maximumRuns = 100_000

    /// The runs `scenarios` files × the combinations of `axes` make, or nil beyond ``maximumRuns``
    /// (counted without building them).
    public static func runCount(scenarios: Int, axes: [GridAxis]) -> Int? {
        var count = scenarios
        for axis in axes {
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            guard !overflow, product <= maximumRuns else { return nil }
            count = product
        }
        return count <= maximumRuns ? count : nil
    }

    public init(parsing text: String) throws(GridError) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let keys = GridKey.allCases.map(\.rawValue).joined(separator: ", ")
        guard parts.count == 2, let key = GridKey(rawValue: String(parts[0])) else {
            throw GridError(message: "--grid '\(text.prefix(60))': expected KEY=V1,V2,… with KEY one of \(keys)")
        }
        let items = parts[1].split(separator: ",", omittingEmptySubsequences: false)
        guard items.count <= Self.maximumValues else {
            throw GridError(message: "--grid \(key.rawValue): \(items.count) values; expected at most \(Self.maximumValues)")
        }
        var values: [Double] = [], seen: Set<Double> = []
        for item in items {
            guard let value = DecimalText.number(item.trimmingCharacters(in: .whitespaces)), key.range.contains(value),
                  !key.isWholeNumber || value.rounded() == value else {
                throw GridError(message: "--grid \(key.rawValue): value '\(item.prefix(30))' is not \(key.isWholeNumber ? "a whole number" : "a number") from \(format(key.range.lowerBound)) to \(format(key.range.upperBound))")
            }
            if seen.insert(value).inserted { values.append(value) }
        }
        guard !values.isEmpty else { throw GridError(message: "--grid \(key.rawValue): no values; expected KEY=V1,V2,…") }
        self.key = key
        self.values = values
    }

    public init(key: GridKey, values: [Double]) {
        self.key = key
        self.values = values
    }

    /// Every combination of the axes' values, first axis slowest; one empty assignment when
    /// there are no axes.
    ///
    /// - Complexity: O(Π values) combinations.
    public static func combinations(_ axes: [GridAxis]) -> [GridAssignment] {
        axes.reduce([GridAssignment()]) { partial, axis in
            partial.flatMap { assignment in axis.values.map { assignment.setting(axis.key, to: $0) } }
        }
    }
}

/// A `--grid` flag that cannot be used.
public struct GridError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The grid values of one run, in the order the axes were given.
public struct GridAssignment: Sendable, Hashable, Codable {
    public private(set) var values: [Entry] = []

    public struct Entry: Sendable, Hashable, Codable {
        public var key: GridKey
        public var value: Double
    }

    public init() {}

    /// The value of `key`, if the grid sets it.
    public subscript(key: GridKey) -> Double? { values.first { $0.key == key }?.value }

    func setting(_ key: GridKey, to value: Double) -> GridAssignment {
        var copy = self
        copy.values.removeAll { $0.key == key }
        copy.values.append(Entry(key: key, value: value))
        return copy
    }

    /// `seed=2,demandFactor=1.25`, empty without axes.
    public var label: String { values.map { "\($0.key.rawValue)=\(format($0.value))" }.joined(separator: ",") }
}

/// A number without a needless fraction: 2, 1.25.
func format(_ value: Double) -> String {
    value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
}
