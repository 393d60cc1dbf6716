/// Numbers as the input files and flags write them: decimal digits with an optional sign,
/// fraction and exponent (`12`, `-0.5`, `1.2e3`). Hexadecimal (`0x10`), `inf`, `nan` and
/// surrounding text are refused, though Swift's `Double(_:)` accepts several of them.
public enum DecimalText {
    /// The value of `text`, or nil when it is not a finite decimal number.
    public static func number(_ text: String) -> Double? {
        var scalars = text.unicodeScalars[...]
        func digits() -> Int {
            var count = 0
            while let c = scalars.first, ("0"..."9").contains(c) { scalars.removeFirst(); count += 1 }
            return count
        }
        if let c = scalars.first, c == "+" || c == "-" { scalars.removeFirst() }
        var mantissa = digits()
        if scalars.first == "." {
            scalars.removeFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return nil }
        if let c = scalars.first, c == "e" || c == "E" {
            scalars.removeFirst()
            if let s = scalars.first, s == "+" || s == "-" { scalars.removeFirst() }
            guard digits() > 0 else { return nil }
        }
        guard scalars.isEmpty, let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
