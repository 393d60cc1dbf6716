import Foundation

/// How `routeplanner serve` runs: where it listens, what it reads and writes, and its limits
/// (docs/limits.md, "The workspace server").
public struct WorkspaceSettings: Sendable {
    /// The address to bind; loopback unless the office shares the server.
    public var host = "127.0.0.1"
    public var port = 8080
    /// The study results database (SQLite) that `study run` also writes; created if missing.
    public var databasePath = "results.sqlite"
    /// The bearer token every request must carry; nil serves without one (loopback only).
    public var token: String?
    /// The largest request body read, in bytes (a shipments CSV, a scenario).
    public var maximumBodyBytes = 8 << 20
    /// Seconds a background job may run before it is stopped (its simulations in flight stop at their next simulated day).
    public var jobSeconds: Double = 600
    /// Background jobs running at once; more are refused with 429 until one ends.
    public var concurrentJobs = 1
    /// Simulations in parallel inside one job.
    public var threadsPerJob = 1
    /// Plans being made at once (each on its own thread); more are refused with 429.
    public var concurrentPlans = 2
    /// Plans kept for their bills (the oldest is forgotten first).
    public var keptPlans = 20
    /// Finished jobs kept for their status (the oldest is forgotten first).
    public var keptJobs = 100
    /// Seeds one simulate job may run (its `replications`).
    public static let maximumSeedsPerJob = 20

    public init() {}

    /// Whether `host` is a loopback address: an IPv4 address in `127.0.0.0/8` (four decimal
    /// parts), `::1` or `localhost`; a name such as `127.example.org` is not.
    public static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "[::1]" { return true }
        let parts = lowered.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        let octets = parts.compactMap { part in part.count <= 3 && part.allSatisfy(\.isASCII) ? UInt8(part) : nil }
        return octets.count == 4 && octets[0] == 127
    }

    /// The folder beside the database where the workspace keeps the scenarios it was sent: the
    /// only place a request makes the server write a file (besides the database itself).
    public var uploadFolder: URL {
        let database = URL(fileURLWithPath: databasePath).standardizedFileURL
        return database.deletingLastPathComponent().appendingPathComponent(database.lastPathComponent + ".uploads", isDirectory: true)
    }
}
