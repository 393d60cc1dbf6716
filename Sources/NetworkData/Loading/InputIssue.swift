/// One problem found in an input file: where, which field, and what was expected.
public struct InputIssue: Hashable, Sendable, CustomStringConvertible, Codable {
    public var location: SourceLocation
    /// The field path, e.g. `services[3].transitHours.p90`; empty for the file as a whole.
    public var field: String
    public var message: String

    public init(location: SourceLocation, field: String, message: String) {
        self.location = location
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}

/// The input is invalid: every problem found, in file and line order.
public struct InvalidInput: Error, CustomStringConvertible, Sendable {
    public var issues: [InputIssue]
    /// Readers stop collecting problems after this many: a file of millions of bad rows must not
    /// take gigabytes to report.
    public static let maximumKept = 1_000
    /// Problems printed; the rest are counted ("… and N more").
    public static let maximumShown = 100
    /// Set when the reader stopped at this many problems before the end of the file.
    public var stoppedAtLine: Int?

    public init(issues: [InputIssue], stoppedAtLine: Int? = nil) {
        self.issues = issues.sorted {
            ($0.location.file, $0.location.line, $0.field) < ($1.location.file, $1.location.line, $1.field)
        }
        self.stoppedAtLine = stoppedAtLine
    }

    public var description: String {
        var lines = issues.prefix(Self.maximumShown).map(\.description)
        if issues.count > Self.maximumShown { lines.append("… and \(issues.count - Self.maximumShown) more problems") }
        if let stoppedAtLine {
            lines.append("… stopped reading at line \(stoppedAtLine) after \(issues.count) problems; mend these and run again")
        }
        return lines.joined(separator: "\n")
    }
}
