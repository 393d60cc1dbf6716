import ArgumentParser
import Foundation
import NetworkData
import Planning
import OneBill
import Reports

/// Writes one-bill documents (JSON + printable HTML) into a folder.
struct BillWriter {
    let folder: URL
    let network: Network
    var issueDate = CalendarDay(daysSinceEpoch: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))

    init(folder: URL, network: Network) {
        self.folder = folder
        self.network = network
    }

    func prepareFolder() throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ToolFailure.invalidInput("error: cannot create the folder '\(folder.path)': \(error.localizedDescription)")
        }
    }

    /// Writes `<reference>.json` and `<reference>.html`; returns the reference.
    @discardableResult
    func write(_ plan: ShipmentPlan, routeIndex: Int) throws -> String {
        let bill = try makeBill(plan, routeIndex: routeIndex, network: network, issueDate: issueDate)
        let reference = bill.transportDocumentReference
        let data: Data
        do { data = try ContractJSON.data(bill) } catch {
            throw ToolFailure(message: "error: cannot encode the document \(reference): \(error)", exitCode: .internalError)
        }
        try writeFile(data, to: folder.appendingPathComponent("\(reference).json"))
        try writeFile(Data(BillHTML.render(bill).utf8), to: folder.appendingPathComponent("\(reference).html"))
        return reference
    }
}

/// The through bill of a route part; a plan the builder cannot use is invalid input (exit 2).
func makeBill(_ plan: ShipmentPlan, routeIndex: Int, network: Network, issueDate: CalendarDay) throws -> ThroughBill {
    do {
        return try ThroughBill.make(shipment: plan, routeIndex: routeIndex, network: network, issueDate: issueDate)
    } catch {
        throw ToolFailure.invalidInput("error: cannot make the through bill: \(error)")
    }
}

/// `routeplanner bill SHIPMENT_ID --plan PLAN.json`: the through document of a saved plan.
struct BillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bill",
        abstract: "Write the one-bill through document(s) of a shipment from a saved plan (plan --save FILE).")

    @Argument(help: "The shipment id.") var shipment: String
    @Option(help: "A plan saved by `routeplanner plan --save FILE` (or its --format json output).") var plan: String
    @OptionGroup var networkOption: NetworkOption
    @Option(help: "Folder for the documents (JSON + HTML).") var out: String = "."
    @Option(help: "Print the JSON document instead of writing files: json.") var format: String?

    func run() throws {
        let network = try networkOption.load()
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: plan)) } catch {
            throw ToolFailure.invalidInput("error: cannot read the plan '\(plan)': \(error.localizedDescription)")
        }
        let saved: SavedPlan
        do { saved = try SavedPlan(data: data, network: network) } catch {
            let count = error.problems.count
            throw ToolFailure.invalidInput(
                error.description.split(separator: "\n").map { "\(plan): \($0)" }.joined(separator: "\n")
                + "\nerror: '\(plan)' is not a valid saved plan (\(count) problem\(count == 1 ? "" : "s"))")
        }
        guard let entry = saved.shipment(shipment) else {
            let ids = saved.shipments.map(\.shipment.id.rawValue)
            let close = ids.filter { editDistance($0, shipment) <= 2 }.prefix(5)
            throw ToolFailure.invalidInput("error: shipment '\(shipment)' is not in the plan '\(plan)'\(close.isEmpty ? "" : "; closest: \(close.joined(separator: ", "))")")
        }
        guard !entry.routes.isEmpty else {
            throw ToolFailure(message: "error: shipment '\(shipment)' is \(entry.status.rawValue) with no route (\(entry.reason ?? "")); no document to issue", exitCode: .noFeasibleRoute)
        }
        if format == "json" {
            for index in entry.routes.indices {
                try printJSON(makeBill(entry, routeIndex: index, network: network, issueDate: BillWriter(folder: URL(fileURLWithPath: out), network: network).issueDate))
            }
            return
        }
        let writer = BillWriter(folder: URL(fileURLWithPath: out), network: network)
        try writer.prepareFolder()
        for index in entry.routes.indices {
            let reference = try writer.write(entry, routeIndex: index)
            print(writer.folder.appendingPathComponent("\(reference).json").path)
            print(writer.folder.appendingPathComponent("\(reference).html").path)
        }
    }
}
