import Foundation
import NetworkData

/// Where a study's runs execute.
public enum RunIsolation: Sendable {
    /// On the runner's own threads: a run that traps ends the whole process.
    case sameProcess
    /// In child processes, one per worker thread, each started as `executable arguments…` and
    /// serving runs through ``StudyWorker``. A run whose process dies (a trap, a kill, memory) or
    /// outlasts `runSeconds` is recorded as failed with the reason, and the next run gets a new
    /// process: one run failing, even by a bug, never stops the others.
    case childProcesses(executable: URL, arguments: [String], runSeconds: Double?)
}

/// One run as the parent sends it to a worker process (a line of JSON).
struct WorkerRequest: Codable {
    /// The scenario file as given on the command line (the worker loads it again).
    var scenarioFile: String
    var grid: GridAssignment
    var key: String
    /// The inputs hash the parent planned: the worker refuses a run whose files changed since.
    var inputsHash: String
}

/// A worker's answer (a line of JSON): the measurement, or the run's error.
struct WorkerReply: Codable {
    var key: String
    var kpis: [KPIValue]?
    var bottleneck: String?
    var error: String?

    /// Numbers cross exactly (shortest round-trip digits); a non-finite one as a string.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()
}

/// What one run came to, wherever it ran.
enum RunOutcome {
    case measured(RunMeasurement)
    case failed(String)
    /// Stopped inside its simulation by ``StudyStop/interrupt()``.
    case cancelled(String)

    var isCancelled: Bool { if case .cancelled = self { true } else { false } }
}

/// The child side of ``RunIsolation/childProcesses(executable:arguments:runSeconds:)``: reads
/// ``WorkerRequest`` lines on standard input, runs each, and answers a ``WorkerReply`` line each,
/// until standard input ends.
public enum StudyWorker {
    /// The environment variable that makes a worker fail on purpose, for the tests of isolation:
    /// `trap:NAME` traps (as a bug would) and `hang:NAME` never answers when running scenario NAME.
    public static let faultVariable = "ROUTEPLANNER_FAULT_INJECTION"

    /// Serves runs until standard input ends. Anything the engines print goes to standard error:
    /// standard output carries only replies.
    public static func serve() {
        let replies = dup(STDOUT_FILENO)
        dup2(STDERR_FILENO, STDOUT_FILENO)
        // The parent decides when a study stops (it finishes or drops the runs in flight).
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let fault = ProcessInfo.processInfo.environment[faultVariable]
        let networks = NetworkCache()
        let loader = ScenarioLoader { try? networks.network($0) }
        var lines = LineReader(descriptor: STDIN_FILENO)
        while let line = lines.next() {
            let reply: WorkerReply
            if let request = try? JSONDecoder().decode(WorkerRequest.self, from: line) {
                if fault == "trap:\(request.key)" { fatalError("fault injected by \(faultVariable) in run \(request.key)") }
                if fault == "hang:\(request.key)" { while true { pause() } }
                reply = run(request, loader: loader, networks: networks)
            } else {
                reply = WorkerReply(key: "", error: "the worker received a request it cannot read")
            }
            guard var data = try? WorkerReply.encoder.encode(reply) else { exit(70) }
            data.append(UInt8(ascii: "\n"))
            guard writeAll(data, to: replies) else { exit(0) }  // the parent is gone
        }
    }

    static func run(_ request: WorkerRequest, loader: ScenarioLoader, networks: NetworkCache) -> WorkerReply {
        do {
            let scenario = try loader.load(URL(fileURLWithPath: request.scenarioFile), shownAs: request.scenarioFile)
            let axes = request.grid.values.map { GridAxis(key: $0.key, values: [$0.value]) }
            guard let planned = try StudyRun.plan([scenario], grid: axes).first, planned.inputsHash == request.inputsHash else {
                return WorkerReply(key: request.key, error: "\(request.scenarioFile) or a file it reads changed during the study; expected them unchanged (run the study again)")
            }
            let measurement = try ScenarioExecution.run(scenario, grid: request.grid, networks: networks)
            return WorkerReply(key: request.key, kpis: measurement.kpis, bottleneck: measurement.bottleneck)
        } catch {
            return WorkerReply(key: request.key, error: String(describing: error))
        }
    }
}

/// The parent side: one child process serving one worker thread's runs, started on first use
/// and again after it dies.
final class WorkerProcess {
    private let executable: URL
    private let arguments: [String]
    private let runSeconds: Double?
    private var child: Child?

    private struct Child {
        var process: Process
        var requests: FileHandle
        var replies: LineReader
        var errors: ErrorTail
    }

    /// Spawns are serialised: a pipe made by one thread must not leak into a child another
    /// thread starts at the same moment (it would keep the pipe open after its own child died).
    private static let spawning = NSLock()
    /// Every live child, so that a study stopped at once can take them down with it.
    private static let live = LiveChildren()

    init(executable: URL, arguments: [String], runSeconds: Double?) {
        self.executable = executable
        self.arguments = arguments
        self.runSeconds = runSeconds
    }

    deinit { stop() }

    /// Sends `run` to the child and waits for its reply, its death or the time limit.
    func execute(_ run: StudyRun) -> RunOutcome {
        let child: Child
        do { child = try self.child ?? start() } catch {
            return .failed("cannot start a worker process (\(executable.path)): \(error.localizedDescription)")
        }
        self.child = child
        child.errors.clear()
        let request = WorkerRequest(scenarioFile: run.scenario.file, grid: run.grid, key: run.key, inputsHash: run.inputsHash)
        guard var data = try? JSONEncoder().encode(request) else { return .failed("cannot encode the run for its worker") }
        data.append(UInt8(ascii: "\n"))
        var replies = child.replies
        defer { self.child?.replies = replies }
        let line: Data?
        if writeAll(data, to: child.requests.fileDescriptor) {
            switch replies.next(timeout: runSeconds) {
            case .line(let text): line = text
            case .end: line = nil
            case .timedOut:
                kill(child.process.processIdentifier, SIGKILL)
                finish(child)
                let limit = runSeconds.map { String(format: "%g", $0) } ?? "?"
                return .failed("the run did not finish within --run-seconds \(limit) s; its process was stopped")
            }
        } else {
            line = nil
        }
        guard let line, let reply = try? WorkerReply.decoder.decode(WorkerReply.self, from: line), reply.key == run.key else {
            return .failed(finish(child))
        }
        if let error = reply.error { return .failed(error) }
        return .measured(RunMeasurement(kpis: reply.kpis ?? [], bottleneck: reply.bottleneck))
    }

    /// Ends the child: its standard input closes, so it exits after the run in hand.
    func stop() {
        guard let child else { return }
        try? child.requests.close()
        child.process.waitUntilExit()
        Self.live.remove(child.process.processIdentifier)
        self.child = nil
    }

    /// Kills every live child (a study stopped at once): nothing of their runs is written.
    static func killAll() { live.killAll() }

    private func start() throws -> Child {
        Self.spawning.lock()
        defer { Self.spawning.unlock() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // A trap's message is what the run records; the runtime's backtrace would only delay it.
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        Self.live.add(process.processIdentifier)
        return Child(process: process, requests: input.fileHandleForWriting,
                     replies: LineReader(descriptor: output.fileHandleForReading.fileDescriptor, owner: output),
                     errors: ErrorTail(errors.fileHandleForReading))
    }

    /// Waits for a dead (or killed) child and says how it ended, with the end of what it printed.
    @discardableResult
    private func finish(_ child: Child) -> String {
        try? child.requests.close()
        child.process.waitUntilExit()
        Self.live.remove(child.process.processIdentifier)
        self.child = nil
        let how: String
        switch child.process.terminationReason {
        case .uncaughtSignal:
            let number = child.process.terminationStatus
            how = "ended by signal \(number)\(signalNames[number].map { " (\($0))" } ?? "")"
        case .exit:
            how = "exited with status \(child.process.terminationStatus)"
        @unknown default:
            how = "ended"
        }
        let tail = child.errors.text()
        return "the run's process \(how) before answering" + (tail.isEmpty ? "" : ": \(tail)")
    }
}

private let signalNames: [Int32: String] = [
    SIGILL: "SIGILL: a trap, e.g. a failed precondition", SIGTRAP: "SIGTRAP: a trap", SIGABRT: "SIGABRT: an abort",
    SIGSEGV: "SIGSEGV: a bad memory access", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL: killed, e.g. out of memory",
    SIGTERM: "SIGTERM",
]

/// The process ids of the live worker processes.
private final class LiveChildren: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: Set<pid_t> = []
    func add(_ id: pid_t) { lock.withLock { _ = ids.insert(id) } }
    func remove(_ id: pid_t) { lock.withLock { _ = ids.remove(id) } }
    func killAll() { lock.withLock { for id in ids { kill(id, SIGKILL) } } }
}

/// What a child wrote to standard error since its run began: the first kilobytes (a trap's
/// message comes before its backtrace), read as they come so that the child never blocks on a
/// full pipe.
private final class ErrorTail: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()
    private let ended = DispatchSemaphore(value: 0)
    private static let kept = 8_192

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while true {
                let count = read(handle.fileDescriptor, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                lock.withLock {
                    if bytes.count < Self.kept { bytes.append(contentsOf: buffer[0..<min(count, Self.kept - bytes.count)]) }
                }
            }
            try? handle.close()
            ended.signal()
        }
        thread.start()
    }

    func clear() { lock.withLock { bytes.removeAll() } }

    /// The lines that say what went wrong ("Fatal error: …", "error: …"), else the first three;
    /// once the child has closed standard error (it died).
    func text() -> String {
        ended.wait()
        ended.signal()
        let lines = lock.withLock { String(decoding: bytes, as: UTF8.self) }.split(whereSeparator: \.isNewline)
        let telling = lines.filter { line in
            ["Fatal error", "Precondition failed", "Assertion failed", "error:", "ERROR"].contains { line.contains($0) }
        }
        return (telling.isEmpty ? Array(lines.prefix(3)) : Array(telling.prefix(3))).joined(separator: " / ")
    }
}

/// Lines from a file descriptor, read with an optional time limit per line.
struct LineReader {
    private let descriptor: Int32
    /// Keeps the pipe (and so the descriptor) open while the reader lives.
    private let owner: AnyObject?
    private var pending = Data()
    private var atEnd = false

    enum Next { case line(Data), end, timedOut }

    init(descriptor: Int32, owner: AnyObject? = nil) {
        self.descriptor = descriptor
        self.owner = owner
    }

    /// The next line without its newline, or nil at the end.
    mutating func next() -> Data? {
        if case .line(let line) = next(timeout: nil) { return line }
        return nil
    }

    mutating func next(timeout: Double?) -> Next {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                return .line(Data(line))
            }
            if atEnd { return .end }
            if let deadline {
                let left = deadline.timeIntervalSinceNow
                guard left > 0 else { return .timedOut }
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, Int32(min(left * 1000, Double(Int32.max)).rounded(.up)))
                if ready < 0 && errno == EINTR { continue }
                if ready == 0 { continue }
            }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { atEnd = true; continue }
            pending.append(contentsOf: buffer[0..<count])
        }
    }
}

/// Writes all of `data` to `descriptor`; false when the other end is gone (EPIPE) or it fails.
func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
    data.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
