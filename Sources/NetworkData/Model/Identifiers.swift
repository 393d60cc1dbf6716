/// A typed string identifier: equality, order, printing, coding and literals come from the raw text.
public protocol StringIdentifier: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible, ExpressibleByStringLiteral where RawValue == String
{
    init(rawValue: String)
}

extension StringIdentifier {
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A place's code: a UN/LOCODE (`CNCQD`), a LOCODE with a facility suffix (`CNYIC-TGL`),
/// or a country code with a name (`LA-VTE-SOUTH`): at most two dash parts.
public struct PlaceCode: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Whether `text` has the shape of a place code (upper-case letters, digits, dash parts).
    public static func isWellFormed(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let head = parts.first, parts.count <= 3 else { return false }
        let upperAlnum: (Character) -> Bool = { $0.isASCII && ($0.isUppercase || $0.isNumber) }
        let isLocode = head.count == 5 && head.prefix(2).allSatisfy { $0.isASCII && $0.isUppercase }
            && head.dropFirst(2).allSatisfy(upperAlnum)
        let isCountry = head.count == 2 && head.allSatisfy { $0.isASCII && $0.isUppercase }
        if parts.count == 1 { return isLocode }
        return (isLocode || isCountry)
            && parts.dropFirst().allSatisfy { (2...16).contains($0.count) && $0.allSatisfy(upperAlnum) }
    }
}

/// A service's id, unique in a network (`CE-CQD-AKL`, `CE-CQD-AKL.back`).
public struct ServiceID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Whether `text` is a valid id: 1–40 of `A–Z a–z 0–9 . _ -`.
    public static func isWellFormed(_ text: String) -> Bool {
        (1...40).contains(text.count)
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}

/// Where a record or value was read: file and 1-based line.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    public var description: String { "\(file):\(line)" }
}
