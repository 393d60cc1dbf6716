import ArgumentParser
import Foundation
import NetworkData
import Planning
import OneBill
import Reports

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
    @Option(help: ArgumentHelp(
        "With --integer: seconds of branch-and-cut after rounding the LP's departures up: 0 keeps the rounding, else \(PlanCommand.mipSecondsText) (GLPK counts whole milliseconds).",
        valueName: "seconds"))
    var mipSeconds: Double = 30
    @Option(help: ArgumentHelp(
        "With --integer: stop branch-and-cut once (plan − bound) / plan is at most this fraction, 0 to 1 (default 0.05; 0 proves the optimum within --mip-seconds).",
        valueName: "fraction"))
    var mipGap: Double = PlanOptions().mipGap
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(help: "Write one-bill documents (JSON + HTML) for every planned route into this folder.") var bills: String?
    @Option(help: "Also save the plan as JSON to this file (for `routeplanner bill`).") var save: String?

    func validate() throws {
        if let bills, bills.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--bills '\(bills)': expected a folder name (an empty one would write into the current folder)")
        }
        if let save, save.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--save '\(save)': expected a file name")
        }
        if let problem = PlanRequest.problem(options, optionPrefix: "--") { throw ValidationError(problem) }
    }

    /// The flags as the options `POST /api/plans` of the workspace also checks (`Reports`).
    var options: PlanOptions {
        var options = PlanOptions()
        options.objective = objective
        options.carbonPriceUSDPerTonne = carbonPrice
        options.valueOfTimeUSDPerTEUHour = valueOfTime
        options.integer = integer
        options.mipSeconds = mipSeconds
        options.mipGap = mipGap
        return options
    }

    static let mipSecondsText = PlanRequest.mipSecondsText

    func run() throws {
        let network = try networkOption.load()
        let list: [Shipment]
        do {
            list = try ShipmentList.load(URL(fileURLWithPath: shipments), network: network, displayName: shipments)
        } catch {
            throw ToolFailure.invalidInput(error.description + "\nerror: the shipment list is invalid (\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"))")
        }
        let writer = bills.map { BillWriter(folder: URL(fileURLWithPath: $0), network: network) }
        let plan: Plan
        let report: PlanReport
        do {
            (plan, report) = try PlanRequest.plan(list, network: network, options: options) { id, index in
                writer != nil ? ThroughBill.reference(for: id, routeIndex: index) : nil
            }
        } catch {
            switch error {
            case .invalidInput(let message): throw ToolFailure.invalidInput("error: \(message)")
            case .internalError(let message): throw ToolFailure(message: "error: \(message)", exitCode: .internalError)
            }
        }
        let data: Data
        do { data = try ContractJSON.data(report) } catch {
            throw ToolFailure(message: "error: cannot encode the plan: \(error)", exitCode: .internalError)
        }
        if let writer {
            // The documents come from the plan as saved, so `bill --plan` rebuilds them byte for byte.
            let saved: SavedPlan
            do { saved = try SavedPlan(data: data, network: network) } catch {
                throw ToolFailure(message: "error: the plan fails its own check (a bug):\n\(error)", exitCode: .internalError)
            }
            try writer.prepareFolder()
            for entry in saved.shipments {
                for index in entry.routes.indices { try writer.write(entry, routeIndex: index) }
            }
        }
        if let save {
            try writeFile(data, to: URL(fileURLWithPath: save))
        }
        switch format {
        case .json: printJSON(data)
        case .table:
            print(report.table(), terminator: "")
            if let search = plan.integerSearch { print(Self.integerSummary(search), terminator: "") }
        }
    }
}

extension PlanCommand {
    /// The integer plan's trust in one block: objective, bound, gap, time to the first plan.
    static func integerSummary(_ search: IntegerPlanSearch) -> String {
        String(format: "\nWhole-departure plan: objective %@, bound %@, gap %.1f %% ((plan − bound) / plan); first plan after %.1f s, done after %.1f s (kept: %@)\n",
               money(search.planObjective), money(search.bound), 100 * search.gap, search.secondsToFirstPlan,
               search.seconds, search.foundBy)
    }
}

/// Writes an output file atomically, never replacing a device, FIFO or symbolic link
/// (``OutputFile``); a failure exits 2 naming the path.
func writeFile(_ data: Data, to url: URL) throws {
    do {
        try OutputFile.write(data, to: url.path)
    } catch {
        throw ToolFailure.invalidInput("error: cannot write '\(error.path)': \(error.reason)")
    }
}
