/// The version every JSON output carries as `schemaVersion`; the schemas in `schemas/` name it.
///
/// Raise the minor number when a field is added, the major when one changes meaning or goes.
///
/// - 1.1: `simulate`: a target's `value` is null when the run measured nothing for it, with
///   `measured` and `reason`; `notMeasured` lists key figures absent from `kpis` with their
///   reasons; `airRoutes` gives the hub airport's routes. Study reports: a KPI or target value
///   not measured is null. `simulate` also gains `backlog` (waiting TEU at the start and end of the
///   counted year and the resources whose backlog grew) and, with `--replications`,
///   `replications`; `simulate --headroom` has its own schema (`headroom.schema.json`).
/// - 1.2: `simulate`: a measured target that is missed says what `binds` it; `doorToDoorDays` by corridor.
public enum SchemaVersion {
    public static let current = "1.2"

    /// Whether a document of `version` can be read by this code: the same major version
    /// (a newer minor version only adds fields, which readers ignore).
    public static func isReadable(_ version: String) -> Bool {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        let currentMajor = current.split(separator: ".").first
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil }
            && parts[0] == currentMajor
    }
}
