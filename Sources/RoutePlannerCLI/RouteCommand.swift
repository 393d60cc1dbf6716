import ArgumentParser
import Foundation
import NetworkData
import Cartography
import MinCostFlow
import GLPKSolver
import Routing
import Planning
import Simulation
import OneBill
import Markup
import Reports

/// `routeplanner route`: the k best distinct routes for one shipment.
struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Find the best distinct routes for one shipment, with cost, days and CO2.",
        discussion: """
            Places are UN/LOCODEs, IATA codes, English or Chinese names or aliases ("Chongqing", \
            "重庆", "CKG", "CNCQI"). A city reaches each of its terminals by a first/last-mile road leg. \
            When the volume is more than one departure (or, with --per week, a week of departures) \
            of the best route can carry, GLPK solves the min-cost flow over service capacities and \
            the answer shows how the volume splits. Exit 3 when every candidate breaks the deadline \
            or the cargo restrictions; the reasons are printed.
            """
    )

    @OptionGroup var networkOption: NetworkOption
    @Option(help: "Origin place.") var from: String
    @Option(help: "Destination place.") var to: String
    @Option(help: "Volume in TEU (default 1; 0.001 to 1000000).") var teu: DecimalFlag?
    @Option(help: "Mass in tonnes (instead of --teu; converted with the network's tonnes per TEU; 0.01 to 10000000).") var tonnes: DecimalFlag?
    @Option(help: "Cargo class: general, reefer, vehicles or dangerous:CLASS (1–9).") var cargo: String = "general"
    @Option(help: "Latest door-to-door time, e.g. 20d or 36h.") var deadline: String?
    @Option(help: "What to minimise: cost, time, co2 or balanced.") var objective: Objective = .cost
    @Option(help: "How many distinct routes to return (1–100).") var alternatives: Int = 5
    @Option(help: "Capacity period for splitting volume: departure (one-off shipment) or week (a weekly flow).")
    var per: CapacityPeriod = .departure
    @Option(help: "Month of departure 1–12 (seasonal capacity and transit, e.g. Yangtze low water).") var month: Int?
    @Option(help: "Value of time for --objective balanced, USD per TEU per hour.") var valueOfTime = DecimalFlag(5)
    @Option(help: "Carbon price for --objective balanced, USD per tonne CO2e.") var carbonPrice = DecimalFlag(100)
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(help: "Also draw the alternatives on the network map into this SVG file (routeplanner network map).")
    var svg: String?

    /// The flags as the request the workspace's `GET /api/route` also answers (`Reports`).
    var request: RouteRequest {
        var request = RouteRequest(from: from, to: to)
        request.teu = teu.map { RouteRequest.Number(value: $0.value, text: $0.text) }
        request.tonnes = tonnes.map { RouteRequest.Number(value: $0.value, text: $0.text) }
        request.cargo = cargo
        request.deadline = deadline
        request.objective = objective
        request.alternatives = alternatives
        request.period = per
        request.month = month
        request.valueOfTime = RouteRequest.Number(value: valueOfTime.value, text: valueOfTime.text)
        request.carbonPrice = RouteRequest.Number(value: carbonPrice.value, text: carbonPrice.text)
        return request
    }

    func validate() throws {
        if let problem = request.problem(optionPrefix: "--") { throw ValidationError(problem) }
        if let svg, svg.isEmpty { throw ValidationError("--svg: expected a file path") }
    }

    func run() throws {
        let network = try networkOption.load()
        let router = Router(network: network, month: month)
        let result: RouteResult
        do {
            result = try request.solve(router: router, places: PlaceDirectory(network: network), optionPrefix: "--")
        } catch {
            switch error {
            case .invalidInput(let message): throw ToolFailure.invalidInput("error: \(message)")
            case .internalError(let message): throw ToolFailure(message: "error: \(message)", exitCode: .internalError)
            }
        }
        let report = RouteReport(network: network, origin: result.origin, destination: result.destination, query: result.query,
                                 outcome: result.outcome, split: result.split)
        if let svg {
            var routes: [MapRoute] = []
            if case .found(let found, _) = result.outcome {
                routes = found.enumerated().map { index, route in
                    MapRoute(label: "#\(index + 1)  \(money(route.costUSD)) USD  \(String(format: "%.1f", route.days)) days  \(route.modeSummary)",
                             legs: route.legs.map { MapRoute.Leg(from: $0.from, to: $0.to, mode: $0.mode) })
                }
            }
            let map = NetworkMap(network: network, land: try loadLand(), routes: routes)
            try writeFile(Data(map.svg().utf8), to: URL(fileURLWithPath: svg))
        }
        switch format {
        case .json: try printJSON(report.json())
        case .table: print(report.table(), terminator: "")
        }
        if case .found = result.outcome { return }
        throw ExitCode(ToolExit.noFeasibleRoute.rawValue)
    }
}

extension Objective: ExpressibleByArgument {}
extension CapacityPeriod: ExpressibleByArgument {}

/// A number flag written in decimal (`12`, `0.5`, `1e3`): hexadecimal, `inf` and `nan`, which
/// `Double` would take, are refused by the parser with the flag's name.
struct DecimalFlag: ExpressibleByArgument, Sendable {
    var value: Double
    var text: String
    init(_ value: Double) {
        self.value = value
        text = "\(value)"
    }
    init?(argument: String) {
        guard let value = DecimalText.number(argument) else { return nil }
        self.value = value
        text = argument
    }
    var defaultValueDescription: String { text }
}
