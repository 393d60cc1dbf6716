import ArgumentParser
import Foundation
import BuildInfo

/// The `routeplanner` command: plans and simulates multimodal freight through Chongqing.
@main
struct CommandLineTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routeplanner",
        abstract: "Plan multimodal freight through Chongqing: China-Europe rail, the Land-Sea Corridor, the Yangtze and air.",
        discussion: """
            Exit codes: 0 success; 1 internal error; 2 invalid input (a flag, a file, an unknown \
            or ambiguous place) or an output that cannot be written (read-only, disk full); 3 no \
            feasible answer (every route breaks a constraint); 4 a study finished but some of its \
            runs failed (they are recorded in its database); 130/143 a study stopped by SIGINT/SIGTERM.
            """,
        version: ToolVersion.current,
        subcommands: [RouteCommand.self, PlanCommand.self, BillCommand.self, SimulateCommand.self, StudyCommand.self,
                      NetworkCommand.self, MCFCommand.self, ServeCommand.self]
    )

    /// Parses, runs, and maps every failure to a documented exit code.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as ToolFailure {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            Foundation.exit(failure.exitCode.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code == ExitCode(ToolExit.noFeasibleRoute.rawValue) {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .failure && !(error is ValidationError) ? ToolExit.internalError.rawValue : ToolExit.invalidInput.rawValue)
        }
    }
}

/// The tool's exit codes (documented in the README).
enum ToolExit: Int32 {
    case success = 0
    case internalError = 1
    case invalidInput = 2
    case noFeasibleRoute = 3
    case someRunsFailed = 4
}

/// A failure with a message for the user and its exit code.
struct ToolFailure: Error {
    var message: String
    var exitCode: ToolExit
    static func invalidInput(_ message: String) -> ToolFailure { ToolFailure(message: message, exitCode: .invalidInput) }
}
