/// How far a run has gone, in simulated days of the engine's clock (warm-up, counted days and
/// drain: ``SimulationOptions/warmUpDays`` + ``SimulationOptions/days`` + 120).
public struct SimulationProgress: Sendable, Hashable {
    /// Whole days simulated so far.
    public var daysSimulated: Int
    /// Days the run simulates at most (it stops earlier when no event is left).
    public var daysTotal: Int

    /// `daysSimulated / daysTotal`, 0 to 1.
    public var fraction: Double { daysTotal > 0 ? min(1, Double(daysSimulated) / Double(daysTotal)) : 1 }

    public init(daysSimulated: Int, daysTotal: Int) {
        self.daysSimulated = daysSimulated
        self.daysTotal = daysTotal
    }
}

/// Watches a run from outside: a progress hook and a cooperative cancel. Both are checked when
/// the engine's clock passes into a new simulated day (one comparison per event otherwise), so a
/// run without a monitor costs nothing more, and a monitor never changes what the run computes.
public struct SimulationMonitor: Sendable {
    /// Called with the progress every `reportEveryDays` simulated days, on the run's thread.
    public var progress: (@Sendable (SimulationProgress) -> Void)?
    /// Asked once per simulated day; `true` stops the run (``SimulationCancelled``).
    public var isCancelled: (@Sendable () -> Bool)?
    /// Simulated days between two progress calls (at least 1).
    public var reportEveryDays: Int

    public init(reportEveryDays: Int = 5, progress: (@Sendable (SimulationProgress) -> Void)? = nil,
                isCancelled: (@Sendable () -> Bool)? = nil) {
        self.reportEveryDays = max(1, reportEveryDays)
        self.progress = progress
        self.isCancelled = isCancelled
    }
}

/// A run stopped by its monitor's cancel before it finished: nothing of it is a result.
public struct SimulationCancelled: Error, Sendable, CustomStringConvertible {
    /// Where the run stood when it stopped.
    public var progress: SimulationProgress

    public init(progress: SimulationProgress) { self.progress = progress }

    public var description: String {
        "cancelled at simulated day \(progress.daysSimulated) of \(progress.daysTotal)"
    }
}
