import Foundation
import NetworkData
import Reports
import Simulation
import Studies

/// Where a background job stands (`Job` in openapi.yaml); sent by `GET /api/jobs/{id}` and, on
/// every change, as a server-sent event of `GET /api/jobs/{id}/events`.
public struct JobStatus: Codable, Sendable {
    public var id: String
    /// `simulate` or `headroom`.
    public var kind: String
    /// `running`, then `succeeded` (every run recorded), `failed` (a run failed or the database
    /// could not be written), `cancelled` or `timedOut`.
    public var state: String
    public var scenario: String
    /// The run keys the job records in the results database (as `study run` keys them).
    public var runKeys: [String]
    public var runsTotal: Int
    /// Runs finished so far (succeeded or failed); runs the database already held with the same
    /// inputs count as done at once.
    public var runsDone: Int
    public var runsFailed: Int
    /// 0 to 1, never going back: `(runsDone + the simulated share of each run in flight) /
    /// runsTotal` (a run's share is its simulated days / its days in all, reported every few
    /// simulated days); for a headroom job, `stepsDone / stepsPlanned`.
    public var progress: Double
    /// Set once a cancel was asked; the simulations in flight stop at their next simulated day
    /// (recorded as failed, "cancelled at simulated day N of M"), no new run starts.
    public var cancelRequested: Bool
    /// What went wrong, or why the job stopped.
    public var message: String?
    public var startedAt: String
    public var finishedAt: String?
    /// A headroom job: steps of the search finished (relief searches included).
    public var stepsDone: Int?
    /// A headroom job: steps done plus the fewest still to run (an estimate that can grow).
    public var stepsPlanned: Int?
    /// A headroom job that succeeded: the answer, as `simulate --headroom --format json` prints it.
    public var headroom: HeadroomReport?

    /// Whether the job has ended (no further events).
    public var isFinished: Bool { finishedAt != nil }
}

/// The background jobs of the server: each runs its study runs on its own threads into the
/// results database, reports progress to subscribers, can be cancelled and is stopped at the
/// time limit. At most `concurrentJobs` run at once; finished jobs are kept for their status.
actor JobBoard {
    private struct Job {
        var status: JobStatus
        let stop: StudyStop
        var subscribers: [UUID: AsyncStream<JobStatus>.Continuation] = [:]
        /// The simulated share of each run in flight, by run key.
        var inFlight: [String: Double] = [:]
        /// Runs that have ended (a late report of their progress is ignored).
        var ended: Set<String> = []
        /// Every status published so far, oldest first (the first and the latest `historyLimit - 1`
        /// when there were more): a subscriber that comes late still sees how the job went.
        var history: [JobStatus]

        init(status: JobStatus, stop: StudyStop) {
            self.status = status
            self.stop = stop
            self.history = [status]
        }

        /// Records the status now in the history.
        mutating func remember() {
            if history.count >= JobBoard.historyLimit { history.remove(at: 1) }
            history.append(status)
        }
    }

    /// Statuses a job keeps for late subscribers (its first and the most recent ones).
    static let historyLimit = 256

    /// The runs stopped inside their simulation, with what they recorded ("cancelled at simulated day N of M").
    private final class Interrupted: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ run: String) { lock.withLock { list.append(run) } }
        var runs: [String] { lock.withLock { list } }
    }

    private let settings: WorkspaceSettings
    private let store: ResultsStore
    private var jobs: [String: Job] = [:]
    private var finishedOrder: [String] = []

    init(settings: WorkspaceSettings, store: ResultsStore) {
        self.settings = settings
        self.store = store
    }

    private static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(.iso8601)
    }

    /// Starts a job running `runs` (of one scenario, or of the several of a study), or refuses
    /// with 429 when the server already runs its limit of jobs. `uploadedFiles`, the scenarios as
    /// they were sent, are removed when the job ends (its runs were hashed and parsed before they start).
    func start(scenario: String, runs: [StudyRun], uploadedFiles: [URL]) throws(APIError) -> JobStatus {
        try admit()
        let id = UUID().uuidString.lowercased()
        let status = JobStatus(id: id, kind: "simulate", state: "running", scenario: scenario, runKeys: runs.map(\.key),
                               runsTotal: runs.count, runsDone: 0, runsFailed: 0, progress: 0, cancelRequested: false,
                               message: nil, startedAt: Self.timestamp(), finishedAt: nil)
        let stop = StudyStop()
        jobs[id] = Job(status: status, stop: stop)
        let runner = {
            var runner = StudyRunner(runs: runs, store: store, jobs: settings.threadsPerJob)
            runner.stop = stop
            runner.runProgress = { key, progress in
                Task { await self.runProgressed(id, key: key, fraction: progress.fraction) }
            }
            return runner
        }()
        let total = runs.count
        launch(id) { [self] in
            // Kept on this thread, in order: the tasks that publish progress may run in any order.
            let interrupted = Interrupted()
            let outcome = Result { () throws(StoreError) -> StudySummary in
                try runner.run { progress in
                    let last = progress.last
                    if progress.lastWasCancelled { interrupted.add("\(last.key): \(last.error ?? "cancelled")") }
                    // Runs the database already held with the same inputs count as done; runs stopped part way do not.
                    let done = total - progress.total + progress.done - progress.cancelled
                    Task { await self.progressed(id, done: done, failed: progress.failed, ended: last.key) }
                }
            }
            for file in uploadedFiles { try? FileManager.default.removeItem(at: file) }
            let stopped = interrupted.runs
            Task { await self.finished(id, outcome, interrupted: stopped) }
        }
        return status
    }

    /// What a headroom job runs: the search and where its answer is recorded.
    struct HeadroomWork: Sendable {
        var search: HeadroomSearch
        var scenario: Scenario
        var inputsHash: String
        /// The demand year for the report (0: the scenario's own table).
        var year: Int
    }

    /// Starts a headroom search of one scenario (`study headroom`), or refuses with 429. Its
    /// steps and summary go into the results database when it succeeds; a cancelled or timed-out
    /// search records nothing (an earlier headroom of the scenario stays).
    func startHeadroom(_ work: HeadroomWork, uploadedFile: URL?) throws(APIError) -> JobStatus {
        try admit()
        let id = UUID().uuidString.lowercased()
        let key = HeadroomStudy.keyPrefix(work.scenario.name) + "]"
        var status = JobStatus(id: id, kind: "headroom", state: "running", scenario: work.scenario.name, runKeys: [key],
                               runsTotal: 1, runsDone: 0, runsFailed: 0, progress: 0, cancelRequested: false,
                               message: nil, startedAt: Self.timestamp(), finishedAt: nil)
        status.stepsDone = 0
        status.stepsPlanned = 1 + work.search.steps
        let stop = StudyStop()
        jobs[id] = Job(status: status, stop: stop)
        let store = self.store
        launch(id) { [self] in
            let started = Date()
            let monitor = HeadroomMonitor(progress: { progress in
                Task { await self.headroomStepped(id, progress) }
            }, isCancelled: { stop.isInterrupted })
            let outcome: Result<HeadroomReport, HeadroomFailure>
            do {
                let answer = try work.search.run(monitor: monitor)
                do throws(StoreError) {
                    try HeadroomStudy.record(answer, scenario: work.scenario, inputsHash: work.inputsHash, store: store, started: started)
                    outcome = .success(HeadroomReport(answer: answer, year: work.year, seconds: Date().timeIntervalSince(started)))
                } catch {
                    outcome = .failure(.store(error.message))
                }
            } catch {
                outcome = .failure(.cancelled)
            }
            if let uploadedFile { try? FileManager.default.removeItem(at: uploadedFile) }
            Task { await self.headroomFinished(id, outcome) }
        }
        return status
    }

    enum HeadroomFailure: Error { case cancelled, store(String) }

    /// 429 when the server already runs its limit of jobs.
    private func admit() throws(APIError) {
        let running = jobs.values.filter { !$0.status.isFinished }.count
        guard running < settings.concurrentJobs else {
            var error = APIError(.tooManyRequests, "\(running) job\(running == 1 ? " is" : "s are") running (the server's limit); wait for it to end or cancel it")
            error.headers[.retryAfter] = "10"
            throw error
        }
    }

    /// Runs `work` on its own thread (16 MiB stack, as the runner's) and arms the time limit.
    private func launch(_ id: String, _ work: @escaping @Sendable () -> Void) {
        let thread = Thread(block: work)
        thread.stackSize = 16 << 20
        thread.start()
        let seconds = settings.jobSeconds
        Task { [self] in
            try? await Task.sleep(for: .seconds(seconds))
            self.timeLimitReached(id)
        }
    }

    func status(_ id: String) -> JobStatus? { jobs[id]?.status }

    /// Asks job `id` to stop: the simulations in flight stop at their next simulated day, no new run starts.
    func cancel(_ id: String) -> JobStatus? {
        guard var job = jobs[id] else { return nil }
        guard !job.status.isFinished else { return job.status }
        job.status.cancelRequested = true
        job.stop.interrupt()
        jobs[id] = job
        publish(id)
        return job.status
    }

    /// The job's statuses from its start (its history, so a subscriber that comes late, even after the
    /// end, sees the progress it made), then after every change, ending after the last; nil for an
    /// unknown id.
    func events(_ id: String) -> AsyncStream<JobStatus>? {
        guard let job = jobs[id] else { return nil }
        let (stream, continuation) = AsyncStream<JobStatus>.makeStream(
            bufferingPolicy: .bufferingNewest(Self.historyLimit + 64))
        // Every change is published, and so remembered: the history ends with the status now.
        for status in job.history { continuation.yield(status) }
        if job.status.isFinished {
            continuation.finish()
        } else {
            let key = UUID()
            jobs[id]?.subscribers[key] = continuation
            continuation.onTermination = { _ in Task { await self.unsubscribe(id, key) } }
        }
        return stream
    }

    private func unsubscribe(_ id: String, _ key: UUID) {
        jobs[id]?.subscribers[key] = nil
    }

    private func progressed(_ id: String, done: Int, failed: Int, ended key: String) {
        guard var job = jobs[id], !job.status.isFinished else { return }
        job.inFlight[key] = nil
        job.ended.insert(key)
        job.status.runsDone = max(job.status.runsDone, done)
        job.status.runsFailed = max(job.status.runsFailed, failed)
        updateProgress(&job)
        jobs[id] = job
        publish(id)
    }

    private func runProgressed(_ id: String, key: String, fraction: Double) {
        guard var job = jobs[id], !job.status.isFinished, !job.ended.contains(key) else { return }
        job.inFlight[key] = fraction
        updateProgress(&job)
        jobs[id] = job
        publish(id)
    }

    /// `(runsDone + the runs in flight's shares) / runsTotal`, never below what was reported.
    private func updateProgress(_ job: inout Job) {
        guard job.status.runsTotal > 0 else { return }
        let fine = (Double(job.status.runsDone) + job.inFlight.values.reduce(0, +)) / Double(job.status.runsTotal)
        job.status.progress = max(job.status.progress, min(1, fine))
    }

    private func headroomStepped(_ id: String, _ progress: HeadroomProgress) {
        guard var job = jobs[id], !job.status.isFinished, progress.stepsDone >= job.status.stepsDone ?? 0 else { return }
        job.status.stepsDone = progress.stepsDone
        job.status.stepsPlanned = progress.stepsPlanned
        job.status.progress = max(job.status.progress, min(1, progress.fraction))
        jobs[id] = job
        publish(id)
    }

    private func timeLimitReached(_ id: String) {
        guard var job = jobs[id], !job.status.isFinished else { return }
        job.stop.interrupt()
        job.status.message = "stopped at the time limit of \(Int(settings.jobSeconds)) s (a simulation in flight stops at its next simulated day)"
        jobs[id] = job
        publish(id)
    }

    private func headroomFinished(_ id: String, _ outcome: Result<HeadroomReport, HeadroomFailure>) {
        guard var job = jobs[id] else { return }
        let timedOut = job.status.message?.hasPrefix("stopped at the time limit") ?? false
        switch outcome {
        case .success(let report):
            job.status.state = "succeeded"
            job.status.runsDone = 1
            job.status.progress = 1
            job.status.stepsPlanned = job.status.stepsDone
            job.status.headroom = report
            if !timedOut && !job.status.cancelRequested { job.status.message = nil }
        case .failure(.cancelled):
            job.status.state = timedOut ? "timedOut" : "cancelled"
            if !timedOut {
                job.status.message = "cancelled after \(job.status.stepsDone ?? 0) steps of the search; nothing was recorded (an earlier headroom of \(job.status.scenario) stays)"
            }
        case .failure(.store(let message)):
            job.status.state = "failed"
            job.status.runsFailed = 1
            job.status.message = "the results database cannot be written: \(message)"
        }
        end(id, job)
    }

    private func finished(_ id: String, _ outcome: Result<StudySummary, StoreError>, interrupted: [String]) {
        guard var job = jobs[id] else { return }
        let timedOut = job.status.message?.hasPrefix("stopped at the time limit") ?? false
        switch outcome {
        case .success(let summary):
            // A run stopped inside its simulation has not finished: it counts in no progress.
            job.status.runsDone = job.status.runsTotal - summary.notStarted - summary.cancelled
            job.status.runsFailed = summary.failed
            job.inFlight = [:]
            if summary.notStarted == 0 && summary.cancelled == 0 {
                job.status.progress = 1
            } else {
                updateProgress(&job)
            }
            if summary.notStarted > 0 || summary.cancelled > 0 {
                job.status.state = timedOut ? "timedOut" : "cancelled"
                let stopped = interrupted.isEmpty ? "" : "; stopped inside the simulation and recorded as failed: " + interrupted.joined(separator: ", ")
                let prefix = timedOut ? (job.status.message ?? "") : "cancelled"
                job.status.message = "\(prefix): \(summary.notStarted) run\(summary.notStarted == 1 ? "" : "s") not started\(stopped)"
            } else if summary.failed > 0 {
                job.status.state = "failed"
                job.status.message = "\(summary.failed) run\(summary.failed == 1 ? "" : "s") failed; the errors are in the results database (GET /api/studies)"
            } else {
                job.status.state = "succeeded"
                if !timedOut && !job.status.cancelRequested { job.status.message = nil }
            }
        case .failure(let error):
            job.status.state = "failed"
            job.status.message = "the results database cannot be written: \(error.message)"
        }
        end(id, job)
    }

    /// Publishes the finished job, ends its event streams and forgets the oldest finished jobs.
    private func end(_ id: String, _ ended: Job) {
        var job = ended
        job.status.finishedAt = Self.timestamp()
        jobs[id] = job
        publish(id)
        for continuation in job.subscribers.values { continuation.finish() }
        jobs[id]?.subscribers = [:]
        finishedOrder.append(id)
        while finishedOrder.count > settings.keptJobs { jobs[finishedOrder.removeFirst()] = nil }
    }

    private func publish(_ id: String) {
        guard let job = jobs[id] else { return }
        jobs[id]?.remember()
        for continuation in job.subscribers.values { continuation.yield(job.status) }
    }
}
