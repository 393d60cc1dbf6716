import Foundation
import Markup
import Simulation

/// The JSON contract of `simulate --format json` (schema: `schemas/simulate.schema.json`):
/// the run's inputs, every target with value and met/not met (a target or key figure with nothing
/// to measure is `null`/absent with its reason, never 0), the key figures, the hub airport's routes,
/// and the detail behind them (trains per week, queues, cost and CO2e per TEU, utilisation, bottlenecks).
public struct SimulationReport: Codable, Sendable {
    /// A plan target checked against the run: the simulator's own `Codable` type.
    public typealias Target = TargetCheck

    /// A resource that delayed cargo, with the TEU-hours of delay it caused (a whole number, as text).
    public struct Bottleneck: Codable, Sendable {
        public var name: String
        public var delayTEUHours: String
    }

    /// Queue statistics of a border crossing, gauge-change station or lock: the simulator's own
    /// `Codable` type, so the contract and the engine cannot disagree.
    public typealias Queue = QueueStatistics

    /// Use of one service in one week.
    public struct ServiceWeekUse: Codable, Sendable {
        public var service: String
        public var week: Int
        public var departures: Int
        public var teu: Double
        public var capacityTEU: Double
    }

    public var schemaVersion: String
    public var year: Int
    public var seed: UInt64
    public var days: Int
    /// Names of the disruptions applied.
    public var disruptions: [String]
    public var targets: [Target]
    /// Key figures by name, rounded to 0.001; only those the run measured.
    public var kpis: [String: Double]
    /// Key figures the run had nothing to measure for, with the reason (absent from `kpis`).
    public var notMeasured: [String: String]
    /// The hub airport's international routes and whether each operated (docs/targets.md).
    public var airRoutes: [AirRouteStatus]
    public var bottleneck: String
    public var bottleneckDelayTEUHours: Double
    public var bottlenecks: [Bottleneck]
    /// China-Europe trains run per week, by corridor route.
    public var trainsPerWeek: [String: [Int]]
    public var queues: [Queue]
    public var costUSDPerTEU: [String: Double]
    public var co2eKgPerTEU: [String: Double]
    /// Door-to-door days (mean, p90, shipments) of the shipments delivered in the year, by corridor;
    /// absent in reports written before schema 1.2.
    public var doorToDoorDays: [String: DoorToDoorDays]?
    public var utilisation: [ServiceWeekUse]
    /// Cargo waiting for departures and in queues at the start and end of the counted year, and
    /// the services and queues whose waiting cargo grew by more than a week of their capacity.
    public var backlog: BacklogReport
    /// Present with `--replications N`: every KPI and target with its mean and 95 % interval;
    /// then `kpis` holds the means, `targets` the checks on the mean, and the detail fields
    /// (bottlenecks, queues, trains per week, costs, utilisation) the run of the first seed.
    public var replications: Replicated?

    /// The contract of a run of `days` days of the `year` demand with `seed`.
    ///
    /// - Complexity: O(size of the result's statistics).
    public init(result: SimulationResult, year: Int, seed: UInt64, days: Int, disruptions: [String]) {
        schemaVersion = SchemaVersion.current
        self.year = year
        self.seed = seed
        self.days = days
        self.disruptions = disruptions
        targets = result.targets
        kpis = result.kpis.mapValues { (($0 * 1000).rounded()) / 1000 }
        notMeasured = result.unmeasuredKPIs
        airRoutes = result.airRoutes.map {
            var route = $0
            route.loadFactor = (route.loadFactor * 1000).rounded() / 1000
            return route
        }
        bottleneck = result.bottleneck
        bottleneckDelayTEUHours = result.bottleneckDelayTEUHours.rounded()
        bottlenecks = result.bottlenecks.map {
            Bottleneck(name: $0.name, delayTEUHours: $0.delayTEUHours.isFinite
                       ? String(format: "%.0f", $0.delayTEUHours.rounded()) : String($0.delayTEUHours))
        }
        trainsPerWeek = result.trainsPerWeek
        queues = result.queues
        costUSDPerTEU = result.costPerTEU
        co2eKgPerTEU = result.co2PerTEU
        doorToDoorDays = result.doorToDoorDays.mapValues {
            DoorToDoorDays(mean: ($0.mean * 100).rounded() / 100, p90: ($0.p90 * 100).rounded() / 100, shipments: $0.shipments)
        }
        backlog = result.backlog
        utilisation = result.utilisation.map {
            ServiceWeekUse(service: $0.service, week: $0.week, departures: $0.departures, teu: $0.teu,
                           capacityTEU: $0.capacityTEU)
        }
    }
}

extension SimulationReport {
    /// A mean with its 95 % confidence interval (Student t, n − 1 degrees of freedom).
    public struct Interval: Codable, Sendable {
        public var mean: Double
        public var low: Double
        public var high: Double
        public var halfWidth: Double
        public var standardDeviation: Double
        public var count: Int

        public init(_ interval: MeanInterval) {
            mean = rounded(interval.mean, 6)
            low = rounded(interval.low, 6)
            high = rounded(interval.high, 6)
            halfWidth = rounded(interval.halfWidth, 6)
            standardDeviation = rounded(interval.standardDeviation, 6)
            count = interval.count
        }
    }

    /// A target checked on the mean of the replications.
    public struct ReplicatedTarget: Codable, Sendable {
        public var name: String
        public var target: Double
        /// `atLeast` or `atMost`.
        public var comparison: String
        public var value: Interval
        public var met: Bool
        /// The whole interval is on one side of the target.
        public var clear: Bool
    }

    /// Replications of one run: the seeds, and every KPI and target over them.
    public struct Replicated: Codable, Sendable {
        public var count: Int
        public var seeds: [UInt64]
        /// 0.95.
        public var confidence: Double
        public var kpis: [String: Interval]
        public var targets: [ReplicatedTarget]
    }

    /// The contract of `results` (replications of one run, in `summary.seeds` order): means
    /// and intervals, targets checked on the mean, the detail of the first seed's run.
    ///
    /// - Complexity: O(size of the first result's statistics + r · k) for r runs and k KPIs.
    public init(replications results: [SimulationResult], summary: ReplicationSummary, year: Int, days: Int,
                disruptions: [String]) {
        self.init(result: results[0], year: year, seed: summary.seeds[0], days: days, disruptions: disruptions)
        kpis = summary.kpis.mapValues { rounded($0.mean, 3) }
        targets = targets.map { check in
            guard let replicated = summary.targets.first(where: { $0.name == check.name }) else { return check }
            var copy = check
            copy.value = replicated.value.mean
            copy.met = replicated.met
            return copy
        }
        replications = Replicated(
            count: results.count, seeds: summary.seeds, confidence: 0.95, kpis: summary.kpis.mapValues(Interval.init),
            targets: summary.targets.map {
                ReplicatedTarget(name: $0.name, target: $0.target, comparison: $0.comparison, value: Interval($0.value),
                                 met: $0.met, clear: $0.isClear)
            })
    }
}

/// A folder that cannot be written, with the system's reason.
public struct ReportWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write into '\(path)': \(reason)" }
}

/// The files `simulate --out DIR` writes: the event log (`events.jsonl`, one event a line, keys
/// sorted), the targets and KPIs (`kpis.csv`) and three SVG charts (`trains-per-week.svg`,
/// `utilisation.svg`, `queues.svg`).
public enum SimulationFiles {
    /// Writes every file into `folder`, creating it; each file is replaced atomically.
    ///
    /// - Parameter days: the simulated days (the utilisation chart has one column a week).
    /// - Throws: ``ReportWriteError`` when the folder or a file cannot be written.
    /// - Complexity: O(events + service weeks + queue days).
    public static func write(_ result: SimulationResult, days: Int, to folder: URL) throws(ReportWriteError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportWriteError(path: folder.path, reason: error.localizedDescription)
        }
        do {
            try OutputFile.write(eventLog(result), to: folder.appendingPathComponent("events.jsonl").path)
            try OutputFile.write(Data(kpiTable(result).utf8), to: folder.appendingPathComponent("kpis.csv").path)
            for (name, svg) in charts(result, days: days) {
                try OutputFile.write(Data(svg.utf8), to: folder.appendingPathComponent(name).path)
            }
        } catch let failure as OutputFile.Failure {
            throw ReportWriteError(path: failure.path, reason: failure.reason)
        } catch {
            throw ReportWriteError(path: folder.path, reason: String(describing: error))
        }
    }

    /// The event log: one JSON object a line, keys sorted.
    ///
    /// - Complexity: O(events).
    public static func eventLog(_ result: SimulationResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var log = Data()
        for event in result.events {
            log.append(try encoder.encode(event))
            log.append(0x0A)
        }
        return log
    }

    /// `kind,name,value,target,met`: one row per target, then one per KPI (sorted by name). A
    /// target or KPI the run did not measure has an empty value (never 0).
    ///
    /// - Complexity: O(targets + k log k) for k KPIs.
    public static func kpiTable(_ result: SimulationResult) -> String {
        var csv = "kind,name,value,target,met\n"
        for t in result.targets { csv += "target,\(t.name),\(t.value.map { "\($0)" } ?? ""),\(t.target),\(t.met)\n" }
        let names = Set(result.kpis.keys).union(result.unmeasuredKPIs.keys).sorted()
        for key in names { csv += "kpi,\(key),\(result.kpis[key].map { "\($0)" } ?? ""),,\n" }
        return csv
    }

    /// The three charts, by file name.
    ///
    /// - Complexity: O(service weeks + queue days).
    public static func charts(_ result: SimulationResult, days: Int) -> [(name: String, svg: String)] {
        let trains = result.trainsPerWeek.keys.sorted().map { ($0, result.trainsPerWeek[$0]!.map(Double.init)) }
        var byService: [String: [Double]] = [:]
        let weeks = (days + 6) / 7
        for row in result.utilisation where row.capacityTEU > 0 {
            byService[row.service, default: Array(repeating: 0, count: weeks)][min(weeks - 1, row.week)] = row.teu / row.capacityTEU
        }
        let busiest = byService.sorted { ($0.value.reduce(0, +), $0.key) > ($1.value.reduce(0, +), $1.key) }.prefix(60)
        let queues = result.queues.filter { $0.maxQueueLength > 0 }.map { ($0.name, $0.dailyLength.map(Double.init)) }
        return [
            ("trains-per-week.svg", SVGChart.lines(title: "China-Europe trains per week (Chengdu–Chongqing), by route",
                                                   xLabel: "week", yLabel: "trains", series: trains)),
            ("utilisation.svg", SVGChart.heatmap(title: "Utilisation per service and week (60 busiest services)",
                                                 rows: busiest.map { ($0.key, $0.value) }, columnLabel: "week")),
            ("queues.svg", SVGChart.lines(title: "Border and lock queues (vehicles waiting, end of day)", xLabel: "day",
                                          yLabel: "vehicles", series: queues)),
        ]
    }
}
