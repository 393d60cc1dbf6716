/// Text made safe inside HTML and SVG, for documents, charts and reports alike.
public enum HTMLText {
    /// `text` with `& < > " '` replaced by character references, safe in element content and
    /// in quoted attribute values.
    ///
    /// - Complexity: O(n) in the length of `text`.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
