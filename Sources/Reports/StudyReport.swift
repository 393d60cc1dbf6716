/// The JSON contract of `study report --format json` (schema: `schemas/study-report.schema.json`):
/// every run of a results database with its KPIs, the deltas against the baseline run, and
/// its targets. Built by the `Studies` module from its results database.
public struct StudyReport: Codable, Sendable {
    /// A headline KPI: its short label and the decimals tables show.
    public struct Headline: Codable, Sendable {
        public var kpi: String
        public var label: String
        public var digits: Int

        public init(kpi: String, label: String, digits: Int) {
            self.kpi = kpi
            self.label = label
            self.digits = digits
        }
    }

    /// A target a run was checked against.
    public struct Target: Codable, Sendable {
        public var name: String
        /// null when the run measured nothing for it (`reason` says why).
        public var value: Double?
        public var target: Double?
        /// `atLeast` or `atMost`.
        public var comparison: String?
        public var met: Bool
        /// Why nothing was measured (only when `value` is null).
        public var reason: String?

        public init(name: String, value: Double?, target: Double?, comparison: String?, met: Bool, reason: String? = nil) {
            self.name = name
            self.value = value
            self.target = target
            self.comparison = comparison
            self.met = met
            self.reason = value == nil ? reason : nil
        }

        enum CodingKeys: String, CodingKey { case name, value, target, comparison, met, reason }

        /// Writes `value` as null when not measured (never omitted, never 0).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(value, forKey: .value)
            try container.encodeIfPresent(target, forKey: .target)
            try container.encodeIfPresent(comparison, forKey: .comparison)
            try container.encode(met, forKey: .met)
            try container.encodeIfPresent(reason, forKey: .reason)
        }
    }

    /// One run: its identity, how it ended, its KPIs and their deltas against the baseline.
    public struct Run: Codable, Sendable {
        public var runKey: String
        public var scenario: String
        /// The grid values, `seed=2,demandFactor=1.25` (empty without a grid).
        public var grid: String
        /// `simulate`, `plan` or `simulate,plan`; `headroom` for the steps of `study headroom`.
        public var engines: String
        public var seed: Int64
        public var inputsHash: String
        public var codeVersion: String
        /// `succeeded` or `failed`.
        public var status: String
        public var error: String?
        public var seconds: Double
        public var isBaseline: Bool
        /// KPI name → value.
        public var kpis: [String: Double]
        /// KPI name → value − the baseline's value (KPIs both runs have; empty for the baseline itself).
        public var deltas: [String: Double]
        public var targets: [Target]
        public var targetsMet: Int

        public init(runKey: String, scenario: String, grid: String, engines: String, seed: Int64, inputsHash: String,
                    codeVersion: String, status: String, error: String?, seconds: Double, isBaseline: Bool,
                    kpis: [String: Double], deltas: [String: Double], targets: [Target], targetsMet: Int) {
            self.runKey = runKey
            self.scenario = scenario
            self.grid = grid
            self.engines = engines
            self.seed = seed
            self.inputsHash = inputsHash
            self.codeVersion = codeVersion
            self.status = status
            self.error = error
            self.seconds = seconds
            self.isBaseline = isBaseline
            self.kpis = kpis
            self.deltas = deltas
            self.targets = targets
            self.targetsMet = targetsMet
        }
    }

    /// One scenario (and grid values other than the seed) over several seeds: each KPI's mean and
    /// 95 % interval, and the paired deltas against the baseline on the seeds both ran (common
    /// random numbers).
    public struct Replicated: Codable, Sendable {
        /// `scenario` or `scenario[grid]`.
        public var label: String
        public var scenario: String
        /// The grid values without the seed.
        public var grid: String
        public var seeds: [Int64]
        public var isBaseline: Bool
        /// Seeds shared with the baseline group (the pairs of `deltas`).
        public var pairedSeeds: [Int64]
        public var kpis: [String: SimulationReport.Interval]
        /// KPI name → mean and interval of (value − baseline value) over the paired seeds.
        public var deltas: [String: SimulationReport.Interval]

        public init(label: String, scenario: String, grid: String, seeds: [Int64], isBaseline: Bool, pairedSeeds: [Int64],
                    kpis: [String: SimulationReport.Interval], deltas: [String: SimulationReport.Interval]) {
            self.label = label
            self.scenario = scenario
            self.grid = grid
            self.seeds = seeds
            self.isBaseline = isBaseline
            self.pairedSeeds = pairedSeeds
            self.kpis = kpis
            self.deltas = deltas
        }
    }

    public var schemaVersion: String
    /// The database's file name.
    public var database: String
    /// The run key deltas are taken against; nil when no run succeeded.
    public var baseline: String?
    /// The headline KPIs tables show, in column order.
    public var headlines: [Headline]
    public var runs: [Run]
    /// Present when some scenario ran on two seeds or more (`study run --replications N`).
    public var replicated: [Replicated]?

    /// A report on `database` (its file name) with `runs` compared against `baseline`.
    public init(database: String, baseline: String?, headlines: [Headline], runs: [Run]) {
        schemaVersion = SchemaVersion.current
        self.database = database
        self.baseline = baseline
        self.headlines = headlines
        self.runs = runs
    }
}
