import ArgumentParser
import Foundation
import NetworkData
import Studies
import Simulation
import Reports

/// `routeplanner study`: what-if studies over scenario files.
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "Run what-if scenarios in parallel into a SQLite results database, compare and merge them.",
        discussion: "Scenario format: docs/scenarios.md. Clusters (Slurm, Kubernetes): docs/cluster.md.",
        subcommands: [StudyRunCommand.self, StudyReportCommand.self, StudyMergeCommand.self, StudyHeadroomCommand.self,
                      StudyWorkerCommand.self],
        defaultSubcommand: StudyRunCommand.self
    )
}

/// `routeplanner study [run] FILE…`: runs every scenario × grid combination.
struct StudyRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenarios (× grid values) through simulate and/or plan; resumable.",
        discussion: """
            Each finished run is written to the database in one transaction. Rerunning the same \
            command skips runs that succeeded with the same inputs (scenario file, the files it \
            reads, grid values, tool version) and redoes the rest, so a killed study resumes. \
            A run that fails is recorded with its error; the others go on. Each run executes in a \
            child process (a worker per job): a run that crashes, is killed or outlasts --run-seconds \
            is recorded as failed with the reason, and the study goes on. \
            Exit codes: 0 all runs succeeded; 2 invalid scenario file or flag (nothing runs), or \
            the database cannot be written (read-only, disk full: the runs recorded before are \
            kept); 4 the study finished but some runs failed (see study report); 130/143 stopped \
            by SIGINT/SIGTERM.
            """
    )

    @Argument(help: "Scenario files (YAML).") var files: [String]
    @Option(help: ArgumentHelp("Vary a parameter across every scenario: KEY=V1,V2,… (repeatable). Keys: \(GridKey.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "KEY=V1,V2"))
    var grid: [String] = []
    @Option(help: "Runs in parallel (default: the number of cores).") var jobs: Int?
    @Option(help: "Run every scenario on seeds 1…N (common random numbers; the report gives means, intervals and paired deltas). Same as --grid seed=1,…,N.")
    var replications: Int?
    @Option(help: "Results database (SQLite), created if missing.") var db: String = "results.sqlite"
    @Option(help: ArgumentHelp("Run only shard I of N (0-based: 0/4 … 3/4) into its own database; see study merge.", valueName: "I/N"))
    var shard: String?
    @Option(help: "Progress display: auto (a bar on a terminal, lines otherwise), bar, lines or none.")
    var progress: ProgressStyle = .auto
    @Flag(help: "Check the scenario files and list the runs without running them.") var dryRun = false
    @Option(help: "Stop a run that takes longer than this many seconds and record it as failed (default: no limit).")
    var runSeconds: Double?
    @Option(help: "Where runs execute: processes (one child process per job; a crash fails only its run) or threads (in this process; a crash ends the study).")
    var isolation: IsolationStyle = .processes

    enum IsolationStyle: String, ExpressibleByArgument, CaseIterable { case processes, threads }

    enum ProgressStyle: String, ExpressibleByArgument, CaseIterable { case auto, bar, lines, none }

    func validate() throws {
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs \(jobs): expected 1 to 256") }
        if let replications, !(2...1000).contains(replications) {
            throw ValidationError("--replications \(replications): expected 2 to 1000 (a confidence interval needs at least two runs)")
        }
        if let shard, parseShard(shard) == nil {
            throw ValidationError("--shard '\(shard)': expected I/N with N ≥ 1 and 0 ≤ I < N, e.g. 0/4")
        }
        if db.isEmpty { throw ValidationError("--db: expected a file path") }
        if let runSeconds {
            guard runSeconds.isFinite, (0.001...31_622_400).contains(runSeconds) else {
                throw ValidationError("--run-seconds \(runSeconds): expected 0.001 to 31622400 (a year)")
            }
            guard isolation == .processes else {
                throw ValidationError("--run-seconds needs --isolation processes (a run in this process cannot be stopped)")
            }
        }
    }

    func parseShard(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
              (1...100_000).contains(count), (0..<count).contains(index) else { return nil }
        return (index, count)
    }

    func run() throws {
        var axes: [GridAxis] = []
        for text in grid {
            do { axes.append(try GridAxis(parsing: text)) } catch { throw ToolFailure.invalidInput("error: \(error.message)") }
        }
        if let replications {
            if axes.contains(where: { $0.key == .seed }) {
                throw ToolFailure.invalidInput("error: --replications and --grid seed=… both set the seeds; expected one of them")
            }
            axes.insert(GridAxis(key: .seed, values: (1...replications).map(Double.init)), at: 0)
        }
        if Set(axes.map(\.key)).count != axes.count {
            throw ToolFailure.invalidInput("error: --grid gives the same key twice; expected each key once with all its values")
        }
        let scenarios = try Self.loadScenarios(files)
        guard GridAxis.runCount(scenarios: scenarios.count, axes: axes) != nil else {
            let sizes = axes.map { "\($0.key.rawValue) \($0.values.count)" }.joined(separator: " × ")
            throw ToolFailure.invalidInput("error: \(scenarios.count) scenario file\(scenarios.count == 1 ? "" : "s") × \(sizes) values make more than \(GridAxis.maximumRuns) runs; expected at most that (split the study)")
        }
        var runs: [StudyRun]
        do { runs = try StudyRun.plan(scenarios, grid: axes) } catch { throw ToolFailure.invalidInput("error: \(error)") }
        let shardPart = shard.flatMap(parseShard)
        if let shardPart { runs = StudyRun.shard(runs, index: shardPart.index, of: shardPart.count) }

        if dryRun {
            // A dry run checks what a run would read first: every file a scenario names exists.
            var missing: [String] = []
            for scenario in scenarios {
                for file in scenario.referencedFiles() where !FileManager.default.isReadableFile(atPath: file.path) {
                    missing.append("\(scenario.file): \(file.path): no such readable file; expected the file the scenario names")
                }
            }
            if !missing.isEmpty {
                throw ToolFailure.invalidInput(missing.prefix(20).joined(separator: "\n") + (missing.count > 20 ? "\n… and \(missing.count - 20) more" : ""))
            }
            for run in runs { print("\(run.key)\t\(run.scenario.engines.map(\.rawValue).joined(separator: ","))\tseed \(run.seed)\t\(run.inputsHash.prefix(12))") }
            print("\(runs.count) runs from \(scenarios.count) scenario file\(scenarios.count == 1 ? "" : "s")\(shard.map { ", shard \($0)" } ?? "")")
            return
        }
        // The handlers come first: a signal while the database opens (scancel right after a task
        // starts) stops the study before its first run instead of killing it.
        let stop = StudyStop()
        let signals = StopSignals(stop: stop)
        let store: ResultsStore
        do { store = try ResultsStore(path: db) } catch { throw ToolFailure.invalidInput("error: \(error.message)") }
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let display = ProgressDisplay(style: progress)
        let summary: StudySummary
        var runner = StudyRunner(runs: runs, store: store, jobs: jobs, shard: shard)
        runner.stop = stop
        if isolation == .processes {
            runner.isolation = .childProcesses(executable: Self.executable, arguments: ["study", "worker"], runSeconds: runSeconds)
        }
        do {
            summary = try runner.run { display.show($0) }
        } catch {
            // The database cannot be written (disk full, read-only, locked past the timeout): the
            // message names it; like any output that cannot be written, exit 2.
            display.finish()
            throw ToolFailure.invalidInput("error: \(error.message)")
        }
        display.finish()
        if let signal = signals.received {
            print("\(summary.succeeded + summary.failed) runs recorded, \(summary.notStarted) not started (stopped by \(signal == SIGINT ? "SIGINT" : "SIGTERM")); run the same command again to resume")
            Foundation.exit(128 + signal)
        }
        var line = "\(summary.runs) runs: \(summary.succeeded) succeeded, \(summary.failed) failed, \(summary.skipped) already done"
        line += String(format: " (%.1f s, %d jobs); results in %@", summary.seconds, jobs, db)
        print(line)
        if summary.failed > 0 {
            FileHandle.standardError.write(Data("error: \(summary.failed) run\(summary.failed == 1 ? "" : "s") failed; see routeplanner study report --db \(db)\n".utf8))
            Foundation.exit(ToolExit.someRunsFailed.rawValue)
        }
    }

    /// SIGINT and SIGTERM during `study run`: the first asks the runner to stop after the runs in
    /// flight (each is recorded whole, in one transaction), and the tool exits 128 + the signal
    /// (130, 143); a second one exits at once, dropping the runs in flight (nothing of them is written).
    final class StopSignals: @unchecked Sendable {
        private var sources: [DispatchSourceSignal] = []
        private let lock = NSLock()
        private var signal: Int32?
        var received: Int32? { lock.withLock { signal } }

        init(stop: StudyStop) {
            for number in [SIGINT, SIGTERM] {
                Foundation.signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [weak self] in
                    guard let self else { return }
                    let again = self.lock.withLock { () -> Bool in
                        defer { if self.signal == nil { self.signal = number } }
                        return self.signal != nil
                    }
                    if again {
                        StudyRunner.killWorkerProcesses()
                        Foundation.exit(128 + number)
                    }
                    FileHandle.standardError.write(Data("stopping after the runs in flight (again to stop at once)\n".utf8))
                    stop.request()
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// This program's own file, which worker processes run (`study worker`).
    static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    /// Reads every scenario file, collecting all problems (exit 2 with file:line messages).
    static func loadScenarios(_ files: [String]) throws -> [Scenario] {
        let networks = NetworkCache()
        let loader = ScenarioLoader { try? networks.network($0) }
        var scenarios: [Scenario] = []
        var problems: [String] = []
        var checkedBases: Set<Scenario.NetworkSource> = []
        for file in files {
            do {
                let scenario = try loader.load(URL(fileURLWithPath: file), shownAs: file)
                if checkedBases.insert(scenario.network).inserted {
                    do { _ = try networks.network(scenario.network) } catch {
                        problems.append(error.description + "\n\(file): its base network is invalid")
                    }
                }
                scenarios.append(scenario)
            } catch {
                problems.append(error.description)
            }
        }
        if !problems.isEmpty {
            throw ToolFailure.invalidInput(problems.joined(separator: "\n") + "\nerror: invalid scenario file")
        }
        if scenarios.isEmpty { throw ToolFailure.invalidInput("error: no scenario files; expected FILE…") }
        return scenarios
    }
}

/// `routeplanner study worker`: serves runs for `study run` over standard input and output (not
/// for direct use).
struct StudyWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Serve runs for study run (internal: one JSON request per line on standard input).",
        shouldDisplay: false
    )

    func run() throws { StudyWorker.serve() }
}

/// Shows progress on standard error: a redrawn bar on a terminal, one line per run otherwise.
final class ProgressDisplay: @unchecked Sendable {
    private let bar: Bool
    private let quiet: Bool
    private var drawn = false

    init(style: StudyRunCommand.ProgressStyle) {
        let terminal = isatty(STDERR_FILENO) == 1
        bar = style == .bar || (style == .auto && terminal)
        quiet = style == .none
    }

    /// Called once per finished run (never concurrently).
    func show(_ progress: StudyProgress) {
        guard !quiet else { return }
        let eta = progress.remainingSeconds.map(Self.duration) ?? "?"
        let rate = String(format: "%.1f runs/min", progress.runsPerMinute)
        if bar {
            let width = 30
            let filled = progress.total > 0 ? width * progress.done / progress.total : width
            let text = "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] "
                + "\(progress.done)/\(progress.total)  \(rate)  ETA \(eta)\(progress.failed > 0 ? "  \(progress.failed) failed" : "")\u{1B}[K"
            FileHandle.standardError.write(Data(text.utf8))
            drawn = true
        } else {
            var text = "[\(progress.done)/\(progress.total)] \(progress.last.key) \(progress.last.status.rawValue)"
            text += String(format: " in %.1f s; %@, ETA %@", progress.last.seconds, rate, eta)
            if let error = progress.last.error { text += "\n  " + (error.split(separator: "\n").first.map(String.init) ?? "") }
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

/// `routeplanner study report`: KPIs side by side with deltas against a baseline.
struct StudyReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compare the runs of a results database: KPIs, deltas against a baseline, targets; HTML with SVG charts."
    )

    @Option(help: "Results database (SQLite).") var db: String = "results.sqlite"
    @Option(help: "Run key or scenario name to compare against (default: the run named baseline, else the first run whose key contains baseline).")
    var baseline: String?
    @Option(help: "Output format: table, csv, html or json (the contract in schemas/study-report.schema.json).")
    var format: ReportFormat = .table
    @Option(help: "Also write the HTML report (with SVG charts) to this file.") var html: String?

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case table, csv, html, json }

    func run() throws {
        let comparison: StudyComparison
        do {
            comparison = try StudyComparison(store: try ResultsStore(path: db, readOnly: true), baseline: baseline)
        } catch {
            throw ToolFailure.invalidInput("error: \(error.message)")
        }
        let title = URL(fileURLWithPath: db).lastPathComponent
        if let html {
            do { try OutputFile.write(Data(comparison.html(title: title).utf8), to: html) } catch {
                throw ToolFailure.invalidInput("error: --html \(html): cannot write the report: \(error.reason)")
            }
        }
        switch format {
        case .csv: print(comparison.csv(), terminator: "")
        case .html: print(comparison.html(title: title), terminator: "")
        case .json: try printJSON(comparison.report(database: title))
        case .table: print(table(comparison), terminator: "")
        }
        if let html, format == .table { print("HTML report: \(html)") }
    }

    func table(_ c: StudyComparison) -> String {
        guard !c.entries.isEmpty else { return "No runs in \(db).\n" }
        let columns = c.headlines
        var out = "\(c.entries.count) runs in \(db); baseline \(c.baseline?.run.runKey ?? "none") (deltas in brackets)\n\n"
        let rows = c.entries.map { entry -> [String] in
            var row = [entry.run.runKey]
            let isBase = entry.run.runKey == c.baseline?.run.runKey
            for h in columns {
                guard let value = entry.values[h.kpi] else { row.append(""); continue }
                var cell = decimal(value, h.digits)
                if !isBase, let d = c.delta(h.kpi, of: entry) {
                    let shown = decimal(abs(d), h.digits)
                    cell += d == 0 ? " (=)" : Double(shown) == 0 ? " (±0)" : " (\(d > 0 ? "+" : "-")\(shown))"
                }
                row.append(cell)
            }
            let met = c.targetsMet(entry)
            row.append(entry.run.status == .failed ? "FAILED" : "\(met.met)/\(met.of)")
            return row
        }
        out += TextTable(header: ["run"] + columns.map(\.label) + ["targets met"], rows: rows,
                         rightAligned: Set(1...(columns.count + 1))).render()
        let groups = c.replicatedGroups
        if !groups.isEmpty {
            out += "\nReplications: mean ± 95 % half-width; deltas paired on the seeds the baseline also ran (n.s.: interval spans 0)\n\n"
            let rows = groups.map { g -> [String] in
                var row = [g.label + (g.isBaseline ? " (baseline)" : ""), String(g.seeds.count)]
                for h in columns {
                    guard let k = g.kpis[h.kpi] else { row.append(""); continue }
                    var cell = "\(decimal(k.mean, h.digits)) ± \(decimal(k.halfWidth, h.digits))"
                    if let d = g.deltas[h.kpi] {
                        cell += " (\(d.mean >= 0 ? "+" : "-")\(decimal(abs(d.mean), h.digits)) ± \(decimal(d.halfWidth, h.digits))"
                        cell += d.low > 0 || d.high < 0 ? ")" : " n.s.)"
                    }
                    row.append(cell)
                }
                return row
            }
            out += TextTable(header: ["scenario", "seeds"] + columns.map(\.label), rows: rows,
                             rightAligned: Set(1...(columns.count + 1))).render()
        }
        let failures = c.entries.filter { $0.run.status == .failed }
        if !failures.isEmpty {
            out += "\nFailed runs:\n"
            for entry in failures {
                out += "  \(entry.run.runKey): \((entry.run.error ?? "").split(separator: "\n").first ?? "")\n"
            }
        }
        if !c.targetNames.isEmpty {
            out += "\nTargets not met:\n"
            for entry in c.entries where entry.run.status == .succeeded {
                let missed = c.targetNames.filter { entry.targets[$0]?.met == false }
                    .map { $0.replacingOccurrences(of: "target.", with: "") }
                out += "  \(entry.run.runKey): \(missed.isEmpty ? "none" : missed.joined(separator: ", "))\n"
            }
        }
        return out
    }

    func decimal(_ value: Double, _ digits: Int) -> String {
        digits == 0 ? String(Int64(value.rounded())) : String(format: "%.\(digits)f", value)
    }
}

/// `routeplanner study headroom FILE`: the headroom search of one scenario, into the results database.
struct StudyHeadroomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "headroom",
        abstract: "Search how far a scenario's demand can grow (simulate --headroom) and store every step in the results database.",
        discussion: """
            Each step × seed is a run keyed NAME[headroom,step=NN,seed=S] (grid demandFactor=F,seed=S), plus a summary \
            run NAME[headroom]; an earlier headroom of the same scenario is replaced. study report --html charts \
            the on-time rate against the demand factor. Method: docs/headroom.md.
            """
    )

    @Argument(help: "Scenario file (YAML): its network, demand, edits, days and seed.") var file: String
    @Option(help: "Results database (SQLite), created if missing.") var db: String = "results.sqlite"
    @Option(help: ArgumentHelp("The demand that grows: all, corridor:NAME or lane:ORIGIN-DESTINATION (repeatable; default all).", valueName: "SET"))
    var grow: [String] = []
    @Option(help: ArgumentHelp("on-time=SHARE, p90-wait-hours=HOURS or backlog=SHARE (repeatable).", valueName: "KEY=VALUE"))
    var criterion: [String] = []
    @Option(help: "Seeds per step (1–100).") var seeds: Int = 3
    @Option(help: "Bisection steps after the bracket (1–30).") var steps: Int = 8
    @Option(help: "Binding resources relieved by 10 % in the relief table, each a search of its own (0–10).") var reliefs: Int = 3
    @Option(help: "Simulations in parallel (default: the number of cores).") var jobs: Int?

    func validate() throws {
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs \(jobs): expected 1 to 256") }
        if !(1...100).contains(seeds) { throw ValidationError("--seeds \(seeds): expected 1 to 100") }
        if !(1...30).contains(steps) { throw ValidationError("--steps \(steps): expected 1 to 30") }
        if !(0...10).contains(reliefs) { throw ValidationError("--reliefs \(reliefs): expected 0 to 10") }
        for text in criterion {
            do { _ = try HeadroomCriterion(parsing: text) } catch { throw ValidationError(error.message) }
        }
        for text in grow { try SimulateCommand.checkGrowSyntax(text) }
        if db.isEmpty { throw ValidationError("--db: expected a file path") }
    }

    func run() throws {
        let scenario = try StudyRunCommand.loadScenarios([file])[0]
        guard scenario.engines.contains(.simulate) else {
            throw ToolFailure.invalidInput("error: \(file): engines has no simulate; the headroom search simulates")
        }
        let inputs: ScenarioInputs
        do { inputs = try scenario.inputs(grid: GridAssignment(), networks: NetworkCache()) } catch {
            throw ToolFailure.invalidInput(error.description + "\nerror: \(file): invalid input")
        }
        let growth = try SimulateCommand.growth(grow, network: inputs.network, lanes: inputs.lanes)
        var criteria: [HeadroomCriterion] = []
        for text in criterion { criteria.append(try HeadroomCriterion(parsing: text)) }
        if criteria.isEmpty { criteria = HeadroomCriterion.defaults }
        if Set(criteria.map(\.key)).count != criteria.count {
            throw ToolFailure.invalidInput("error: --criterion gives the same key twice; expected each criterion once")
        }
        let store: ResultsStore
        do { store = try ResultsStore(path: db) } catch { throw ToolFailure.invalidInput("error: \(error.message)") }
        let hash: String
        do { hash = try StudyRun.plan([scenario], grid: [])[0].inputsHash } catch { throw ToolFailure.invalidInput("error: \(error)") }
        var search = HeadroomSearch(network: inputs.network, lanes: inputs.lanes, disruptions: inputs.disruptions,
                                    options: inputs.simulation, growth: growth, criteria: criteria, seeds: seeds, steps: steps,
                                    jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        search.reliefCount = reliefs
        let started = Date()
        let answer = search.run { line in FileHandle.standardError.write(Data(("headroom: " + line + "\n").utf8)) }
        do { try HeadroomStudy.record(answer, scenario: scenario, inputsHash: hash, store: store, started: started) } catch {
            throw ToolFailure.invalidInput("error: \(error.message)")
        }
        let year = if case .year(let y) = scenario.demand { y } else { 0 }
        let report = HeadroomReport(answer: answer, year: year, seconds: Date().timeIntervalSince(started))
        print(HeadroomTable(report: report).render(), terminator: "")
        print("Steps stored in \(db) as \(HeadroomStudy.keyPrefix(scenario.name))…]; chart: routeplanner study report --db \(db) --html FILE")
    }
}

/// `routeplanner study merge`: merges shard databases into one.
struct StudyMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge shard databases into one (idempotent: merging twice changes nothing).",
        discussion: "A run present in both keeps the one that finished later, except that a success is never replaced by a failure of the same inputs. Exit 2 if a shard is not a results database."
    )

    @Argument(help: "The merged database (created if missing).") var output: String
    @Argument(help: "Shard databases written by study --shard.") var shards: [String]

    func validate() throws {
        if shards.isEmpty { throw ValidationError("expected OUT.sqlite SHARD.sqlite…") }
        let target = URL(fileURLWithPath: output).standardizedFileURL.path
        if shards.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == target }) {
            throw ValidationError("\(output) is both the output and a shard; expected a different output file")
        }
    }

    func run() throws {
        var sources: [ResultsStore] = []
        do {
            for shard in shards {
                let source = try ResultsStore(path: shard, readOnly: true)
                // A shard that cannot be read through (corrupt, truncated) is bad input, found before writing.
                _ = try source.runs()
                sources.append(source)
            }
        } catch {
            throw ToolFailure.invalidInput("error: \(error.message)")
        }
        do {
            let store = try ResultsStore(path: output)
            for source in sources {
                let changed = try store.merge(source)
                print("\(source.path): \(changed) run\(changed == 1 ? "" : "s") added or replaced")
            }
            print("\(output): \(try store.runs().count) runs")
        } catch {
            // The output cannot be opened or written (read-only folder, disk full): exit 2 naming it.
            throw ToolFailure.invalidInput("error: \(error.message)")
        }
    }
}
