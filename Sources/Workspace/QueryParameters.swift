import Foundation
import NetworkData

/// The query string of a request, decoded as browsers encode forms (`+` is a space, `%XX`
/// UTF-8), with every parameter checked against the ones the endpoint takes: an unknown or
/// repeated name is refused (a typo such as `form=` must not fall back to a default).
struct QueryParameters {
    private var values: [String: String] = [:]

    /// Decodes `query` (nil: no query) for an endpoint that takes `allowed`.
    ///
    /// - Throws: 400 ``APIError`` naming the parameter.
    /// - Complexity: O(length of the query).
    init(_ query: String?, allowed: Set<String>) throws(APIError) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw APIError(.badRequest, "the query '\(pair.prefix(80))' is not valid percent-encoded UTF-8")
            }
            guard allowed.contains(name) else {
                let list = allowed.sorted().joined(separator: ", ")
                throw APIError(.badRequest, "unknown parameter '\(name.prefix(40))'; expected \(list.isEmpty ? "none" : "one of \(list)")")
            }
            guard values.updateValue(value, forKey: name) == nil else {
                throw APIError(.badRequest, "parameter '\(name)' is given twice; expected it once")
            }
        }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    subscript(_ name: String) -> String? { values[name] }

    /// A whole number parameter, or nil when absent.
    func integer(_ name: String) throws(APIError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else {
            throw APIError(.badRequest, "\(name) '\(text.prefix(40))': expected a whole number")
        }
        return value
    }

    /// A decimal number parameter (`12`, `0.5`, `1e3`; no `inf`, `nan`, hexadecimal).
    func number(_ name: String) throws(APIError) -> (value: Double, text: String)? {
        guard let text = values[name] else { return nil }
        guard let value = DecimalText.number(text) else {
            throw APIError(.badRequest, "\(name) '\(text.prefix(40))': expected a decimal number such as 12, 0.5 or 1e3")
        }
        return (value, text)
    }

    /// `true` or `false`.
    func boolean(_ name: String) throws(APIError) -> Bool? {
        guard let text = values[name] else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw APIError(.badRequest, "\(name) '\(text.prefix(40))': expected true or false")
        }
    }

    /// One of the cases of `type`.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws(APIError) -> T? where T.RawValue == String {
        guard let text = values[name] else { return nil }
        guard let value = T(rawValue: text) else {
            throw APIError(.badRequest, "\(name) '\(text.prefix(40))': expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
