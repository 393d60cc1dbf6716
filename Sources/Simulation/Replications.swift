import Foundation
import NetworkData

/// The mean of a sample with its 95 % confidence interval (Student t, n − 1 degrees of freedom).
public struct MeanInterval: Sendable, Hashable, Codable {
    public var mean: Double
    /// Sample standard deviation (divisor n − 1).
    public var standardDeviation: Double
    /// t(0.975, n − 1) · s / √n.
    public var halfWidth: Double
    /// Observations.
    public var count: Int

    public var low: Double { mean - halfWidth }
    public var high: Double { mean + halfWidth }

    /// The mean and 95 % interval of `values`; nil for fewer than two values (no interval exists)
    /// or a value that is not finite.
    ///
    /// - Complexity: O(n).
    public init?(_ values: [Double]) {
        guard values.count >= 2, values.allSatisfy(\.isFinite) else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        self.mean = mean
        standardDeviation = variance.squareRoot()
        halfWidth = StudentT.quantile975(degreesOfFreedom: values.count - 1) * standardDeviation / n.squareRoot()
        count = values.count
    }
}

/// Quantiles of Student's t distribution.
public enum StudentT {
    /// t(0.975, df) for df = 1…30 (the two-sided 95 % critical value).
    static let table: [Double] = [
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
        2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
        2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
    ]
    /// Beyond the table: df → t at 40, 60, 120 and ∞, interpolated linearly in 1/df.
    static let tail: [(df: Double, t: Double)] = [(30, 2.0423), (40, 2.0211), (60, 2.0003), (120, 1.9799), (.infinity, 1.95996)]

    /// The 97.5th percentile of t with `degreesOfFreedom` (≥ 1): exact to 4 decimals up to 30,
    /// then interpolated in 1/df between 40, 60, 120 and the normal's 1.95996 (error < 0.001).
    public static func quantile975(degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1, "Student t needs at least one degree of freedom")
        if df <= table.count { return table[df - 1] }
        let x = 1 / Double(df)
        for (a, b) in zip(tail, tail.dropFirst()) where Double(df) <= b.df {
            let xa = 1 / a.df, xb = b.df.isFinite ? 1 / b.df : 0
            return a.t + (b.t - a.t) * (x - xa) / (xb - xa)
        }
        return 1.95996
    }
}

/// Runs work items on at most `jobs` threads (each with a 16 MiB stack, like the study runner)
/// and returns their results in index order.
public enum ParallelRuns {
    /// `work(i)` for i in 0..<count, `jobs` at a time.
    ///
    /// - Complexity: count calls of `work`, at most `jobs` concurrently.
    public static func map<T: Sendable>(count: Int, jobs: Int, _ work: @escaping @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let box = ResultBox<T>(count: count)
        let group = DispatchGroup()
        for _ in 0..<min(max(1, jobs), count) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while let index = box.nextIndex() { box.store(work(index), at: index) }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        return box.results()
    }

    private final class ResultBox<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var values: [T?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func nextIndex() -> Int? {
            lock.withLock {
                guard next < values.count else { return nil }
                defer { next += 1 }
                return next
            }
        }
        func store(_ value: T, at index: Int) { lock.withLock { values[index] = value } }
        func results() -> [T] { lock.withLock { values.map { $0! } } }
    }
}

/// A target checked on the mean of replications, with the interval of its value.
public struct ReplicatedTarget: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    public var target: Double
    /// `atLeast` or `atMost`.
    public var comparison: String
    /// The target's value (as each run checks it) over the replications.
    public var value: MeanInterval
    /// Met on the mean (an `atMost` target that some run could not measure is not met).
    public var met: Bool
    /// Whether the whole interval lies on the met side (or the missed side), i.e. the verdict is
    /// not in doubt at 95 %.
    public var isClear: Bool
    public var note: String?
}

/// Independent replications of one simulation: the same inputs with seeds `seed, seed+1, …`.
public struct Replications: Sendable {
    public var simulator: Simulator
    public var seeds: [UInt64]
    public var jobs: Int

    /// Replications of `simulator` with `count` seeds from its options' seed on.
    public init(simulator: Simulator, count: Int, jobs: Int) {
        self.simulator = simulator
        let first = simulator.options.seed
        seeds = (0..<UInt64(max(0, count))).map { first &+ $0 }
        self.jobs = jobs
    }

    /// Every run, in seed order.
    ///
    /// - Complexity: `seeds.count` simulations, `jobs` at a time.
    public func run() -> [SimulationResult] {
        let simulator = self.simulator, seeds = self.seeds
        // The runs share one network, so they share its route searches.
        let choiceSets = simulator.choiceSets ?? ChoiceSetCache()
        return ParallelRuns.map(count: seeds.count, jobs: jobs) { index in
            var options = simulator.options
            options.seed = seeds[index]
            var run = Simulator(network: simulator.network, lanes: simulator.lanes, disruptions: simulator.disruptions,
                                options: options)
            run.choiceSets = choiceSets
            return run.run()
        }
    }
}

/// Every KPI and target of a set of replications with its mean and 95 % interval.
public struct ReplicationSummary: Sendable {
    public var seeds: [UInt64]
    /// KPIs every run reported, by name.
    public var kpis: [String: MeanInterval]
    public var targets: [ReplicatedTarget]

    /// Summarises `results` (two or more runs of the same inputs, in `seeds` order).
    ///
    /// - Complexity: O(r · (k + t)) for r runs, k KPIs and t targets.
    public init(results: [SimulationResult], seeds: [UInt64]) {
        self.seeds = seeds
        var kpis: [String: MeanInterval] = [:]
        let names = results.first.map { Set($0.kpis.keys) } ?? []
        for name in names.sorted() {
            let values = results.compactMap { $0.kpis[name] }
            guard values.count == results.count, let interval = MeanInterval(values) else { continue }
            kpis[name] = interval
        }
        self.kpis = kpis
        targets = (results.first?.targets ?? []).compactMap { first in
            let checks = results.compactMap { $0.targets.first { $0.name == first.name } }
            // A target some run could not measure has no interval: it is left out, as its runs say.
            let values = checks.compactMap(\.value)
            guard checks.count == results.count, values.count == checks.count, let value = MeanInterval(values) else { return nil }
            let atLeast = first.comparison == "atLeast"
            let met = atLeast ? value.mean >= first.target - 1e-9 : value.mean <= first.target + 1e-9
            let clear = atLeast ? (value.low >= first.target) == met && (value.high >= first.target) == met
                                : (value.low <= first.target) == met && (value.high <= first.target) == met
            return ReplicatedTarget(name: first.name, description: first.description, target: first.target,
                                    comparison: first.comparison, value: value, met: met, isClear: clear, note: first.note)
        }
    }
}
