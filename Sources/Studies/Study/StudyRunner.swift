import BuildInfo
import NetworkData
import Simulation
import Foundation

/// Where a study stands, reported after every finished run.
public struct StudyProgress: Sendable {
    /// Runs finished in this invocation (succeeded or failed).
    public var done: Int
    /// Runs this invocation has to do (finished ones skipped on resume are not counted).
    public var total: Int
    public var failed: Int
    /// Seconds since the runner started.
    public var elapsedSeconds: Double
    /// The run that just finished, its status and seconds.
    public var last: (key: String, status: RunStatus, seconds: Double, error: String?)
    /// Runs stopped inside their simulation by ``StudyStop/interrupt()`` (counted in `done`, not in `failed`).
    public var cancelled = 0
    /// Whether `last` is a run stopped inside its simulation (recorded as failed, "cancelled at simulated day N of M").
    public var lastWasCancelled = false

    /// Runs per minute so far.
    public var runsPerMinute: Double { elapsedSeconds > 0 ? Double(done) / elapsedSeconds * 60 : 0 }

    /// Seconds left at the rate so far; nil before the first run finishes.
    public var remainingSeconds: Double? {
        done > 0 ? elapsedSeconds / Double(done) * Double(total - done) : nil
    }
}

/// What a study invocation did.
public struct StudySummary: Sendable {
    /// Runs in the study (or shard).
    public var runs: Int
    /// Runs skipped because the database holds a succeeded run with the same inputs.
    public var skipped: Int
    public var succeeded: Int
    public var failed: Int
    public var seconds: Double
    /// Runs not started because the study was asked to stop (``StudyStop``).
    public var notStarted = 0
    /// Runs stopped inside their simulation by ``StudyStop/interrupt()``, recorded as failed
    /// with "cancelled at simulated day N of M" (not counted in `failed`).
    public var cancelled = 0
}

/// A request to stop a study (SIGINT, SIGTERM): the runs in flight finish and are recorded, no
/// new run starts; or, with ``interrupt()``, the runs in flight stop too. Safe to set from a
/// signal source on any thread.
public final class StudyStop: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var interrupting = false
    public init() {}
    public func request() { lock.withLock { requested = true } }
    /// Stops new runs and the simulations in flight, at their next simulated day (runs in this
    /// process only; a worker process's run finishes). An interrupted run is recorded as failed
    /// with "cancelled at simulated day N of M".
    public func interrupt() { lock.withLock { requested = true; interrupting = true } }
    public var isRequested: Bool { lock.withLock { requested } }
    public var isInterrupted: Bool { lock.withLock { interrupting } }
}

/// Runs a study's runs on `jobs` threads and records each in the results store as it finishes.
///
/// GLPK (used by `plan`) is thread-confined: each run creates, solves and frees its problems
/// on its own thread, so runs never share a GLPK object. The simulator shares nothing.
public struct StudyRunner: Sendable {
    public var runs: [StudyRun]
    public var store: ResultsStore
    public var jobs: Int
    /// `i/N` when this invocation is one shard of a study (recorded with each run).
    public var shard: String?

    /// Checked before each run starts.
    public var stop = StudyStop()
    /// Where the runs execute; the CLI runs each in a child process.
    public var isolation = RunIsolation.sameProcess
    /// Called with a run's key and its simulation's progress every few simulated days, from the
    /// thread running it (runs in this process only: a worker process reports when it finishes).
    public var runProgress: (@Sendable (_ key: String, SimulationProgress) -> Void)?

    public init(runs: [StudyRun], store: ResultsStore, jobs: Int, shard: String? = nil) {
        self.runs = runs
        self.store = store
        self.jobs = max(1, jobs)
        self.shard = shard
    }

    /// Runs every run that has no succeeded row with the same inputs hash, `jobs` at a time.
    ///
    /// A run that throws is recorded as failed with its message; the others go on. With
    /// ``RunIsolation/childProcesses(executable:arguments:runSeconds:)`` so is a run whose process
    /// dies or outlasts its time (SIGPIPE is then ignored in this process: a dead child's pipe must
    /// not end the study).
    /// - Parameter progress: called after each run, from the worker thread that finished it
    ///   (one call at a time).
    /// - Throws: ``StoreError`` when the database cannot be read or written.
    public func run(progress: @escaping @Sendable (StudyProgress) -> Void) throws(StoreError) -> StudySummary {
        let succeeded = try store.succeededRuns()
        let pending = runs.filter { succeeded[$0.key] != $0.inputsHash }
        let state = RunnerState(total: pending.count)
        let networks = NetworkCache()
        let host = ProcessInfo.processInfo.hostName
        let started = Date()
        let workers = min(jobs, max(1, pending.count))
        if case .childProcesses = isolation { signal(SIGPIPE, SIG_IGN) }

        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread { [store, shard, stop, isolation, runProgress] in
                defer { group.leave() }
                var child: WorkerProcess?
                if case .childProcesses(let executable, let arguments, let seconds) = isolation {
                    child = WorkerProcess(executable: executable, arguments: arguments, runSeconds: seconds)
                }
                defer { child?.stop() }
                while !stop.isRequested, let index = state.nextIndex(), !state.stopped {
                    let run = pending[index]
                    let runStarted = Date()
                    var record = RunRecord(
                        runKey: run.key, scenario: run.scenario.name, scenarioFile: run.scenario.file, grid: run.grid.label,
                        inputsHash: run.inputsHash, seed: Int64(run.seed), codeVersion: ToolVersion.current,
                        engines: run.scenario.engines.map(\.rawValue).joined(separator: ","), status: .succeeded,
                        startedAt: runStarted, finishedAt: runStarted, seconds: 0, host: host, shard: shard)
                    var kpis: [KPIValue] = []
                    let outcome: RunOutcome
                    if let child {
                        outcome = child.execute(run)
                    } else {
                        let monitor = Self.monitor(of: run.key, reporting: runProgress, stop: stop)
                        do {
                            outcome = .measured(try ScenarioExecution.run(run.scenario, grid: run.grid, networks: networks, monitor: monitor))
                        } catch let cancel as SimulationCancelled {
                            outcome = .cancelled(cancel.description)
                        } catch {
                            outcome = .failed(String(describing: error))
                        }
                    }
                    switch outcome {
                    case .measured(let measurement):
                        kpis = measurement.kpis
                        record.bottleneck = measurement.bottleneck
                    case .failed(let message), .cancelled(let message):
                        record.status = .failed
                        record.error = message
                    }
                    record.finishedAt = Date()
                    record.seconds = record.finishedAt.timeIntervalSince(runStarted)
                    do {
                        try store.record(record, kpis: kpis)
                    } catch {
                        state.fail(with: error as? StoreError ?? StoreError(message: String(describing: error)))
                        return
                    }
                    state.finished(record, cancelled: outcome.isCancelled, elapsed: Date().timeIntervalSince(started), report: progress)
                }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        if let error = state.storeError { throw error }
        let (done, failed, cancelled) = state.counts
        return StudySummary(runs: runs.count, skipped: runs.count - pending.count, succeeded: done - failed - cancelled,
                            failed: failed, seconds: Date().timeIntervalSince(started), notStarted: pending.count - done,
                            cancelled: cancelled)
    }
}

extension StudyRunner {
    /// The monitor of run `key`: its progress to `report`, cancelled by ``StudyStop/interrupt()``.
    static func monitor(of key: String, reporting report: (@Sendable (String, SimulationProgress) -> Void)?,
                        stop: StudyStop) -> SimulationMonitor {
        var monitor = SimulationMonitor(isCancelled: { stop.isInterrupted })
        if let report {
            monitor.progress = { progress in report(key, progress) }
        }
        return monitor
    }

    /// Kills the worker processes of every study running in this process (a study stopped at
    /// once, by a second signal): the runs in flight are dropped, nothing of them is written.
    public static func killWorkerProcesses() { WorkerProcess.killAll() }
}

/// The runner's shared counters, behind a lock.
private final class RunnerState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var failed = 0
    private var cancelled = 0
    private let total: Int
    private(set) var storeError: StoreError?

    init(total: Int) { self.total = total }

    var stopped: Bool { lock.withLock { storeError != nil } }
    var counts: (done: Int, failed: Int, cancelled: Int) { lock.withLock { (done, failed, cancelled) } }

    func nextIndex() -> Int? {
        lock.withLock {
            guard next < total else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func fail(with error: StoreError) { lock.withLock { if storeError == nil { storeError = error } } }

    func finished(_ record: RunRecord, cancelled wasCancelled: Bool, elapsed: Double, report: (StudyProgress) -> Void) {
        lock.withLock {
            done += 1
            if wasCancelled { cancelled += 1 } else if record.status == .failed { failed += 1 }
            report(StudyProgress(done: done, total: total, failed: failed, elapsedSeconds: elapsed,
                                 last: (record.runKey, record.status, record.seconds, record.error),
                                 cancelled: cancelled, lastWasCancelled: wasCancelled))
        }
    }
}
