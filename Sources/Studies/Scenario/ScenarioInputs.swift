import Foundation
import NetworkData
import Planning
import Simulation
import Routing
import Markup

/// What one run of a scenario feeds the engines: the edited network, demand and options.
public struct ScenarioInputs: Sendable {
    public var network: Network
    /// Demand lanes of `simulate` (empty when it does not run).
    public var lanes: [DemandLane]
    public var disruptions: [Disruption]
    public var simulation: SimulationOptions
    /// Shipments and options of `plan` (nil when it does not run).
    public var planning: (shipments: [Shipment], options: PlanOptions)?
}

/// Base networks loaded once per study and shared by its runs.
public final class NetworkCache: @unchecked Sendable {
    private let lock = NSLock()
    private var networks: [Scenario.NetworkSource: Result<Network, InvalidInput>] = [:]

    public init() {}

    /// The base network of `source`, loaded on first use.
    /// - Throws: ``InvalidInput`` when it cannot be loaded.
    public func network(_ source: Scenario.NetworkSource) throws(InvalidInput) -> Network {
        lock.lock()
        defer { lock.unlock() }
        if let cached = networks[source] { return try cached.get() }
        let result: Result<Network, InvalidInput>
        do { result = .success(try NetworkLoader.load(manifest: try Self.manifest(of: source))) } catch {
            result = .failure(error)
        }
        networks[source] = result
        return try result.get()
    }

    /// The manifest file of `source`.
    static func manifest(of source: Scenario.NetworkSource) throws(InvalidInput) -> URL {
        switch source {
        case .manifest(let url): return url
        case .builtIn:
            guard let url = BuiltInNetwork.manifestURL() else {
                throw InvalidInput(issues: [InputIssue(location: .init(file: BuiltInNetwork.relativePath, line: 1), field: "network",
                                                       message: "the built-in network was not found; give network: PATH")])
            }
            return url
        }
    }

    /// The built-in demand table of `year`, beside the built-in network.
    static func demandTable(year: Int) throws(InvalidInput) -> URL {
        try manifest(of: .builtIn).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("demand-\(year).csv")
    }
}

extension Scenario {
    /// The files this scenario reads (besides itself), for the run's inputs hash and a dry run's check.
    public func referencedFiles() -> [URL] {
        var files: [URL] = []
        if let manifest = try? NetworkCache.manifest(of: network) {
            let folder = manifest.deletingLastPathComponent()
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            files += names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0) }
        }
        if engines.contains(.simulate) {
            switch demand {
            case .year(let year): if let url = try? NetworkCache.demandTable(year: year) { files.append(url) }
            case .table(let url): files.append(url)
            }
        }
        if let planning { files.append(planning.shipments) }
        for edit in edits { if case .disruptionFile(let url, _) = edit { files.append(url) } }
        return files
    }

    /// Applies the edits and the grid values to the base network and demand.
    ///
    /// - Throws: ``InvalidInput`` when a referenced file (network, demand, shipments,
    ///   disruptions) or an added service is invalid.
    /// - Complexity: O(e · (s + l)) for e edits, s services and l demand lanes or shipments,
    ///   plus loading the files.
    public func inputs(grid: GridAssignment, networks: NetworkCache) throws(InvalidInput) -> ScenarioInputs {
        let additions = edits.compactMap { edit -> NetworkAddition? in
            if case .addServices(let addition) = edit { return addition }
            return nil
        }
        var network = additions.isEmpty
            ? try networks.network(self.network)
            : try NetworkLoader.load(manifest: try NetworkCache.manifest(of: self.network), additions: additions)

        // Permanent scaling of services.
        var services = network.services
        let capacityFactor = grid[.capacityFactor] ?? 1
        for index in services.indices {
            var capacity = capacityFactor, frequency = 1.0, price = 1.0
            for case .scale(let selector, let c, let f, let p) in edits where selector.matches(services[index]) {
                capacity *= c
                frequency *= f
                price *= p
            }
            services[index].capacityTEUPerDeparture = services[index].capacityTEUPerDeparture.map { $0 * capacity }
            services[index].capacityTonnesPerDeparture = services[index].capacityTonnesPerDeparture.map { $0 * capacity }
            services[index].reeferPlugsPerDeparture = services[index].reeferPlugsPerDeparture.map { $0 * capacity }
            services[index].departuresPerWeek *= frequency
            services[index].priceUSDPerTEU = services[index].priceUSDPerTEU.map { $0 * price }
            services[index].priceUSDPerKg = services[index].priceUSDPerKg.map { $0 * price }
        }
        // A scaled service must stay within the network's own limits (a frequency of 1e-300 made
        // a departure every 1e302 hours and trapped the simulator).
        let frequencies = NetworkLoader.Limits.departuresPerWeek
        let tooRare = services.filter { !frequencies.contains($0.departuresPerWeek) }
        if let first = tooRare.first {
            throw InvalidInput(issues: [InputIssue(location: .init(file: file, line: 1), field: "edits: scale",
                message: "\(tooRare.count) services scaled out of range, e.g. \(first.id) to \(first.departuresPerWeek) departures a week; expected \(frequencies.lowerBound) to \(frequencies.upperBound)")])
        }
        network.replaceServices(services)
        for case .hub(let parameters) in edits {
            network.hub = network.hub.map(parameters.applied(to:))
        }

        // Windows of closure or restriction.
        var disruptions: [Disruption] = []
        var issues: [InputIssue] = []
        for edit in edits {
            switch edit {
            case .restrict(let name, let selector, let from, let to, let factor, let dwell):
                if selector.isPlaceOnly, let place = selector.place {
                    disruptions.append(Disruption(name: name, target: .place(place), fromDay: from, toDay: to,
                                                  capacityFactor: factor, dwellFactor: dwell))
                } else {
                    for service in network.services where selector.matches(service) {
                        disruptions.append(Disruption(name: name, target: .service(service.id), fromDay: from, toDay: to,
                                                      capacityFactor: factor, dwellFactor: dwell))
                    }
                }
            case .disruptionFile(let url, let shown):
                do { disruptions += try Disruption.load(url, network: network, displayName: shown) } catch {
                    issues += error.issues
                }
            default:
                break
            }
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }

        let growth = edits.compactMap { edit -> (DemandSelector, Double)? in
            if case .growDemand(let selector, let factor) = edit { return (selector, factor) }
            return nil
        }
        let demandFactor = grid[.demandFactor] ?? 1
        var lanes: [DemandLane] = []
        if engines.contains(.simulate) {
            let table: URL
            let shown: String
            switch demand {
            case .year(let year):
                table = try NetworkCache.demandTable(year: year)
                shown = "networks/demand-\(year).csv"
            case .table(let url):
                table = url
                shown = url.path
            }
            lanes = try DemandTable.load(table, network: network, displayName: shown)
            for index in lanes.indices {
                let factor = growth.reduce(demandFactor) { $1.0.matches(lanes[index]) ? $0 * $1.1 : $0 }
                lanes[index].teuPerYear *= factor
            }
        }

        var simulation = SimulationOptions()
        simulation.days = grid[.days].map { Int($0) } ?? days
        simulation.seed = grid[.seed].map { UInt64($0) } ?? seed
        simulation.recordEvents = false
        simulation.carbonPriceUSDPerTonne = grid[.carbonPriceUSDPerTonne] ?? carbonPriceUSDPerTonne ?? 0
        simulation.valueOfTimeUSDPerTEUHour = grid[.valueOfTimeUSDPerTEUHour] ?? valueOfTimeUSDPerTEUHour ?? 0

        var planningInputs: ([Shipment], PlanOptions)?
        if engines.contains(.plan), let planning {
            var shipments = try ShipmentList.load(planning.shipments, network: network, displayName: planning.shipments.path)
            for index in shipments.indices {
                let factor = growth.reduce(demandFactor) { $1.0.matches(shipments[index]) ? $0 * $1.1 : $0 }
                shipments[index].teu *= factor
                shipments[index].tonnes *= factor
            }
            var options = PlanOptions()
            options.objective = planning.objective
            options.integer = planning.integer
            options.carbonPriceUSDPerTonne = grid[.carbonPriceUSDPerTonne] ?? carbonPriceUSDPerTonne
            options.valueOfTimeUSDPerTEUHour = grid[.valueOfTimeUSDPerTEUHour] ?? valueOfTimeUSDPerTEUHour
            options.disruptions = disruptions
            planningInputs = (shipments, options)
        }
        return ScenarioInputs(network: network, lanes: lanes, disruptions: disruptions, simulation: simulation,
                              planning: planningInputs)
    }
}
