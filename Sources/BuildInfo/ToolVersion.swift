/// The tool's version: what `routeplanner --version` prints and what the results database
/// records with every run (a new version reruns finished runs).
public enum ToolVersion {
    /// The release number, raised by hand at each release.
    public static let release = "0.6.0"

    /// The git commit the code was built from, `-dirty` with uncommitted changes, or `unknown`
    /// when built outside a git checkout.
    public static let commit = buildCommit

    /// "routeplanner 0.6.0 (1a2b3c4d5e6f)".
    public static let current = "routeplanner \(release) (\(commit))"
}
