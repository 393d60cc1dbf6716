/// The version every JSON output carries as `schemaVersion`; the schemas in `schemas/` name it.
///
/// Raise the minor number when a field is added, the major when one changes meaning or goes.
public enum SchemaVersion {
    public static let current = "1.0"

    /// Whether a document of `version` can be read by this code: the same major version
    /// (a newer minor version only adds fields, which readers ignore).
    public static func isReadable(_ version: String) -> Bool {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        let currentMajor = current.split(separator: ".").first
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil }
            && parts[0] == currentMajor
    }
}
