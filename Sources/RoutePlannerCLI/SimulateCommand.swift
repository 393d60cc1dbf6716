import ArgumentParser
import Foundation
import NetworkData
import MinCostFlow
import GLPKSolver
import Routing
import Planning
import Simulation
import OneBill
import Markup

/// `routeplanner simulate`: a year of operations against the plan targets.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a year of corridor operations and check the 2027 targets.",
        discussion: """
            Demand: networks/demand-YEAR.csv unless --demand is given (format: docs/demand-format.md). \
            Disruptions: docs/disruptions.md. The same inputs and --seed give the same event log.
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

    func validate() throws {
        if ![2025, 2027].contains(year) { throw ValidationError("--year \(year): expected 2025 or 2027") }
        if !(1...366).contains(days) { throw ValidationError("--days \(days): expected 1 to 366") }
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
        let result = Simulator(network: network, lanes: lanes, disruptions: disruptions, options: options).run()
        let report = SimulationReport(result: result, year: year, seed: seed, days: days,
                                      disruptions: disruptions.map(\.name))
        if let out { try report.write(to: URL(fileURLWithPath: out)) }
        switch format {
        case .json: try printJSON(report.json)
        case .table: print(report.table(), terminator: "")
        }
    }
}

/// Renders a simulation result.
struct SimulationReport {
    let result: SimulationResult
    let year: Int
    let seed: UInt64
    let days: Int
    let disruptions: [String]

    struct JSON: Encodable {
        var year: Int
        var seed: UInt64
        var days: Int
        var disruptions: [String]
        var targets: [TargetCheck]
        var kpis: [String: Double]
        var bottleneck: String
        var bottleneckDelayTEUHours: Double
        var bottlenecks: [[String: String]]
        var trainsPerWeek: [String: [Int]]
        var queues: [QueueStatistics]
        var costUSDPerTEU: [String: Double]
        var co2eKgPerTEU: [String: Double]
        var utilisation: [ServiceWeek]
    }

    var json: JSON {
        JSON(year: year, seed: seed, days: days, disruptions: disruptions, targets: result.targets,
             kpis: result.kpis.mapValues { (($0 * 1000).rounded()) / 1000 }, bottleneck: result.bottleneck,
             bottleneckDelayTEUHours: result.bottleneckDelayTEUHours.rounded(),
             bottlenecks: result.bottlenecks.map { ["name": $0.name, "delayTEUHours": String(Int($0.delayTEUHours.rounded()))] },
             trainsPerWeek: result.trainsPerWeek,
             queues: result.queues, costUSDPerTEU: result.costPerTEU, co2eKgPerTEU: result.co2PerTEU,
             utilisation: result.utilisation)
    }

    func table() -> String {
        var out = "Simulated \(days) days of the \(year) demand (seed \(seed))\(disruptions.isEmpty ? "" : ", disruptions: \(disruptions.joined(separator: "; "))")\n"
        out += String(format: "%d shipments, %d events\n\n", result.shipments, result.eventCount)
        out += "Targets:\n"
        let rows = result.targets.map { t in
            [t.name, format(t.value), (t.comparison == "atLeast" ? "≥ " : "≤ ") + format(t.target), t.met ? "met" : "NOT met", t.note ?? ""]
        }
        out += TextTable(header: ["target", "value", "target", "", "note"], rows: rows, rightAligned: [1, 2]).render(indent: "  ")
        out += "\nKey figures:\n"
        for key in result.kpis.keys.sorted() { out += "  \(key): \(format(result.kpis[key]!))\n" }
        out += "\nCost and CO2e per TEU delivered:\n"
        for corridor in result.costPerTEU.keys.sorted() {
            out += String(format: "  %@: %@ USD, %.0f kg CO2e\n", corridor, money(result.costPerTEU[corridor]!), result.co2PerTEU[corridor] ?? 0)
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

    func write(to folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var log = Data()
            for event in result.events {
                log.append(try encoder.encode(event))
                log.append(0x0A)
            }
            try log.write(to: folder.appendingPathComponent("events.jsonl"), options: .atomic)
            var csv = "kind,name,value,target,met\n"
            for t in result.targets { csv += "target,\(t.name),\(t.value),\(t.target),\(t.met)\n" }
            for key in result.kpis.keys.sorted() { csv += "kpi,\(key),\(result.kpis[key]!),,\n" }
            try Data(csv.utf8).write(to: folder.appendingPathComponent("kpis.csv"), options: .atomic)
            let trains = result.trainsPerWeek.keys.sorted().map { ($0, result.trainsPerWeek[$0]!.map(Double.init)) }
            try Data(SVGChart.lines(title: "China-Europe trains per week (Chengdu–Chongqing), by route", xLabel: "week",
                                    yLabel: "trains", series: trains).utf8)
                .write(to: folder.appendingPathComponent("trains-per-week.svg"), options: .atomic)
            var byService: [String: [Double]] = [:]
            let weeks = (days + 6) / 7
            for row in result.utilisation where row.capacityTEU > 0 {
                byService[row.service, default: Array(repeating: 0, count: weeks)][min(weeks - 1, row.week)] = row.teu / row.capacityTEU
            }
            let busiest = byService.sorted { ($0.value.reduce(0, +), $0.key) > ($1.value.reduce(0, +), $1.key) }.prefix(60)
            try Data(SVGChart.heatmap(title: "Utilisation per service and week (60 busiest services)",
                                      rows: busiest.map { ($0.key, $0.value) }, columnLabel: "week").utf8)
                .write(to: folder.appendingPathComponent("utilisation.svg"), options: .atomic)
            let queues = result.queues.filter { $0.maxQueueLength > 0 }.map { ($0.name, $0.dailyLength.map(Double.init)) }
            try Data(SVGChart.lines(title: "Border and lock queues (vehicles waiting, end of day)", xLabel: "day",
                                    yLabel: "vehicles", series: queues).utf8)
                .write(to: folder.appendingPathComponent("queues.svg"), options: .atomic)
        } catch let failure as ToolFailure { throw failure } catch {
            throw ToolFailure.invalidInput("error: cannot write into '\(folder.path)': \(error.localizedDescription)")
        }
    }
}
