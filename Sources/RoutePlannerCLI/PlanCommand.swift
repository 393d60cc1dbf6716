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

/// `routeplanner plan SHIPMENTS.csv`: a batch over shared weekly capacities.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a batch of shipments over shared weekly service capacities (GLPK, column generation).",
        discussion: """
            SHIPMENTS.csv is documented in docs/shipments-format.md. Every shipment gets a status \
            (planned, partial, unmet) and, when not planned in full, the reason. Binding services \
            carry their capacity duals. --integer plans whole departures with a fixed cost each (a MIP). \
            --bills DIR writes one through document (JSON + printable HTML) per planned route.
            """
    )

    @Argument(help: "Shipment list (CSV).") var shipments: String
    @OptionGroup var networkOption: NetworkOption
    @Option(help: "What to minimise: cost, time, co2 or balanced.") var objective: Objective = .cost
    @Option(help: "Carbon price, USD per tonne CO2e, added to the objective (default 0; 100 for balanced).")
    var carbonPrice: Double?
    @Option(help: "Value of time, USD per TEU-hour, for balanced (default: 10 % a year of each shipment's value).")
    var valueOfTime: Double?
    @Flag(help: "Whole departures with a fixed cost each (a MIP in GLPK); reports departures per line and week.")
    var integer = false
    @Option(help: "With --integer: seconds of branch-and-cut after rounding the LP's departures up (0 keeps the rounding).")
    var mipSeconds: Double = 30
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(help: "Write one-bill documents (JSON + HTML) for every planned route into this folder.") var bills: String?
    @Option(help: "Also save the plan as JSON to this file (for `routeplanner bill`).") var save: String?

    func validate() throws {
        if let carbonPrice, !(carbonPrice.isFinite && carbonPrice >= 0 && carbonPrice <= 100_000) {
            throw ValidationError("--carbon-price \(carbonPrice): expected 0 to 100000 USD per tonne")
        }
        if !(mipSeconds.isFinite && mipSeconds >= 0 && mipSeconds <= 86_400) {
            throw ValidationError("--mip-seconds \(mipSeconds): expected 0 to 86400")
        }
        if let valueOfTime, !(valueOfTime.isFinite && valueOfTime >= 0 && valueOfTime <= 100_000) {
            throw ValidationError("--value-of-time \(valueOfTime): expected 0 to 100000 USD per TEU-hour")
        }
    }

    func run() throws {
        let network = try networkOption.load()
        let list: [Shipment]
        do {
            list = try ShipmentList.load(URL(fileURLWithPath: shipments), network: network, displayName: shipments)
        } catch {
            throw ToolFailure.invalidInput(error.description + "\nerror: the shipment list is invalid (\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"))")
        }
        var options = PlanOptions()
        options.objective = objective
        options.carbonPriceUSDPerTonne = carbonPrice
        options.valueOfTimeUSDPerTEUHour = valueOfTime
        options.integer = integer
        options.mipSeconds = mipSeconds
        let plan: Plan
        do {
            plan = try BatchPlanner(network: network).plan(list, options: options)
        } catch {
            throw ToolFailure(message: "error: planning failed: \(error)", exitCode: .internalError)
        }
        let writer = bills.map { BillWriter(folder: URL(fileURLWithPath: $0), network: network) }
        let report = PlanJSON(plan: plan, network: network) { id, index in
            writer != nil ? ThroughBill.reference(for: id, routeIndex: index) : nil
        }
        if let writer {
            try writer.prepareFolder()
            for entry in plan.shipments {
                for index in entry.routes.indices { try writer.write(entry, routeIndex: index) }
            }
        }
        if let save {
            try writeJSON(report, to: URL(fileURLWithPath: save))
        }
        switch format {
        case .json: try printJSON(report)
        case .table: print(report.table(), terminator: "")
        }
    }
}

/// Writes a value as JSON to a file atomically (never a half-written file).
func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
        try encoder.encode(value).write(to: url, options: .atomic)
    } catch {
        throw ToolFailure.invalidInput("error: cannot write '\(url.path)': \(error.localizedDescription)")
    }
}
