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
    public init(issues: [InputIssue]) {
        self.issues = issues.sorted {
            ($0.location.file, $0.location.line, $0.field) < ($1.location.file, $1.location.line, $1.field)
        }
    }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
