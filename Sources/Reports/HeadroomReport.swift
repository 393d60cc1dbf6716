import Foundation
import NetworkData
import Simulation

/// The JSON contract of `simulate --headroom --format json` (schema: `schemas/headroom.schema.json`):
/// the largest demand factor that holds every criterion, the key figures there, the first
/// resource to bind, every step tried, and what relieving each binding resource by 10 % adds.
public struct HeadroomReport: Codable, Sendable {
    /// A criterion: its key (`on-time`, `p90-wait-hours`, `backlog`) and limit.
    public struct Criterion: Codable, Sendable {
        public var key: String
        public var limit: Double
        public var description: String
    }

    /// One seed of one step.
    public struct Run: Codable, Sendable {
        public var seed: UInt64
        public var onTimeRate: Double?
        public var backlogShare: Double
        public var chinaEuropeTrains: Double?
        public var landSeaCorridorTEU: Double?
        public var ckgInternationalRoutes: Double?
        /// The run's top bottleneck.
        public var bottleneck: String?
    }

    /// One demand factor tried.
    public struct Step: Codable, Sendable {
        public var factor: Double
        /// `bracket` or `bisect`.
        public var phase: String
        public var held: Bool
        /// Keys of the criteria that failed on the seed mean.
        public var failed: [String]
        public var onTimeRate: Double
        public var backlogShare: Double
        public var worstQueue: String?
        public var worstQueueP90WaitHours: Double?
        public var runs: [Run]
    }

    /// Key figures at a factor: seed means, with the 95 % interval when there are two seeds or more.
    public struct Figures: Codable, Sendable {
        public var chinaEuropeTrains: Figure?
        public var landSeaCorridorTEU: Figure?
        public var ckgInternationalRoutes: Figure?
        public var onTimeRate: Figure?
    }

    /// A seed mean and, with two seeds or more, its 95 % interval.
    public struct Figure: Codable, Sendable {
        public var mean: Double
        public var low: Double?
        public var high: Double?
    }

    /// The first criterion to fail just above the limit, and the resource behind it.
    public struct Binding: Codable, Sendable {
        public var criterion: String
        public var resource: String
        public var reason: String
    }

    /// A binding resource just above the limit.
    public struct Resource: Codable, Sendable {
        /// `service ID` or `place CODE`.
        public var id: String
        public var name: String
        public var reason: String
    }

    /// What relieving one resource by 10 % adds.
    public struct Relief: Codable, Sendable {
        public var resource: String
        public var name: String
        /// `departures a week` or `throughput a day`.
        public var relieved: String
        public var factor: Double
        /// The largest factor that holds with the relief (nil: none found).
        public var limitFactor: Double?
        /// `limitFactor − the base limit` (0 when the relief did not move the limit beyond the precision).
        public var factorGain: Double?
        /// Key figures at the relieved limit, when a step there ran.
        public var atLimit: Figures?
        /// Gains in key figures against the base limit; absent (not measured) when no step held on
        /// the relieved network, i.e. the limit did not move beyond the search's precision.
        public var chinaEuropeTrainsGain: Double?
        public var landSeaCorridorTEUGain: Double?
        public var ckgInternationalRoutesGain: Double?
        public var steps: [Step]
    }

    public var schemaVersion: String
    public var year: Int
    public var days: Int
    public var firstSeed: UInt64
    public var seedsPerStep: Int
    public var bisectionSteps: Int
    public var jobs: Int
    /// What grows: `all`, `corridor:NAME`, `lane:ORIGIN-DESTINATION`.
    public var grow: [String]
    /// TEU a year of the grown lanes at factor 1.
    public var grownTEUPerYear: Double
    public var criteria: [Criterion]
    /// The largest factor that held (nil: even the smallest tried failed).
    public var limitFactor: Double?
    /// The smallest factor that failed (nil: even the largest tried held).
    public var failedFactor: Double?
    /// `failedFactor − limitFactor`.
    public var tolerance: Double?
    public var atLimit: Figures?
    public var firstToBind: Binding?
    public var bindingResources: [Resource]
    public var steps: [Step]
    public var reliefs: [Relief]
    public var seconds: Double

    /// The contract of `answer`.
    ///
    /// - Complexity: O(steps · seeds).
    public init(answer: HeadroomAnswer, year: Int, seconds: Double) {
        let search = answer.search
        schemaVersion = SchemaVersion.current
        self.year = year
        days = search.options.days
        firstSeed = search.options.seed
        seedsPerStep = search.seeds
        bisectionSteps = search.steps
        jobs = search.jobs
        grow = search.growth.map(\.description)
        grownTEUPerYear = rounded(search.grownLanes.reduce(0) { $0 + $1.teuPerYear }, 1)
        criteria = search.criteria.map { Criterion(key: $0.key, limit: $0.limit, description: $0.description) }
        limitFactor = answer.base.limitFactor.map { rounded($0, 6) }
        failedFactor = answer.base.smallestFailed.map { rounded($0.factor, 6) }
        tolerance = answer.base.tolerance.map { rounded($0, 6) }
        atLimit = answer.base.largestHeld.map(Self.figures)
        firstToBind = answer.firstToBind.map { Binding(criterion: $0.criterion, resource: $0.resource, reason: $0.reason) }
        bindingResources = answer.binding.map { Resource(id: $0.resource.description, name: $0.name, reason: $0.reason) }
        steps = answer.base.steps.map(Self.step)
        let base = answer.base.largestHeld
        reliefs = answer.reliefs.map { relief in
            let held = relief.outcome.largestHeld
            // Without a held step on the relieved network (the limit did not move) there is nothing to compare: not measured.
            func gain(_ kpi: String) -> Double? {
                guard let a = held?.mean(kpi), let b = base?.mean(kpi) else { return nil }
                return rounded(a - b, 3)
            }
            return Relief(
                resource: relief.resource.description, name: relief.name, relieved: relief.relieved, factor: search.reliefFactor,
                limitFactor: relief.outcome.limitFactor.map { rounded($0, 6) },
                factorGain: relief.outcome.limitFactor.flatMap { l in answer.base.limitFactor.map { rounded(l - $0, 6) } },
                atLimit: held.map(Self.figures), chinaEuropeTrainsGain: gain("chinaEuropeTrains"),
                landSeaCorridorTEUGain: gain("landSeaCorridorTEU"), ckgInternationalRoutesGain: gain("ckgInternationalRoutes"),
                steps: relief.outcome.steps.map(Self.step))
        }
        self.seconds = rounded(seconds, 1)
    }

    static func figures(_ step: HeadroomStep) -> Figures {
        func figure(_ kpi: String) -> Figure? {
            guard let mean = step.mean(kpi) else { return nil }
            let interval = step.interval(kpi)
            return Figure(mean: rounded(mean, 3), low: interval.map { rounded($0.low, 3) }, high: interval.map { rounded($0.high, 3) })
        }
        return Figures(chinaEuropeTrains: figure("chinaEuropeTrains"), landSeaCorridorTEU: figure("landSeaCorridorTEU"),
                       ckgInternationalRoutes: figure("ckgInternationalRoutes"), onTimeRate: figure("onTimeRate"))
    }

    static func step(_ step: HeadroomStep) -> Step {
        Step(factor: rounded(step.factor, 6), phase: step.phase, held: step.held, failed: step.failed,
             onTimeRate: rounded(step.onTimeRate, 4), backlogShare: rounded(step.backlogShare, 4),
             worstQueue: step.worstQueue?.place.rawValue, worstQueueP90WaitHours: step.worstQueue.map { rounded($0.p90WaitHours, 1) },
             runs: step.runs.map { run in
                 Run(seed: run.seed, onTimeRate: run.kpis["onTimeRate"].map { rounded($0, 4) }, backlogShare: rounded(run.backlogShare, 4),
                     chinaEuropeTrains: run.kpis["chinaEuropeTrains"], landSeaCorridorTEU: run.kpis["landSeaCorridorTEU"].map { rounded($0, 1) },
                     ckgInternationalRoutes: run.kpis["ckgInternationalRoutes"], bottleneck: run.bottlenecks.first?.name)
             })
    }
}
