import Foundation
internal import Yams

/// Reads typed fields from one YAML mapping, recording every problem instead of stopping at
/// the first, and reporting keys it was never asked for as unknown.
///
/// Each accessor returns nil when the field is missing or wrong and appends an issue naming
/// file, line, field path, the bad value and what was expected.
public final class YAMLRecord {
    public let file: String
    /// The field path of this record, e.g. `services[3]`.
    public let path: String
    private let entries: [(key: String, keyLine: Int, value: Node)]
    private var asked: Set<String> = []
    public let line: Int
    private let sink: IssueSink

    /// Collects issues from many records.
    public final class IssueSink {
        public var issues: [InputIssue] = []
        public init() {}
    }

    init(mapping: Node.Mapping, file: String, path: String, sink: IssueSink) {
        self.file = file
        self.path = path
        self.sink = sink
        line = mapping.mark?.line ?? 1
        var list: [(String, Int, Node)] = []
        for (key, value) in mapping {
            let keyLine = key.mark?.line ?? line
            guard let name = key.scalar?.string else {
                sink.issues.append(.init(location: .init(file: file, line: keyLine), field: path,
                                         message: "a key that is not a plain name; expected field names"))
                continue
            }
            if list.contains(where: { $0.0 == name }) {
                sink.issues.append(.init(location: .init(file: file, line: keyLine), field: Self.join(path, name),
                                         message: "field given twice; expected it once"))
                continue
            }
            list.append((name, keyLine, value))
        }
        entries = list
    }

    /// Makes a record of `node`, or records an issue and returns nil when it is not a mapping.
    static func make(_ node: Node, file: String, path: String, sink: IssueSink) -> YAMLRecord? {
        guard let mapping = node.mapping else {
            sink.issues.append(.init(location: .init(file: file, line: node.mark?.line ?? 1), field: path,
                                     message: "\(describe(node)); expected a mapping of fields (key: value)"))
            return nil
        }
        return YAMLRecord(mapping: mapping, file: file, path: path, sink: sink)
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "value '\(truncate(scalar.string))'"
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }

    static func truncate(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "\\n")
        return flat.count > 60 ? String(flat.prefix(57)) + "..." : flat
    }

    /// The location of `key`'s value, or of the record when the key is absent.
    public func location(of key: String) -> SourceLocation {
        let entry = entries.first { $0.key == key }
        return SourceLocation(file: file, line: entry?.value.mark?.line ?? entry?.keyLine ?? line)
    }

    public var recordLocation: SourceLocation { SourceLocation(file: file, line: line) }

    /// Records a problem with field `key`.
    public func fail(_ key: String, _ message: String) {
        sink.issues.append(.init(location: location(of: key), field: Self.join(path, key), message: message))
    }

    /// Whether the mapping has `key`.
    public func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// The raw node of `key`, marking it as known.
    func node(_ key: String, required: Bool, expected: String) -> Node? {
        asked.insert(key)
        guard let entry = entries.first(where: { $0.key == key }) else {
            if required {
                sink.issues.append(.init(location: recordLocation, field: Self.join(path, key),
                                         message: "missing; expected \(expected)"))
            }
            return nil
        }
        if case .scalar(let scalar) = entry.value, scalar.style == .plain,
           ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            if required { fail(key, "empty; expected \(expected)") }
            return nil
        }
        return entry.value
    }

    /// A non-empty string.
    public func string(_ key: String, required: Bool = true, expected: String = "a text") -> String? {
        guard let node = node(key, required: required, expected: expected) else { return nil }
        guard case .scalar(let scalar) = node else {
            fail(key, "\(Self.describe(node)); expected \(expected)")
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            fail(key, "empty; expected \(expected)")
            return nil
        }
        guard text.count <= 2000 else {
            fail(key, "text of \(text.count) characters; expected at most 2000")
            return nil
        }
        return text
    }

    /// A finite number in `range`.
    public func number(
        _ key: String, required: Bool = true, in range: ClosedRange<Double>, positive: Bool = false,
        unit: String = ""
    ) -> Double? {
        let expected = describeRange(range, positive: positive, unit: unit)
        guard let node = node(key, required: required, expected: expected) else { return nil }
        return Self.number(of: node, range: range, positive: positive, expected: expected) {
            self.fail(key, $0)
        }
    }

    static func number(
        of node: Node, range: ClosedRange<Double>, positive: Bool, expected: String, fail: (String) -> Void
    ) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain,
              let value = Double(scalar.string.replacingOccurrences(of: "_", with: ""))
                ?? node.float
        else {
            fail("\(describe(node)); expected \(expected)")
            return nil
        }
        guard value.isFinite else {
            fail("value '\(scalar.string)' is not a finite number; expected \(expected)")
            return nil
        }
        guard range.contains(value), !(positive && value <= 0) else {
            fail("value \(format(value)) is out of range; expected \(expected)")
            return nil
        }
        return value
    }

    /// A whole number in `range`.
    public func integer(_ key: String, required: Bool = true, in range: ClosedRange<Int>) -> Int? {
        guard let value = number(key, required: required, in: Double(range.lowerBound)...Double(range.upperBound))
        else { return nil }
        guard value.rounded() == value else {
            fail(key, "value \(Self.format(value)) is not a whole number; expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Int(value)
    }

    /// A boolean.
    public func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let node = node(key, required: required, expected: "true or false") else { return nil }
        guard case .scalar(let scalar) = node, let value = Bool(scalar.string.lowercased()) else {
            fail(key, "\(Self.describe(node)); expected true or false")
            return nil
        }
        return value
    }

    /// One of `choices`.
    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, required: Bool = true, as: T.Type) -> T?
    where T.RawValue == String {
        let names = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = string(key, required: required, expected: "one of \(names)") else { return nil }
        guard let value = T(rawValue: text) else {
            let hint = T.allCases.first { $0.rawValue.lowercased() == text.lowercased() }
                .map { " (did you mean '\($0.rawValue)'?)" } ?? ""
            fail(key, "value '\(Self.truncate(text))' is unknown\(hint); expected one of \(names)")
            return nil
        }
        return value
    }

    /// A nested mapping as a record.
    public func record(_ key: String, required: Bool = true, expected: String) -> YAMLRecord? {
        guard let node = node(key, required: required, expected: expected) else { return nil }
        guard let mapping = node.mapping else {
            fail(key, "\(Self.describe(node)); expected \(expected)")
            return nil
        }
        return YAMLRecord(mapping: mapping, file: file, path: Self.join(path, key), sink: sink)
    }

    /// A list; each element with its path `key[i]`.
    func list(_ key: String, required: Bool = true, expected: String) -> [(node: Node, path: String)]? {
        guard let node = node(key, required: required, expected: expected) else { return nil }
        guard let sequence = node.sequence else {
            fail(key, "\(Self.describe(node)); expected \(expected)")
            return nil
        }
        return sequence.enumerated().map { ($1, "\(Self.join(path, key))[\($0)]") }
    }

    /// A list of strings.
    public func strings(_ key: String, required: Bool = true, expected: String) -> [String]? {
        guard let items = list(key, required: required, expected: expected) else { return nil }
        var out: [String] = []
        for (node, itemPath) in items {
            guard case .scalar(let scalar) = node, !scalar.string.trimmingCharacters(in: .whitespaces).isEmpty else {
                sink.issues.append(.init(location: .init(file: file, line: node.mark?.line ?? line), field: itemPath,
                                         message: "\(Self.describe(node)); expected \(expected)"))
                continue
            }
            out.append(scalar.string.trimmingCharacters(in: .whitespaces))
        }
        return out
    }

    /// A list of numbers, each in `range`.
    public func numbers(_ key: String, required: Bool = true, in range: ClosedRange<Double>, count: ClosedRange<Int>)
        -> [Double]?
    {
        let expected = "a list of \(count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound)–\(count.upperBound)") numbers"
        guard let items = list(key, required: required, expected: expected) else { return nil }
        guard count.contains(items.count) else {
            fail(key, "a list of \(items.count) values; expected \(expected)")
            return nil
        }
        var out: [Double] = []
        for (node, itemPath) in items {
            let value = Self.number(of: node, range: range, positive: false, expected: describeRange(range, positive: false, unit: "")) {
                self.sink.issues.append(.init(location: .init(file: self.file, line: node.mark?.line ?? self.line),
                                              field: itemPath, message: $0))
            }
            guard let value else { return nil }
            out.append(value)
        }
        return out
    }

    /// Records unknown keys as issues; call after reading every field.
    public func rejectUnknownKeys() {
        let known = asked.sorted().joined(separator: ", ")
        for entry in entries where !asked.contains(entry.key) {
            let hint = asked.min { editDistance($0, entry.key) < editDistance($1, entry.key) }
                .flatMap { editDistance($0, entry.key) <= 3 ? " (did you mean '\($0)'?)" : nil } ?? ""
            sink.issues.append(.init(location: .init(file: file, line: entry.keyLine), field: Self.join(path, entry.key),
                                     message: "unknown field\(hint); expected one of \(known)"))
        }
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private func describeRange(_ range: ClosedRange<Double>, positive: Bool, unit: String) -> String {
        let suffix = unit.isEmpty ? "" : " \(unit)"
        let low = positive ? "a number above \(Self.format(range.lowerBound))" : "a number from \(Self.format(range.lowerBound))"
        return positive
            ? "\(low) and at most \(Self.format(range.upperBound))\(suffix)"
            : "\(low) to \(Self.format(range.upperBound))\(suffix)"
    }
}

/// Levenshtein distance between two strings, case-insensitively.
/// - Complexity: O(m · n).
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased()), y = Array(b.lowercased())
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = Array(repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// Reads other YAML inputs (scenarios, disruptions) with the network loader's checks.
public enum YAMLInput {
    /// The top-level mapping of `data`, read from `file`, and the sink that collects issues.
    /// - Throws: ``InvalidInput`` when the bytes are not a YAML mapping.
    public static func parse(_ data: Data, file: String) throws(InvalidInput) -> (record: YAMLRecord, sink: YAMLRecord.IssueSink) {
        var issues: [InputIssue] = []
        guard let node = YAMLDocument.parse(data, file: file, issues: &issues) else { throw InvalidInput(issues: issues) }
        let sink = YAMLRecord.IssueSink()
        guard let record = YAMLRecord.make(node, file: file, path: "", sink: sink) else { throw InvalidInput(issues: sink.issues) }
        return (record, sink)
    }

    /// Checks a `source` field: a URL or `estimate:` with a reason.
    public static func checkSource(_ record: YAMLRecord) {
        guard let source = record.string("source", expected: "a URL or 'estimate: why'") else { return }
        let lower = source.lowercased()
        guard lower.contains("http://") || lower.contains("https://") || lower.contains("estimate:") else {
            record.fail("source", "value '\(YAMLRecord.truncate(source))' has no URL and no 'estimate:'; expected a URL (https://…) or 'estimate: why'")
            return
        }
        if lower.hasPrefix("estimate:") && source.count < 20 {
            record.fail("source", "estimate without a reason; expected 'estimate: ' followed by how the number was derived")
        }
    }
}
