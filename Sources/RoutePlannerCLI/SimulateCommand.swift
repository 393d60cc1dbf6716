import ArgumentParser
import Foundation
import NetworkData
import Simulation
import Reports

/// `routeplanner simulate`: a year of operations against the plan targets.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a year of corridor operations and check the 2027 targets.",
        discussion: """
            Demand: networks/demand-YEAR.csv unless --demand is given (format: docs/demand-format.md). \
            Disruptions: docs/disruptions.md. The same inputs and --seed give the same event log. \
            --replications N runs seeds SEED…SEED+N−1 and reports every KPI with its mean and 95 % \
            interval. --headroom searches the largest demand factor that keeps service (docs/headroom.md).
            """
    )

    @OptionGroup var networkOption: NetworkOption
    @Option(help: "Demand year of the built-in tables: 2025 or 2027.") var year: Int = 2025
    @Option(help: "Demand table (CSV) instead of the built-in one.") var demand: String?
    @Option(help: "Disruption file (YAML); repeat for several.") var disruption: [String] = []
    @Option(help: "Simulated days from 1 January (1–366).") var days: Int = 365
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(help: "Write the event log (JSON Lines), KPI table (CSV) and SVG charts into this folder.") var out: String?
    @Option(help: "Run N seeds (--seed, --seed+1, …) and report each KPI's mean and 95 % interval (N ≥ 2).")
    var replications: Int?
    @Option(help: "Simulations in parallel (default: the number of cores).") var jobs: Int?
    @Flag(help: "Search the largest demand factor that keeps service (bisection; docs/headroom.md).") var headroom = false
    @Option(help: ArgumentHelp("With --headroom: the demand that grows: all, corridor:NAME or lane:ORIGIN-DESTINATION (repeatable; default all).",
                               valueName: "SET"))
    var grow: [String] = []
    @Option(help: ArgumentHelp("With --headroom: on-time=SHARE, p90-wait-hours=HOURS or backlog=SHARE (repeatable; default on-time=0.85, p90-wait-hours=72, backlog=0.01).",
                               valueName: "KEY=VALUE"))
    var criterion: [String] = []
    @Option(help: "With --headroom: seeds per step (1–100).") var seeds: Int = 3
    @Option(help: ArgumentHelp("USD per TEU added to the generalised cost of every route of a corridor, e.g. domestic=300 (repeatable; docs/simulation-model.md).",
                               valueName: "CORRIDOR=USD")) var corridorConstant: [String] = []
    @Option(help: "With --headroom: bisection steps after the bracket (1–30).") var steps: Int = 8
    @Option(help: "With --headroom: binding resources relieved by 10 % in the relief table, each a search of its own (0–10).") var reliefs: Int = 3

    func validate() throws {
        if ![2025, 2027].contains(year) { throw ValidationError("--year \(year): expected 2025 or 2027") }
        _ = try Self.corridorConstants(corridorConstant)
        if !(1...366).contains(days) { throw ValidationError("--days \(days): expected 1 to 366") }
        if let replications, !(2...1000).contains(replications) {
            throw ValidationError("--replications \(replications): expected 2 to 1000 (a confidence interval needs at least two runs)")
        }
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs \(jobs): expected 1 to 256") }
        if headroom && replications != nil {
            throw ValidationError("--replications and --headroom cannot be combined; --headroom runs --seeds seeds per step")
        }
        if !headroom {
            if !grow.isEmpty { throw ValidationError("--grow needs --headroom") }
            if !criterion.isEmpty { throw ValidationError("--criterion needs --headroom") }
        } else {
            if out != nil { throw ValidationError("--out cannot be combined with --headroom") }
            if !(1...100).contains(seeds) { throw ValidationError("--seeds \(seeds): expected 1 to 100") }
            if !(1...30).contains(steps) { throw ValidationError("--steps \(steps): expected 1 to 30") }
            if !(0...10).contains(reliefs) { throw ValidationError("--reliefs \(reliefs): expected 0 to 10") }
            for text in criterion {
                do { _ = try HeadroomCriterion(parsing: text) } catch { throw ValidationError(error.message) }
            }
            for text in grow { try Self.checkGrowSyntax(text) }
        }
    }

    /// The `--corridor-constant` values: `CORRIDOR=USD` with a known corridor and a finite USD amount
    /// within ±100,000, each corridor once.
    static func corridorConstants(_ texts: [String]) throws -> [Corridor: Double] {
        var constants: [Corridor: Double] = [:]
        let corridors = Corridor.allCases.map(\.rawValue).joined(separator: ", ")
        for text in texts {
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let corridor = Corridor(rawValue: String(parts[0])) else {
                throw ValidationError("--corridor-constant \(text): expected CORRIDOR=USD with CORRIDOR one of \(corridors)")
            }
            guard let usd = Double(parts[1]), usd.isFinite, abs(usd) <= 100_000, !parts[1].lowercased().hasPrefix("0x") else {
                throw ValidationError("--corridor-constant \(text): expected a number of USD per TEU between -100000 and 100000")
            }
            guard constants.updateValue(usd, forKey: corridor) == nil else {
                throw ValidationError("--corridor-constant \(corridor.rawValue) is given twice")
            }
        }
        return constants
    }

    /// `all`, `corridor:NAME` or `lane:ORIGIN-DESTINATION` (places are checked against the network later).
    static func checkGrowSyntax(_ text: String) throws {
        if let problem = HeadroomRequest.growSyntaxProblem(text, optionPrefix: "--") { throw ValidationError(problem) }
    }

    /// The growth sets of `--grow`, checked against the network and demand (exit 2 when one grows no lane).
    static func growth(_ grow: [String], network: Network, lanes: [DemandLane]) throws -> [DemandGrowth] {
        var request = HeadroomRequest()
        request.grow = grow
        do { return try request.growth(network: network, lanes: lanes, optionPrefix: "--") } catch {
            throw ToolFailure.invalidInput("error: \(error.message)")
        }
    }

    func run() throws {
        let network = try networkOption.load()
        let demandURL: URL
        if let demand { demandURL = URL(fileURLWithPath: demand) } else {
            guard let manifest = BuiltInNetwork.manifestURL() else {
                throw ToolFailure.invalidInput("error: the built-in demand tables were not found; pass --demand FILE")
            }
            demandURL = manifest.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demand-\(year).csv")
        }
        let lanes: [DemandLane]
        do { lanes = try DemandTable.load(demandURL, network: network, displayName: demand ?? "networks/demand-\(year).csv") } catch {
            throw ToolFailure.invalidInput(error.description + "\nerror: the demand table is invalid (\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"))")
        }
        var disruptions: [Disruption] = []
        var problems: [InputIssue] = []
        for file in disruption {
            do { disruptions += try Disruption.load(URL(fileURLWithPath: file), network: network, displayName: file) } catch {
                problems += error.issues
            }
        }
        if !problems.isEmpty {
            throw ToolFailure.invalidInput(InvalidInput(issues: problems).description + "\nerror: invalid disruption file")
        }
        var options = SimulationOptions()
        options.days = days
        options.seed = seed
        options.recordEvents = out != nil
        for (corridor, usd) in try Self.corridorConstants(corridorConstant) { options.choice.corridorConstantUSDPerTEU[corridor] = usd }
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        if headroom {
            return try runHeadroom(network: network, lanes: lanes, disruptions: disruptions, options: options, jobs: jobs)
        }
        if let replications {
            return try runReplications(Simulator(network: network, lanes: lanes, disruptions: disruptions, options: options),
                                       count: replications, jobs: jobs, disruptions: disruptions.map(\.name))
        }
        let result = Simulator(network: network, lanes: lanes, disruptions: disruptions, options: options).run()
        if let out {
            do { try SimulationFiles.write(result, days: days, to: URL(fileURLWithPath: out)) } catch {
                throw ToolFailure.invalidInput("error: \(error)")
            }
        }
        switch format {
        case .json:
            try printJSON(SimulationReport(result: result, year: year, seed: seed, days: days,
                                           disruptions: disruptions.map(\.name)))
        case .table:
            let table = SimulationTable(result: result, year: year, seed: seed, days: days, disruptions: disruptions.map(\.name))
            print(table.render(), terminator: "")
        }
    }
}

extension SimulateCommand {
    func runReplications(_ simulator: Simulator, count: Int, jobs: Int, disruptions: [String]) throws {
        var options = simulator.options
        options.recordEvents = false
        let replications = Replications(
            simulator: Simulator(network: simulator.network, lanes: simulator.lanes, disruptions: simulator.disruptions, options: options),
            count: count, jobs: jobs)
        var results = replications.run()
        if let out {
            // The files of the first seed, with its event log.
            results[0] = simulator.run()
            do { try SimulationFiles.write(results[0], days: days, to: URL(fileURLWithPath: out)) } catch {
                throw ToolFailure.invalidInput("error: \(error)")
            }
        }
        let summary = ReplicationSummary(results: results, seeds: replications.seeds)
        switch format {
        case .json:
            try printJSON(SimulationReport(replications: results, summary: summary, year: year, days: days, disruptions: disruptions))
        case .table:
            print(ReplicationTable(results: results, summary: summary, year: year, days: days, disruptions: disruptions).render(),
                  terminator: "")
        }
    }

    func runHeadroom(network: Network, lanes: [DemandLane], disruptions: [Disruption], options: SimulationOptions, jobs: Int) throws {
        let growth = try Self.growth(grow, network: network, lanes: lanes)
        var criteria: [HeadroomCriterion] = []
        for text in criterion { criteria.append(try HeadroomCriterion(parsing: text)) }
        if criteria.isEmpty { criteria = HeadroomCriterion.defaults }
        if Set(criteria.map(\.key)).count != criteria.count {
            throw ToolFailure.invalidInput("error: --criterion gives the same key twice; expected each criterion once")
        }
        var search = HeadroomSearch(network: network, lanes: lanes, disruptions: disruptions, options: options, growth: growth,
                                    criteria: criteria, seeds: seeds, steps: steps, jobs: jobs)
        search.reliefCount = reliefs
        let started = Date()
        let answer = search.run { line in FileHandle.standardError.write(Data(("headroom: " + line + "\n").utf8)) }
        let report = HeadroomReport(answer: answer, year: year, seconds: Date().timeIntervalSince(started))
        switch format {
        case .json: try printJSON(report)
        case .table: print(HeadroomTable(report: report).render(), terminator: "")
        }
    }
}

/// Replications as a table: every KPI's mean with its 95 % interval, targets checked on the mean.
struct ReplicationTable {
    let results: [SimulationResult]
    let summary: ReplicationSummary
    let year: Int
    let days: Int
    let disruptions: [String]

    func render() -> String {
        let seeds = summary.seeds
        var out = "Simulated \(days) days of the \(year) demand, \(seeds.count) replications (seeds \(seeds.first!)–\(seeds.last!))"
        out += "\(disruptions.isEmpty ? "" : ", disruptions: \(disruptions.joined(separator: "; "))")\n"
        out += "Means with 95 % confidence intervals (Student t, \(seeds.count - 1) degrees of freedom)\n\n"
        out += "Targets (checked on the mean):\n"
        let rows = summary.targets.map { t in
            [t.name, format(t.value.mean), "± " + format(t.value.halfWidth), "[\(format(t.value.low)), \(format(t.value.high))]",
             (t.comparison == "atLeast" ? "≥ " : "≤ ") + format(t.target), t.met ? "met" : "NOT met",
             ([t.isClear ? nil : "interval spans the target", t.note].compactMap { $0 }).joined(separator: "; ")]
        }
        out += TextTable(header: ["target", "mean", "±", "95 % interval", "target", "", "note"], rows: rows,
                         rightAligned: [1, 2, 4]).render(indent: "  ")
        out += "\nKey figures:\n"
        let kpiRows = summary.kpis.keys.sorted().map { key -> [String] in
            let k = summary.kpis[key]!
            return [key, format(k.mean), "± " + format(k.halfWidth), "[\(format(k.low)), \(format(k.high))]"]
        }
        out += TextTable(header: ["kpi", "mean", "±", "95 % interval"], rows: kpiRows, rightAligned: [1, 2]).render(indent: "  ")
        var counts: [String: Int] = [:]
        for result in results { counts[result.bottleneck, default: 0] += 1 }
        out += "\nBinding bottleneck by seed:\n"
        for (name, n) in counts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { out += "  \(n)/\(results.count)  \(name)\n" }
        return out
    }

    private func format(_ value: Double) -> String {
        abs(value) < 10 && value != value.rounded() ? String(format: "%.3f", value) : money(value)
    }
}

/// A headroom search as a table: the limit, the figures there, what binds, the relief table, the steps.
struct HeadroomTable {
    let report: HeadroomReport

    func render() -> String {
        let r = report
        var out = "Headroom of \(r.year == 0 ? "the scenario's" : "the \(r.year)") demand over \(r.days) days: growing \(r.grow.joined(separator: ", "))"
        out += " (\(money(r.grownTEUPerYear)) TEU a year at factor 1)\n"
        out += "Criteria on the mean of \(r.seedsPerStep) seed\(r.seedsPerStep == 1 ? "" : "s") a step: \(r.criteria.map(\.description).joined(separator: "; "))\n\n"
        if let limit = r.limitFactor {
            out += String(format: "Largest demand factor that holds: %.3f", limit)
            if let failed = r.failedFactor { out += String(format: " (fails at %.3f)", failed) } else { out += " (no failure found up to there)" }
            out += "\n"
        } else {
            out += String(format: "No factor tried holds (smallest tried %.4f fails)\n", r.failedFactor ?? 0)
        }
        if let at = r.atLimit {
            out += "At the limit (seed mean [95 % interval]):\n"
            for (label, figure) in [("China-Europe trains a year", at.chinaEuropeTrains), ("Land-Sea Corridor TEU", at.landSeaCorridorTEU),
                                    ("CKG international routes", at.ckgInternationalRoutes), ("on-time rate", at.onTimeRate)] {
                guard let figure else { out += "  \(label): not measured\n"; continue }
                out += "  \(label): \(show(figure.mean))"
                if let low = figure.low, let high = figure.high { out += " [\(show(low)), \(show(high))]" }
                out += "\n"
            }
        }
        if let first = r.firstToBind {
            out += "\nFirst to bind: \(first.criterion) at \(first.resource)\(first.reason.isEmpty ? "" : " (\(first.reason))")\n"
        }
        if !r.reliefs.isEmpty {
            out += "\nRelief: each resource +\(Int(((r.reliefs[0].factor - 1) * 100).rounded())) %, the search re-run:\n"
            let rows = r.reliefs.map { relief -> [String] in
                let gain = relief.factorGain.map { String(format: "%+.3f", $0) } ?? "?"
                let trains = relief.chinaEuropeTrainsGain.map { String(format: "%+.0f", $0) } ?? "not measured"
                let lsc = relief.landSeaCorridorTEUGain.map { String(format: "%+.0f", $0) } ?? "not measured"
                let ckg = relief.ckgInternationalRoutesGain.map { String(format: "%+.0f", $0) } ?? "not measured"
                return [relief.name.prefix(60).description, relief.relieved, relief.limitFactor.map { String(format: "%.3f", $0) } ?? "none",
                        gain, trains, lsc, ckg]
            }
            out += TextTable(header: ["resource", "relieved", "limit", "gain", "CE trains", "LSC TEU", "CKG routes"], rows: rows,
                             rightAligned: [2, 3, 4, 5, 6]).render(indent: "  ")
            if let tolerance = r.tolerance {
                out += String(format: "  (a gain of 0 means the limit did not move by more than the search's precision, %.4f)\n", tolerance)
            }
            for relief in r.reliefs {
                let place = relief.name.replacingOccurrences(of: "queue at ", with: "").replacingOccurrences(of: ": full departures", with: "")
                let percent = Int(((relief.factor - 1) * 100).rounded())
                if let trains = relief.chinaEuropeTrainsGain {
                    out += "  +\(percent) % at \(place): \(String(format: "%+.0f", trains)) China-Europe trains a year"
                    out += relief.factorGain.map { String(format: " (demand factor %+.3f)", $0) } ?? ""
                    out += "\n"
                } else {
                    out += "  +\(percent) % at \(place): the limit does not move beyond the search's precision\n"
                }
            }
        }
        out += "\nSteps:\n"
        let rows = r.steps.map { s in
            [String(format: "%.4f", s.factor), s.phase, String(format: "%.3f", s.onTimeRate), String(format: "%.3f", s.backlogShare),
             s.worstQueue.map { "\($0) \(String(format: "%.0f", s.worstQueueP90WaitHours ?? 0)) h" } ?? "", s.held ? "holds" : "breaks: " + s.failed.joined(separator: ", ")]
        }
        out += TextTable(header: ["factor", "phase", "on-time", "backlog", "worst p90", ""], rows: rows, rightAligned: [0, 2, 3]).render(indent: "  ")
        out += String(format: "\n%d steps × %d seeds on %d jobs in %.1f s\n", r.steps.count + r.reliefs.reduce(0) { $0 + $1.steps.count },
                      r.seedsPerStep, r.jobs, r.seconds)
        return out
    }

    private func show(_ value: Double) -> String {
        abs(value) < 10 && value != value.rounded() ? String(format: "%.3f", value) : money(value)
    }
}

/// Renders a simulation result as a table for people; the JSON contract is ``SimulationReport``.
struct SimulationTable {
    let result: SimulationResult
    let year: Int
    let seed: UInt64
    let days: Int
    let disruptions: [String]

    func render() -> String {
        var out = "Simulated \(days) days of the \(year) demand (seed \(seed))\(disruptions.isEmpty ? "" : ", disruptions: \(disruptions.joined(separator: "; "))")\n"
        out += String(format: "%d shipments, %d events\n\n", result.shipments, result.eventCount)
        out += "Targets:\n"
        let rows = result.targets.map { t in
            let outcome = t.value == nil ? "not measured (\(t.reason ?? "nothing to measure"))" : t.met ? "met" : "NOT met"
            return [t.name, t.value.map(format) ?? "–", (t.comparison == "atLeast" ? "≥ " : "≤ ") + format(t.target), outcome,
                    t.note ?? ""]
        }
        out += TextTable(header: ["target", "value", "target", "", "note"], rows: rows, rightAligned: [1, 2]).render(indent: "  ")
        let missed = result.targets.filter { $0.binds != nil }
        if !missed.isEmpty {
            out += "\nWhat binds the targets missed:\n"
            for t in missed { out += "  \(t.name): \(t.binds!)\n" }
        }
        out += "\nKey figures:\n"
        for key in Set(result.kpis.keys).union(result.unmeasuredKPIs.keys).sorted() {
            if let value = result.kpis[key] {
                out += "  \(key): \(format(value))\n"
            } else {
                out += "  \(key): not measured (\(result.unmeasuredKPIs[key]!))\n"
            }
        }
        let freighters = result.airRoutes.filter { $0.kind == "freighter" }
        if !result.airRoutes.isEmpty {
            let passengers = result.airRoutes.filter { $0.kind == "passenger" }
            out += "\nHub airport routes: \(freighters.filter(\.counted).count) of \(freighters.count) freighter routes operating"
            out += " (weeks at the minimum load factor, both directions); \(passengers.filter(\.counted).count) passenger routes timetabled (an input)\n"
            let routeRows = freighters.sorted { ($0.counted ? 0 : 1, -$0.loadFactor, $0.destination) < ($1.counted ? 0 : 1, -$1.loadFactor, $1.destination) }
                .map { r in [r.destination, "\(r.weeksOperating)/\(r.weeks)", String(format: "%.0f %%", r.loadFactor * 100),
                             r.counted ? "operating" : "not operating"] }
            out += TextTable(header: ["freighter to", "weeks", "load", ""], rows: routeRows, rightAligned: [1, 2]).render(indent: "  ")
        }
        out += "\nCost, CO2e and days per TEU delivered:\n"
        for corridor in result.costPerTEU.keys.sorted() {
            let days = result.doorToDoorDays[corridor].map { String(format: ", %.1f days door to door (p90 %.1f)", $0.mean, $0.p90) } ?? ""
            out += String(format: "  %@: %@ USD, %.0f kg CO2e%@\n", corridor, money(result.costPerTEU[corridor]!), result.co2PerTEU[corridor] ?? 0, days)
        }
        out += "\nBorder, gauge-change and lock queues:\n"
        let queueRows = result.queues.map { q in
            [q.place, q.name.prefix(40).description, String(q.vehicles), String(format: "%.1f", q.meanWaitHours),
             String(format: "%.1f", q.p90WaitHours), String(format: "%.1f", q.maxWaitHours), String(format: "%.1f", q.meanQueueLength),
             String(q.maxQueueLength)]
        }
        out += TextTable(header: ["place", "name", "vehicles", "wait mean h", "p90 h", "max h", "queue mean", "max"], rows: queueRows,
                         rightAligned: [2, 3, 4, 5, 6, 7]).render(indent: "  ")
        out += "\nBinding bottleneck: \(result.bottleneck) (\(money(result.bottleneckDelayTEUHours)) TEU-hours of delay)\n"
        for (rank, entry) in result.bottlenecks.enumerated().dropFirst() {
            out += "  #\(rank + 1) \(entry.name) (\(money(entry.delayTEUHours)) TEU-hours)\n"
        }
        return out
    }

    private func format(_ value: Double) -> String {
        abs(value) < 10 && value != value.rounded() ? String(format: "%.3f", value) : money(value)
    }
}
