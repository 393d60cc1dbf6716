import Foundation

/// The one JSON encoding of every contract: keys sorted, slashes unescaped, pretty-printed
/// for files and terminals, so the same answer always gives the same bytes.
public enum ContractJSON {
    /// Encodes `value`; pretty-printed unless `compact`.
    ///
    /// - Throws: `EncodingError` when a number is not finite (contracts never hold one).
    /// - Complexity: O(size of the document).
    public static func data<Value: Encodable>(_ value: Value, compact: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = compact ? [.sortedKeys, .withoutEscapingSlashes]
            : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

/// `value` rounded to `places` decimals, as the JSON contracts show numbers.
func rounded(_ value: Double, _ places: Int) -> Double {
    let scale = pow(10, Double(places))
    return (value * scale).rounded() / scale
}
