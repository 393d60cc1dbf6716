import Foundation

/// Numbers as people read them in reports: grouped thousands, a fixed number of decimals.
///
/// Written here rather than with `NumberFormatter`, which ignores fraction digits on Linux.
public enum NumberText {
    /// `value` with thousands separators and `digits` decimals: 12,345.6; "-0" never shows.
    public static func grouped(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return String(value) }
        let text = String(format: "%.\(max(0, digits))f", abs(value))
        let parts = text.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var groups = ""
        while whole.count > 3 {
            groups = "," + whole.suffix(3) + groups
            whole.removeLast(3)
        }
        let sign = value < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : ""
        return sign + whole + groups + (parts.count > 1 ? "." + parts[1] : "")
    }
}
