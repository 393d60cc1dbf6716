import ArgumentParser
import Foundation
import Hummingbird
import NetworkData
import Workspace

/// `routeplanner serve`: the web workspace's HTTP server and JSON API (openapi.yaml).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web workspace's JSON API (openapi.yaml) on the library code; loopback by default.",
        discussion: """
            Routes, plans (shipments CSV uploads and their bills), simulations as background jobs \
            recorded in the same results database as `study run`, and study reports. A host other \
            than loopback (127.0.0.1, ::1, localhost) needs --token-file: every request then carries \
            'Authorization: Bearer TOKEN'. Limits: docs/limits.md. Stop with Ctrl-C (SIGINT) or SIGTERM.
            """
    )

    @Option(help: "Address to listen on (default loopback; another address needs --token-file).") var host = "127.0.0.1"
    @Option(help: "Port (1–65535; 0 picks a free one and prints it).") var port = 8080
    @Option(help: "Results database (SQLite), shared with `study run`; created if missing.") var db = "results.sqlite"
    @OptionGroup var networkOption: NetworkOption
    @Option(help: "A file holding the bearer token every request must carry (at least 16 printable characters).")
    var tokenFile: String?
    @Option(help: "Largest request body, in MiB (1–64).") var maxBodyMib = 8
    @Option(help: "Seconds a background job may run before it is stopped (10–86400).") var jobSeconds = 600
    @Option(help: "Background jobs running at once (1–16).") var jobs = 1

    func validate() throws {
        if !(0...65_535).contains(port) { throw ValidationError("--port \(port): expected 0 to 65535") }
        if host.isEmpty { throw ValidationError("--host: expected an address such as 127.0.0.1") }
        if db.isEmpty { throw ValidationError("--db: expected a file path") }
        if !(1...64).contains(maxBodyMib) { throw ValidationError("--max-body-mib \(maxBodyMib): expected 1 to 64") }
        if !(10...86_400).contains(jobSeconds) { throw ValidationError("--job-seconds \(jobSeconds): expected 10 to 86400") }
        if !(1...16).contains(jobs) { throw ValidationError("--jobs \(jobs): expected 1 to 16") }
        if tokenFile == nil && !WorkspaceSettings.isLoopback(host) {
            throw ValidationError("--host \(host) is not a loopback address; serving the office needs --token-file FILE (every request then needs the token)")
        }
    }

    func run() throws {
        var settings = WorkspaceSettings()
        settings.host = host
        settings.port = port
        settings.databasePath = db
        settings.maximumBodyBytes = maxBodyMib << 20
        settings.jobSeconds = Double(jobSeconds)
        settings.concurrentJobs = jobs
        if let tokenFile {
            do { settings.token = try TokenFile.read(tokenFile) } catch { throw ToolFailure.invalidInput("error: \(error.message)") }
        }
        let network = try networkOption.load()
        let server: WorkspaceServer
        do { server = try WorkspaceServer(settings: settings, network: network) } catch {
            throw ToolFailure.invalidInput("error: \(error.message)")
        }
        let failure = ServeFailure()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run()
            } catch {
                failure.set("error: the server stopped: \(error)")
            }
            done.signal()
        }
        done.wait()
        if let message = failure.message { throw ToolFailure.invalidInput(message) }
    }
}

/// The error that stopped the server, handed from its task to the command.
private final class ServeFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    var message: String? { lock.withLock { text } }
    func set(_ message: String) { lock.withLock { text = message } }
}
