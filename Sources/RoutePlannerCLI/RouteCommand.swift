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

    func validate() throws {
        if teu != nil && tonnes != nil { throw ValidationError("give --teu or --tonnes, not both") }
        if let teu, !(0.001...1_000_000).contains(teu.value) {
            throw ValidationError("--teu \(teu.text): expected a number from 0.001 to 1000000")
        }
        if let tonnes, !(0.01...10_000_000).contains(tonnes.value) {
            throw ValidationError("--tonnes \(tonnes.text): expected a number from 0.01 to 10000000")
        }
        if CargoClass(cargo) == nil {
            throw ValidationError("--cargo '\(cargo)': expected general, reefer, vehicles or dangerous:N with N from 1 to 9")
        }
        if let deadline, parseDuration(deadline) == nil {
            throw ValidationError("--deadline '\(deadline)': expected a positive duration with its unit, such as 20d, 36h or 2.5d")
        }
        if !(1...100).contains(alternatives) { throw ValidationError("--alternatives \(alternatives): expected 1 to 100") }
        if let month, !(1...12).contains(month) { throw ValidationError("--month \(month): expected 1 to 12") }
        if !(0...100_000).contains(valueOfTime.value) {
            throw ValidationError("--value-of-time \(valueOfTime.text): expected 0 to 100000 USD per TEU-hour")
        }
        if !(0...100_000).contains(carbonPrice.value) {
            throw ValidationError("--carbon-price \(carbonPrice.text): expected 0 to 100000 USD per tonne")
        }
        if let svg, svg.isEmpty { throw ValidationError("--svg: expected a file path") }
    }

    func run() throws {
        let network = try networkOption.load()
        let origin = try resolvePlace(from, in: network, flag: "--from")
        let destination = try resolvePlace(to, in: network, flag: "--to")
        let tonnesPerTEU = network.defaults.tonnesPerTEU
        let volumeTEU = teu?.value ?? tonnes.map { $0.value / tonnesPerTEU } ?? 1
        let query = RouteQuery(
            origin: origin.code, destination: destination.code, teu: volumeTEU, tonnes: tonnes?.value,
            tonnesPerTEU: tonnesPerTEU, cargo: CargoClass(cargo) ?? .general,
            deadlineHours: deadline.flatMap(parseDuration), objective: objective, alternatives: alternatives,
            valueOfTimeUSDPerTEUHour: valueOfTime.value, carbonPriceUSDPerTonne: carbonPrice.value, month: month)
        let router = Router(network: network, month: month)
        let outcome: RouteOutcome
        do {
            outcome = try router.routes(for: query)
        } catch {
            throw ToolFailure.invalidInput("error: \(error)")
        }
        var split: VolumeSplit?
        if case .found(let routes, _) = outcome, let best = routes.first {
            let bottleneck = best.bottleneckTEUPerDeparture.map { per == .week ? $0 * weeklyFactor(best) : $0 }
            if per == .week || (bottleneck.map { volumeTEU > $0 + 1e-9 } ?? false) {
                do {
                    split = try VolumeSplitter(router: router).split(query, period: per)
                } catch {
                    throw ToolFailure(message: "error: volume split failed: \(error)", exitCode: .internalError)
                }
            }
        }
        let report = RouteReport(network: network, origin: origin, destination: destination, query: query,
                                 outcome: outcome, split: split)
        if let svg {
            var routes: [MapRoute] = []
            if case .found(let found, _) = outcome {
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
        if case .found = outcome { return }
        throw ExitCode(ToolExit.noFeasibleRoute.rawValue)
    }

    private func weeklyFactor(_ route: Route) -> Double {
        route.legs.compactMap(\.departuresPerWeek).min() ?? 1
    }
}

extension Objective: ExpressibleByArgument {}
extension CapacityPeriod: ExpressibleByArgument {}

/// Parses `20d`, `36h` or `2.5d` into hours; a number without its unit is refused (days or hours?).
func parseDuration(_ text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
    let factor: Double
    if trimmed.hasSuffix("d") { factor = 24 } else if trimmed.hasSuffix("h") { factor = 1 } else { return nil }
    guard let value = DecimalText.number(String(trimmed.dropLast())), value > 0, value * factor <= 24 * 3650 else { return nil }
    return value * factor
}

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
