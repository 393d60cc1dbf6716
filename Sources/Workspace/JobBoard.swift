import Foundation
import Studies

/// Where a background job stands (`Job` in openapi.yaml); sent by `GET /api/jobs/{id}` and, on
/// every change, as a server-sent event of `GET /api/jobs/{id}/events`.
public struct JobStatus: Codable, Sendable, Equatable {
    public var id: String
    /// `simulate`.
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
    /// `runsDone / runsTotal`, 0 to 1.
    public var progress: Double
    /// Set once a cancel was asked; the run in flight finishes and is recorded, no new one starts.
    public var cancelRequested: Bool
    /// What went wrong, or why the job stopped.
    public var message: String?
    public var startedAt: String
    public var finishedAt: String?

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

    /// Starts a job running `runs` (all of one scenario), or refuses with 429 when the server
    /// already runs its limit of jobs. `uploadedFile`, the scenario as it was sent, is removed
    /// when the job ends (its runs were hashed and parsed before they start).
    func start(scenario: String, runs: [StudyRun], uploadedFile: URL) throws(APIError) -> JobStatus {
        let running = jobs.values.filter { !$0.status.isFinished }.count
        guard running < settings.concurrentJobs else {
            var error = APIError(.tooManyRequests, "\(running) job\(running == 1 ? " is" : "s are") running (the server's limit); wait for it to end or cancel it")
            error.headers[.retryAfter] = "10"
            throw error
        }
        let id = UUID().uuidString.lowercased()
        let status = JobStatus(id: id, kind: "simulate", state: "running", scenario: scenario, runKeys: runs.map(\.key),
                               runsTotal: runs.count, runsDone: 0, runsFailed: 0, progress: 0, cancelRequested: false,
                               message: nil, startedAt: Self.timestamp(), finishedAt: nil)
        let stop = StudyStop()
        jobs[id] = Job(status: status, stop: stop)
        let runner = {
            var runner = StudyRunner(runs: runs, store: store, jobs: settings.threadsPerJob)
            runner.stop = stop
            return runner
        }()
        let total = runs.count
        let thread = Thread { [self] in
            let outcome = Result { () throws(StoreError) -> StudySummary in
                try runner.run { progress in
                    // Runs the database already held with the same inputs count as done.
                    let done = total - progress.total + progress.done
                    Task { await self.progressed(id, done: done, failed: progress.failed) }
                }
            }
            try? FileManager.default.removeItem(at: uploadedFile)
            Task { await self.finished(id, outcome) }
        }
        thread.stackSize = 16 << 20
        thread.start()
        let seconds = settings.jobSeconds
        Task { [self] in
            try? await Task.sleep(for: .seconds(seconds))
            await self.timeLimitReached(id)
        }
        return status
    }

    func status(_ id: String) -> JobStatus? { jobs[id]?.status }

    /// Asks job `id` to stop: the run in flight finishes and is recorded, no new one starts.
    func cancel(_ id: String) -> JobStatus? {
        guard var job = jobs[id] else { return nil }
        guard !job.status.isFinished else { return job.status }
        job.status.cancelRequested = true
        job.stop.request()
        jobs[id] = job
        publish(id)
        return job.status
    }

    /// The job's status now and after every change, ending after the last; nil for an unknown id.
    func events(_ id: String) -> AsyncStream<JobStatus>? {
        guard let job = jobs[id] else { return nil }
        let (stream, continuation) = AsyncStream<JobStatus>.makeStream(bufferingPolicy: .bufferingNewest(64))
        continuation.yield(job.status)
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

    private func progressed(_ id: String, done: Int, failed: Int) {
        guard var job = jobs[id], !job.status.isFinished, done >= job.status.runsDone else { return }
        job.status.runsDone = done
        job.status.runsFailed = max(job.status.runsFailed, failed)
        job.status.progress = job.status.runsTotal > 0 ? Double(done) / Double(job.status.runsTotal) : 1
        jobs[id] = job
        publish(id)
    }

    private func timeLimitReached(_ id: String) {
        guard var job = jobs[id], !job.status.isFinished else { return }
        job.stop.request()
        job.status.message = "stopped at the time limit of \(Int(settings.jobSeconds)) s (the run in flight finishes and is recorded)"
        jobs[id] = job
        publish(id)
    }

    private func finished(_ id: String, _ outcome: Result<StudySummary, StoreError>) {
        guard var job = jobs[id] else { return }
        let timedOut = job.status.message?.hasPrefix("stopped at the time limit") ?? false
        switch outcome {
        case .success(let summary):
            job.status.runsDone = job.status.runsTotal - summary.notStarted
            job.status.runsFailed = summary.failed
            job.status.progress = job.status.runsTotal > 0 ? Double(job.status.runsDone) / Double(job.status.runsTotal) : 1
            if summary.notStarted > 0 {
                job.status.state = timedOut ? "timedOut" : "cancelled"
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
        for continuation in job.subscribers.values { continuation.yield(job.status) }
    }
}
