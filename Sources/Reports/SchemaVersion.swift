/// The version every JSON output carries as `schemaVersion`; the schemas in `schemas/` name it.
///
/// Raise the minor number when a field is added, the major when one changes meaning or goes.
public enum SchemaVersion {
    public static let current = "1.0"
}
