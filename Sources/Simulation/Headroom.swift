import Foundation
import NetworkData

/// Which demand a headroom search grows.
public enum DemandGrowth: Sendable, Hashable, CustomStringConvertible {
    /// Every lane.
    case all
    /// Lanes of one corridor.
    case corridor(Corridor)
    /// Lanes from one place to another (every cargo class).
    case lane(origin: PlaceCode, destination: PlaceCode)

    /// Whether `lane` is grown.
    public func matches(_ lane: DemandLane) -> Bool {
        switch self {
        case .all: true
        case .corridor(let corridor): lane.corridor == corridor
        case .lane(let origin, let destination): lane.origin == origin && lane.destination == destination
        }
    }

    public var description: String {
        switch self {
        case .all: "all"
        case .corridor(let corridor): "corridor:\(corridor.rawValue)"
        case .lane(let origin, let destination): "lane:\(origin)-\(destination)"
        }
    }
}

/// When service counts as broken: a criterion every step must meet on the mean over its seeds.
public enum HeadroomCriterion: Sendable, Hashable, CustomStringConvertible {
    /// The on-time rate (share of delivered shipments on time) is at least `minimum`.
    case onTime(minimum: Double)
    /// Every border, gauge-change and lock queue has a 90th-percentile wait of at most `maximumHours`.
    case p90WaitHours(maximum: Double)
    /// The backlog does not grow: ``backlogShare(_:)`` is at most `maximumShare`.
    case backlog(maximumShare: Double)

    /// The flag's key (`on-time`, `p90-wait-hours`, `backlog`).
    public var key: String {
        switch self {
        case .onTime: "on-time"
        case .p90WaitHours: "p90-wait-hours"
        case .backlog: "backlog"
        }
    }

    public var limit: Double {
        switch self {
        case .onTime(let v), .p90WaitHours(let v), .backlog(let v): v
        }
    }

    public var description: String {
        switch self {
        case .onTime(let v): "on-time ≥ \(v)"
        case .p90WaitHours(let v): "every queue's p90 wait ≤ \(v) h"
        case .backlog(let v): "backlog growth over the year ≤ \(v) of arrived TEU"
        }
    }

    /// The defaults: on-time ≥ 0.85 (the issue's service level), p90 wait ≤ 72 h (estimate: three
    /// days at a border), backlog growth ≤ 0.01 of the year's arrived TEU (estimate: about four
    /// days of demand more waiting at the end of the year than at its start).
    public static let defaults: [HeadroomCriterion] = [.onTime(minimum: 0.85), .p90WaitHours(maximum: 72), .backlog(maximumShare: 0.01)]

    /// Parses `KEY=VALUE` (`on-time=0.85`, `p90-wait-hours=72`, `backlog=0.01`).
    ///
    /// - Throws: a message naming the bad key or value and what is expected.
    public init(parsing text: String) throws(HeadroomInputError) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let expected = "expected on-time=SHARE (0–1), p90-wait-hours=HOURS (> 0) or backlog=SHARE (0–1)"
        guard parts.count == 2 else { throw HeadroomInputError("--criterion '\(text.prefix(60))': \(expected)") }
        guard let value = Double(parts[1].trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw HeadroomInputError("--criterion \(parts[0]): '\(parts[1].prefix(30))' is not a number; \(expected)")
        }
        switch parts[0] {
        case "on-time" where (0...1).contains(value): self = .onTime(minimum: value)
        case "p90-wait-hours" where value > 0: self = .p90WaitHours(maximum: value)
        case "backlog" where (0...1).contains(value): self = .backlog(maximumShare: value)
        case "on-time", "p90-wait-hours", "backlog":
            throw HeadroomInputError("--criterion \(parts[0])=\(parts[1]): out of range; \(expected)")
        default:
            throw HeadroomInputError("--criterion '\(parts[0].prefix(40))': unknown criterion; \(expected)")
        }
    }
}

/// A headroom flag or input that cannot be used.
public struct HeadroomInputError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The growing-backlog signal of a run: how much the cargo waiting for departures and in queues
/// grew from the start to the end of the counted year (``BacklogReport``), as a share of the TEU
/// that arrived. A network that carries its demand ends the year with about the backlog it
/// started with (0 up to noise); one that does not piles up cargo week after week.
public func backlogShare(_ result: SimulationResult) -> Double {
    let arrived = result.teuBalance.arrivedTEU
    guard arrived > 0 else { return 0 }
    return max(0, result.backlog.endTEU - result.backlog.startTEU) / arrived
}

/// Whether a run's backlog grew beyond `maximumShare` (see ``backlogShare(_:)``).
public func backlogGrows(_ result: SimulationResult, maximumShare: Double = 0.01) -> Bool {
    backlogShare(result) > maximumShare
}

/// A capacity-limited resource of the network: a service (its departures) or a place (its throughput).
public enum HeadroomResource: Sendable, Hashable, CustomStringConvertible {
    case service(ServiceID)
    case place(PlaceCode)

    public var description: String {
        switch self {
        case .service(let id): "service \(id)"
        case .place(let code): "place \(code)"
        }
    }

    /// The resource a bottleneck line of ``SimulationResult/bottlenecks`` names: `service ID …`
    /// or `queue at NAME (CODE)`; nil when it names neither a known service nor a known place.
    public static func named(_ name: String, in network: Network) -> HeadroomResource? {
        if name.hasPrefix("service ") {
            let id = name.dropFirst("service ".count).prefix { !$0.isWhitespace }
            if network.service(ServiceID(rawValue: String(id))) != nil { return .service(ServiceID(rawValue: String(id))) }
        }
        if let open = name.lastIndex(of: "("), let close = name.lastIndex(of: ")"), open < close {
            let code = PlaceCode(rawValue: String(name[name.index(after: open)..<close]))
            if network.place(code) != nil { return .place(code) }
        }
        return nil
    }

    /// `network` with this resource relieved by `factor`: a service's departures a week, a
    /// place's throughput a day (normal and peak); nil when there is nothing to scale.
    public func relieved(in network: Network, by factor: Double) -> Network? {
        switch self {
        case .service(let id):
            guard network.service(id) != nil else { return nil }
            var services = network.services
            for i in services.indices where services[i].id == id { services[i].departuresPerWeek *= factor }
            var copy = network
            copy.replaceServices(services)
            return copy
        case .place(let code):
            guard network.place(code)?.throughput != nil else { return nil }
            let places = network.places.map { place -> Place in
                guard place.code == code, var throughput = place.throughput else { return place }
                throughput.unitsPerDay *= factor
                throughput.peakUnitsPerDay = throughput.peakUnitsPerDay.map { $0 * factor }
                var copy = place
                copy.throughput = throughput
                return copy
            }
            return Network(name: network.name, description: network.description, defaults: network.defaults, places: places,
                           services: network.services, targets: network.targets, hub: network.hub, files: network.files)
        }
    }
}

/// What one seed of one step measured (the detail a search keeps; whole results are dropped).
public struct HeadroomRun: Sendable {
    public var seed: UInt64
    public var kpis: [String: Double]
    /// 90th-percentile wait by queue place.
    public var p90WaitHours: [PlaceCode: Double]
    public var backlogShare: Double
    public var bottlenecks: [(name: String, delayTEUHours: Double)]

    init(seed: UInt64, result: SimulationResult) {
        self.seed = seed
        kpis = result.kpis
        p90WaitHours = Dictionary(result.queues.map { (PlaceCode(rawValue: $0.place), $0.p90WaitHours) }, uniquingKeysWith: max)
        backlogShare = Simulation.backlogShare(result)
        bottlenecks = result.bottlenecks
    }
}

/// One demand factor tried, with its seeds, the seed means and the verdict.
public struct HeadroomStep: Sendable {
    /// The demand multiplier of the grown lanes.
    public var factor: Double
    /// `bracket` (finding an interval) or `bisect`.
    public var phase: String
    public var runs: [HeadroomRun]
    public var onTimeRate: Double
    public var backlogShare: Double
    /// The queue with the largest mean p90 wait, and that wait.
    public var worstQueue: (place: PlaceCode, p90WaitHours: Double)?
    /// Whether every criterion holds on the seed mean.
    public var held: Bool
    /// Keys of the criteria that failed (empty when it held).
    public var failed: [String]

    /// The mean of `kpi` over the seeds (nil when a seed lacks it).
    public func mean(_ kpi: String) -> Double? {
        let values = runs.compactMap { $0.kpis[kpi] }
        return values.count == runs.count && !values.isEmpty ? values.reduce(0, +) / Double(values.count) : nil
    }

    /// The mean and 95 % interval of `kpi` (nil with fewer than two seeds).
    public func interval(_ kpi: String) -> MeanInterval? {
        let values = runs.compactMap { $0.kpis[kpi] }
        return values.count == runs.count ? MeanInterval(values) : nil
    }

    /// Resources by TEU-hours of delay summed over the seeds, most first.
    public func delays() -> [(name: String, delayTEUHours: Double)] {
        var sums: [String: Double] = [:]
        for run in runs { for b in run.bottlenecks { sums[b.name, default: 0] += b.delayTEUHours } }
        return sums.map { ($0.key, $0.value / Double(max(1, runs.count))) }.sorted { ($0.1, $0.0) > ($1.1, $1.0) }
    }
}

/// The outcome of one search: the steps and the bracket they closed.
public struct HeadroomOutcome: Sendable {
    public var steps: [HeadroomStep]
    /// The largest factor that held (nil: even the smallest factor tried failed).
    public var largestHeld: HeadroomStep?
    /// The smallest factor that failed (nil: even the largest factor tried held).
    public var smallestFailed: HeadroomStep?
    /// A factor known to hold without a step of its own (a relief search starts from the base
    /// search's limit: more capacity, the same seeds).
    public var assumedHeld: Double?
    /// The largest factor that holds: the largest held step, else the assumed one.
    public var limitFactor: Double? { largestHeld?.factor ?? assumedHeld }
    /// `smallestFailed − largestHeld`: the precision of the answer (nil without both).
    public var tolerance: Double? {
        guard let a = limitFactor, let b = smallestFailed else { return nil }
        return b.factor - a
    }
}

/// What relieving one binding resource by 10 % adds.
public struct HeadroomRelief: Sendable {
    public var resource: HeadroomResource
    /// The resource's name as the simulator reports it.
    public var name: String
    /// What was scaled: `departures a week` or `throughput a day`.
    public var relieved: String
    public var outcome: HeadroomOutcome
}

/// How far demand can grow before service breaks: bracket, then bisect, each step on several
/// seeds in parallel; then the same search with each of the three most binding resources
/// relieved by 10 % (docs/headroom.md).
public struct HeadroomSearch: Sendable {
    public var network: Network
    public var lanes: [DemandLane]
    public var disruptions: [Disruption]
    public var options: SimulationOptions
    public var growth: [DemandGrowth]
    public var criteria: [HeadroomCriterion]
    /// Seeds per step: `options.seed`, `+1`, ….
    public var seeds: Int
    /// Bisection steps after the bracket is found.
    public var steps: Int
    public var jobs: Int
    /// The relief factor of the relief table (1.1: +10 %).
    public var reliefFactor = 1.1
    /// Resources the relief table re-runs the search for.
    public var reliefCount = 3
    /// Bracketing stops at `start × 2^maximumDoublings` (or `start / 2^…`).
    public var maximumDoublings = 6
    /// Bounds the simulations of concurrent relief searches to `jobs` in all.
    var limiter: DispatchSemaphore?
    /// Asked once per simulated day of every simulation (``run(monitor:)``); nil: never cancelled.
    var isCancelled: (@Sendable () -> Bool)?

    public init(network: Network, lanes: [DemandLane], disruptions: [Disruption] = [], options: SimulationOptions,
                growth: [DemandGrowth], criteria: [HeadroomCriterion], seeds: Int, steps: Int, jobs: Int) {
        self.network = network
        self.lanes = lanes
        self.disruptions = disruptions
        self.options = options
        self.growth = growth
        self.criteria = criteria
        self.seeds = seeds
        self.steps = steps
        self.jobs = jobs
    }

    /// Whether lane `index` is grown.
    func isGrown(_ lane: DemandLane) -> Bool { growth.contains { $0.matches(lane) } }

    /// The lanes the search grows.
    public var grownLanes: [DemandLane] { lanes.filter(isGrown) }

    /// Runs the seeds of factor `factor` on `network` and judges the step.
    ///
    /// - Complexity: `seeds` simulations, `jobs` at a time.
    public func evaluate(_ factor: Double, on network: Network, phase: String) -> HeadroomStep {
        evaluate(factor, on: network, phase: phase, choiceSets: nil)
    }

    /// The same, with the runs' route searches shared through `choiceSets` (one per network).
    func evaluate(_ factor: Double, on network: Network, phase: String, choiceSets: ChoiceSetCache?) -> HeadroomStep {
        let lanes = self.lanes.map { lane -> DemandLane in
            var copy = lane
            if isGrown(lane) { copy.teuPerYear *= factor }
            return copy
        }
        var quiet = self.options
        quiet.recordEvents = false
        let options = quiet, first = quiet.seed, disruptions = self.disruptions
        let limiter = self.limiter
        let runs = ParallelRuns.map(count: seeds, jobs: limiter == nil ? jobs : seeds) { i -> HeadroomRun? in
            var o = options
            o.seed = first &+ UInt64(i)
            limiter?.wait()
            defer { limiter?.signal() }
            var simulator = Simulator(network: network, lanes: lanes, disruptions: disruptions, options: o)
            simulator.choiceSets = choiceSets
            guard let isCancelled else { return HeadroomRun(seed: o.seed, result: simulator.run()) }
            // A cancelled search runs its remaining steps as empty failures at once; run(monitor:) throws.
            guard let result = try? simulator.run(monitor: SimulationMonitor(isCancelled: isCancelled)) else { return nil }
            return HeadroomRun(seed: o.seed, result: result)
        }
        let measured = runs.compactMap { $0 }
        guard measured.count == runs.count else {
            return HeadroomStep(factor: factor, phase: phase, runs: [], onTimeRate: 0, backlogShare: 0, worstQueue: nil,
                                held: false, failed: ["cancelled"])
        }
        return judge(factor: factor, phase: phase, runs: measured)
    }

    /// The verdict of a step on its seed means.
    func judge(factor: Double, phase: String, runs: [HeadroomRun]) -> HeadroomStep {
        let n = Double(max(1, runs.count))
        let onTime = runs.reduce(0) { $0 + ($1.kpis["onTimeRate"] ?? 0) } / n
        let backlog = runs.reduce(0) { $0 + $1.backlogShare } / n
        var p90: [PlaceCode: Double] = [:]
        for run in runs { for (place, wait) in run.p90WaitHours { p90[place, default: 0] += wait / n } }
        let worst = p90.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }.map { (place: $0.key, p90WaitHours: $0.value) }
        var failed: [String] = []
        for criterion in criteria {
            switch criterion {
            case .onTime(let minimum): if onTime < minimum { failed.append(criterion.key) }
            case .backlog(let maximum): if backlog > maximum { failed.append(criterion.key) }
            case .p90WaitHours(let maximum): if (worst?.p90WaitHours ?? 0) > maximum { failed.append(criterion.key) }
            }
        }
        return HeadroomStep(factor: factor, phase: phase, runs: runs, onTimeRate: onTime, backlogShare: backlog,
                            worstQueue: worst, held: failed.isEmpty, failed: failed)
    }

    /// The search on `network`: bracket from `start` by doubling (or halving), then `steps` bisections.
    ///
    /// - Parameter known: a bracket already found on a network with less capacity (the relief
    ///   searches): `held` is assumed to hold, `failed` is tried first, and bisection stops at
    ///   `width`.
    /// - Complexity: (bracket steps + bisection steps) × `seeds` simulations.
    public func search(on network: Network, start: Double = 1,
                       known: (held: Double, failed: Double, width: Double)? = nil,
                       progress: (HeadroomStep) -> Void = { _ in }) -> HeadroomOutcome {
        search(on: network, start: start, known: known) { step, _ in progress(step) }
    }

    /// The search, reporting after each step the steps it still has at least to run (bracket:
    /// one more and the bisections; bisecting: the bisections left; a relief search: 1 until done).
    func search(on network: Network, start: Double = 1, known: (held: Double, failed: Double, width: Double)? = nil,
                progress: (HeadroomStep, _ remaining: Int) -> Void) -> HeadroomOutcome {
        var steps: [HeadroomStep] = []
        var held: HeadroomStep?, failed: HeadroomStep?
        var bisecting = false
        // Every step runs this network: its routes are searched once (the first step's runs).
        let choiceSets = ChoiceSetCache()
        var bisections = self.steps
        func run(_ factor: Double, _ phase: String) -> HeadroomStep {
            let step = evaluate(factor, on: network, phase: phase, choiceSets: choiceSets)
            steps.append(step)
            progress(step, known != nil ? 1 : bisecting ? bisections - 1 : 1 + bisections)
            if step.held { if held == nil || held!.factor < factor { held = step } } else if failed == nil || failed!.factor > factor { failed = step }
            return step
        }
        var lo: Double?, hi: Double?
        var width = 0.0
        if let known {
            // More capacity than the search the bracket came from: the old limit holds; try the old failure.
            lo = known.held
            if run(known.failed, "bracket").held {
                lo = known.failed
                let gap = max(known.failed - known.held, known.width)
                var factor = known.failed
                for k in 0..<maximumDoublings {
                    factor += gap * pow(2, Double(k))
                    if run(factor, "bracket").held { lo = factor } else { hi = factor; break }
                }
            } else {
                hi = known.failed
            }
            width = known.width
        } else if run(start, "bracket").held {
            lo = start
            for k in 1...maximumDoublings {
                let factor = start * pow(2, Double(k))
                if run(factor, "bracket").held { lo = factor } else { hi = factor; break }
            }
        } else {
            hi = start
            for k in 1...maximumDoublings {
                let factor = start / pow(2, Double(k))
                if run(factor, "bracket").held { lo = factor; break } else { hi = factor }
            }
        }
        if var lo, var hi {
            if known == nil { width = (hi - lo) / pow(2, Double(bisections)) }
            bisecting = true
            while bisections > 0 && hi - lo > width * (1 + 1e-9) {
                let mid = (lo + hi) / 2
                if run(mid, "bisect").held { lo = mid } else { hi = mid }
                bisections -= 1
            }
        }
        // Report the bracket the search closed (a known `held` that was not re-run has no step).
        if let l = held, let h = failed, l.factor > h.factor {
            // Noise: a held step above a failed one. Keep the failed one and the largest held below it.
            held = steps.filter { $0.held && $0.factor < h.factor }.max { $0.factor < $1.factor }
        }
        return HeadroomOutcome(steps: steps, largestHeld: held, smallestFailed: failed,
                               assumedHeld: held == nil ? known?.held : nil)
    }

    /// The search, the binding resources just above the limit, and the relief searches.
    ///
    /// - Complexity: (1 + `reliefCount`) searches; the relief searches start from the base bracket.
    public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) -> HeadroomAnswer {
        run { step, _ in progress(step) }
    }

    /// The same answer, watched by `monitor`: steps done against steps planned after each step
    /// (and once more at the end, all done), and a cancel asked once per simulated day of every simulation.
    ///
    /// - Throws: ``HeadroomCancelled`` with the steps finished before the cancel.
    /// - Complexity: that of ``run(progress:)``, plus one call of the monitor per simulated day.
    public func run(monitor: HeadroomMonitor) throws(HeadroomCancelled) -> HeadroomAnswer {
        var watched = self
        let stopped = StoppedSearch()
        if let cancel = monitor.isCancelled {
            watched.isCancelled = {
                guard cancel() else { return false }
                stopped.mark()
                return true
            }
        }
        let answer = watched.run { line, tally in
            guard !stopped.isMarked else { return }
            stopped.stepsDone = tally.done
            monitor.progress?(HeadroomProgress(stepsDone: tally.done, stepsPlanned: tally.planned, line: line))
        }
        if stopped.isMarked || monitor.isCancelled?() == true { throw HeadroomCancelled(stepsDone: stopped.stepsDone) }
        // The last call: every step done, none left.
        let done = answer.base.steps.count + answer.reliefs.reduce(0) { $0 + $1.outcome.steps.count }
        monitor.progress?(HeadroomProgress(stepsDone: done, stepsPlanned: done, line: "done"))
        return answer
    }

    private func run(progress: @escaping @Sendable (String, StepTally.Count) -> Void) -> HeadroomAnswer {
        let tally = StepTally(reliefs: reliefCount)
        let base = search(on: network) { step, remaining in
            progress(Self.describe(step, relief: nil), tally.stepped(search: -1, remaining: remaining))
        }
        let binding = bindingResources(base)
        tally.baseFinished(reliefs: 0)
        var reliefs: [HeadroomRelief] = []
        if let held = base.largestHeld, let failed = base.smallestFailed, let width = base.tolerance {
            // The relief searches run side by side; a semaphore keeps their simulations to `jobs` at a time.
            let chosen = binding.prefix(reliefCount).compactMap { entry in
                entry.resource.relieved(in: network, by: reliefFactor).map { (entry, $0) }
            }
            tally.baseFinished(reliefs: chosen.count)
            var shared = self
            shared.limiter = DispatchSemaphore(value: max(1, jobs))
            let concurrent = shared
            let outcomes = ParallelRuns.map(count: chosen.count, jobs: chosen.count) { i in
                let (entry, relieved) = chosen[i]
                let outcome = concurrent.search(on: relieved, known: (held.factor, failed.factor, width)) { step, remaining in
                    progress(Self.describe(step, relief: entry.resource), tally.stepped(search: i, remaining: remaining))
                }
                tally.searchFinished(i)
                return outcome
            }
            for ((entry, _), outcome) in zip(chosen, outcomes) {
                let what = if case .service = entry.resource { "departures a week" } else { "throughput a day" }
                reliefs.append(HeadroomRelief(resource: entry.resource, name: entry.name, relieved: what, outcome: outcome))
            }
        }
        return HeadroomAnswer(search: self, base: base, binding: binding, reliefs: reliefs)
    }

    /// The resources that bind just above the limit (the smallest failed step, else the last step):
    /// queues whose p90 wait broke the criterion first (worst first), then the services and queues
    /// that delayed most TEU-hours.
    public func bindingResources(_ outcome: HeadroomOutcome) -> [(resource: HeadroomResource, name: String, reason: String)] {
        guard let step = outcome.smallestFailed ?? outcome.steps.last else { return [] }
        var list: [(resource: HeadroomResource, name: String, reason: String)] = []
        if let limit = criteria.compactMap({ if case .p90WaitHours(let m) = $0 { m } else { nil } }).first {
            let n = Double(max(1, step.runs.count))
            var p90: [PlaceCode: Double] = [:]
            for run in step.runs { for (place, wait) in run.p90WaitHours { p90[place, default: 0] += wait / n } }
            for (place, wait) in p90.sorted(by: { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }) where wait > limit {
                let name = network.place(place).map { "queue at \($0.name) (\($0.code))" } ?? place.rawValue
                list.append((.place(place), name, String(format: "p90 wait %.0f h > %g h", wait, limit)))
            }
        }
        for (name, delay) in step.delays() {
            guard let resource = HeadroomResource.named(name, in: network), !list.contains(where: { $0.resource == resource }) else { continue }
            list.append((resource, name, String(format: "%.0f TEU-hours of delay", delay)))
        }
        return list
    }

    static func describe(_ step: HeadroomStep, relief: HeadroomResource?) -> String {
        let prefix = relief.map { "relief \($0): " } ?? ""
        return prefix + String(format: "factor %.4f (%@): on-time %.3f, backlog %.3f%@ → %@", step.factor, step.phase, step.onTimeRate,
                               step.backlogShare, step.worstQueue.map { String(format: ", worst p90 %.0f h at %@", $0.p90WaitHours, $0.place.rawValue) } ?? "",
                               step.held ? "holds" : "breaks (\(step.failed.joined(separator: ", ")))")
    }
}

/// Where a headroom search stands after a step.
public struct HeadroomProgress: Sendable, Hashable {
    /// Steps (demand factors tried, each on every seed) finished, relief searches included.
    public var stepsDone: Int
    /// Steps done plus the fewest still to run as far as the search knows (bracketing may need
    /// more doublings, a relief search more steps): an estimate that can grow, never below `stepsDone`.
    public var stepsPlanned: Int
    /// The step as the command line prints it (`factor 1.0000 (bracket): on-time …`).
    public var line: String

    /// `stepsDone / stepsPlanned`, 0 to 1.
    public var fraction: Double { stepsPlanned > 0 ? min(1, Double(stepsDone) / Double(stepsPlanned)) : 1 }
}

/// Watches a headroom search: a call after every step, and a cooperative cancel.
public struct HeadroomMonitor: Sendable {
    public var progress: (@Sendable (HeadroomProgress) -> Void)?
    /// Asked once per simulated day of every simulation; `true` stops the search.
    public var isCancelled: (@Sendable () -> Bool)?

    public init(progress: (@Sendable (HeadroomProgress) -> Void)? = nil, isCancelled: (@Sendable () -> Bool)? = nil) {
        self.progress = progress
        self.isCancelled = isCancelled
    }
}

/// A headroom search stopped by its monitor's cancel: no answer.
public struct HeadroomCancelled: Error, Sendable, CustomStringConvertible {
    /// Steps finished before the cancel (relief searches included).
    public var stepsDone: Int
    public var description: String { "the headroom search was cancelled after \(stepsDone) step\(stepsDone == 1 ? "" : "s")" }
}

/// Marked once a cancel has stopped a simulation of the search; the steps reported before.
private final class StoppedSearch: @unchecked Sendable {
    private let lock = NSLock()
    private var marked = false
    private var done = 0
    func mark() { lock.withLock { marked = true } }
    var isMarked: Bool { lock.withLock { marked } }
    var stepsDone: Int {
        get { lock.withLock { done } }
        set { lock.withLock { done = newValue } }
    }
}

/// Steps done and the fewest still to run, over the base search and the relief searches side by side.
private final class StepTally: @unchecked Sendable {
    struct Count { var done: Int; var planned: Int }
    private let lock = NSLock()
    private var done = 0
    /// The base search's remaining steps (search −1), then each relief search's.
    private var remaining: [Int: Int]
    /// Relief searches expected (each at least one step) while the base search runs.
    private var reliefsAhead: Int

    init(reliefs: Int) {
        reliefsAhead = reliefs
        remaining = [-1: 1]
    }

    private var count: Count { Count(done: done, planned: done + remaining.values.reduce(0, +) + reliefsAhead) }

    func stepped(search: Int, remaining left: Int) -> Count {
        lock.withLock {
            done += 1
            remaining[search] = max(0, left)
            return count
        }
    }

    /// The base search ended; `reliefs` relief searches start (one step each at least).
    func baseFinished(reliefs: Int) {
        lock.withLock {
            remaining[-1] = 0
            reliefsAhead = 0
            for i in 0..<reliefs { remaining[i] = 1 }
        }
    }

    func searchFinished(_ search: Int) { lock.withLock { remaining[search] = 0 } }
}

/// A finished headroom search with its relief table.
public struct HeadroomAnswer: Sendable {
    public var search: HeadroomSearch
    public var base: HeadroomOutcome
    /// Binding resources just above the limit, most binding first.
    public var binding: [(resource: HeadroomResource, name: String, reason: String)]
    public var reliefs: [HeadroomRelief]

    /// The first criterion to fail just above the limit and the resource behind it.
    public var firstToBind: (criterion: String, resource: String, reason: String)? {
        guard let failed = base.smallestFailed, let criterion = failed.failed.first else { return nil }
        if criterion == "p90-wait-hours", let queue = binding.first(where: { if case .place = $0.resource { true } else { false } }) {
            return (criterion, queue.name, queue.reason)
        }
        let top = binding.first { !$0.reason.hasPrefix("p90") } ?? binding.first
        return (criterion, top?.name ?? failed.runs.first?.bottlenecks.first?.name ?? "none", top?.reason ?? "")
    }
}
