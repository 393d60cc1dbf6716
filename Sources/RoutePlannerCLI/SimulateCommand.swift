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
}
