import Foundation

/// A named what-if: a base network and demand, the engines to run, and the edits that make
/// it differ from the base (docs/scenarios.md).
public struct Scenario: Sendable {
    /// The scenario's name: unique in a study, used in run keys and reports.
    public var name: String
    public var description: String
    /// The file as given on the command line (for messages and reports).
    public var file: String
    /// The file's location (relative paths inside it resolve against its folder).
    public var url: URL
    public var network: NetworkSource
    public var demand: DemandSource
    /// Which engines run, in order.
    public var engines: [Engine]
    public var days: Int
    public var seed: UInt64
    /// Settings of the `plan` engine; present when `engines` contains `.plan`.
    public var planning: PlanningSettings?
    /// USD per tonne CO2e added to route choice (simulate) and to the plan objective.
    public var carbonPriceUSDPerTonne: Double?
    /// USD per TEU-hour added to route choice (simulate) and to the plan objective.
    public var valueOfTimeUSDPerTEUHour: Double?
    public var edits: [ScenarioEdit]

    /// The base network of a scenario.
    public enum NetworkSource: Sendable, Hashable {
        /// `networks/chongqing/network.yaml` of the installation.
        case builtIn
        /// A network manifest.
        case manifest(URL)
    }

    /// The demand of the `simulate` engine.
    public enum DemandSource: Sendable, Hashable {
        /// The built-in table `networks/demand-YEAR.csv`.
        case year(Int)
        /// A demand table (docs/demand-format.md).
        case table(URL)
    }

    /// The engines a scenario can run.
    public enum Engine: String, CaseIterable, Sendable, Codable {
        /// A year of operations (`routeplanner simulate`).
        case simulate
        /// A batch plan of a shipment list (`routeplanner plan`).
        case plan
    }

    /// What the `plan` engine plans, and how.
    public struct PlanningSettings: Sendable, Hashable {
        /// The shipment list (docs/shipments-format.md).
        public var shipments: URL
        public var objective: Objective
        /// Whole departures with a fixed cost (a MIP).
        public var integer: Bool
    }
}

/// Selects services of the network: every given field must match (an empty selector
/// matches every service).
public struct ServiceSelector: Sendable, Hashable, CustomStringConvertible {
    /// Services from or to this place.
    public var place: PlaceCode?
    public var service: ServiceID?
    /// Services whose id contains this text.
    public var servicesMatching: String?
    public var corridor: Corridor?
    public var mode: TransportMode?

    public init(place: PlaceCode? = nil, service: ServiceID? = nil, servicesMatching: String? = nil,
                corridor: Corridor? = nil, mode: TransportMode? = nil) {
        self.place = place
        self.service = service
        self.servicesMatching = servicesMatching
        self.corridor = corridor
        self.mode = mode
    }

    /// Whether `candidate` is selected.
    public func matches(_ candidate: Service) -> Bool {
        if let place, candidate.from != place && candidate.to != place { return false }
        if let service, candidate.id != service { return false }
        if let servicesMatching, !candidate.id.rawValue.contains(servicesMatching) { return false }
        if let corridor, candidate.corridor != corridor { return false }
        if let mode, candidate.mode != mode { return false }
        return true
    }

    /// Only a place: the place itself is hit (its border or lock throughput too).
    public var isPlaceOnly: Bool { place != nil && service == nil && servicesMatching == nil && corridor == nil && mode == nil }

    public var description: String {
        var parts: [String] = []
        if let place { parts.append("place \(place.rawValue)") }
        if let service { parts.append("service \(service.rawValue)") }
        if let servicesMatching { parts.append("services matching '\(servicesMatching)'") }
        if let corridor { parts.append("corridor \(corridor.rawValue)") }
        if let mode { parts.append("mode \(mode.rawValue)") }
        return parts.isEmpty ? "every service" : parts.joined(separator: ", ")
    }
}

/// Selects demand lanes (and, for `plan`, shipments): every given field must match.
public struct DemandSelector: Sendable, Hashable {
    /// Lanes of this corridor (shipment lists carry no corridor: `plan` rejects this field).
    public var corridor: Corridor?
    public var cargo: CargoClass?
    public var origin: PlaceCode?
    public var destination: PlaceCode?

    public init(corridor: Corridor? = nil, cargo: CargoClass? = nil, origin: PlaceCode? = nil, destination: PlaceCode? = nil) {
        self.corridor = corridor
        self.cargo = cargo
        self.origin = origin
        self.destination = destination
    }

    /// Whether a demand lane is selected.
    public func matches(_ lane: DemandLane) -> Bool {
        (corridor == nil || lane.corridor == corridor) && (cargo == nil || lane.cargo == cargo)
            && (origin == nil || lane.origin == origin) && (destination == nil || lane.destination == destination)
    }

    /// Whether a shipment is selected (the corridor is not known for shipments).
    public func matches(_ shipment: Shipment) -> Bool {
        (cargo == nil || shipment.cargo == cargo) && (origin == nil || shipment.origin == origin)
            && (destination == nil || shipment.destination == destination)
    }
}

/// One change a scenario makes to the base network or demand.
public enum ScenarioEdit: Sendable {
    /// Services (or a place) at `capacityFactor` of their capacity from `fromDay` to `toDay`
    /// (0 closes them), with dwell at a place multiplied by `dwellFactor`.
    case restrict(name: String, ServiceSelector, fromDay: Double, toDay: Double, capacityFactor: Double, dwellFactor: Double)
    /// Services with capacity per departure, departures per week and price multiplied.
    case scale(ServiceSelector, capacity: Double, frequency: Double, price: Double)
    /// Demand multiplied by `factor` on the selected lanes or shipments.
    case growDemand(DemandSelector, factor: Double)
    /// Places and services added in the network format.
    case addServices(NetworkAddition)
    /// A disruption file (docs/disruptions.md), applied as it is.
    case disruptionFile(URL, shownAs: String)
    /// The hub's measurement parameters replaced where given (docs/targets.md): the minimum load
    /// factor and share of weeks of its air routes, the one-bill adoption share.
    case hub(HubParameters)
}

/// New values for the hub's measurement parameters; nil keeps the network's value.
public struct HubParameters: Sendable, Hashable {
    public var minimumLoadFactor: Double?
    public var minimumShareOfWeeks: Double?
    public var oneBillAdoptionShare: Double?
    /// Why these values: a URL or `estimate:`.
    public var source: String

    public init(minimumLoadFactor: Double? = nil, minimumShareOfWeeks: Double? = nil, oneBillAdoptionShare: Double? = nil,
                source: String) {
        self.minimumLoadFactor = minimumLoadFactor
        self.minimumShareOfWeeks = minimumShareOfWeeks
        self.oneBillAdoptionShare = oneBillAdoptionShare
        self.source = source
    }

    /// `hub` with these values in place of its own (a part the hub lacks stays absent).
    public func applied(to hub: Hub) -> Hub {
        var hub = hub
        if let value = minimumLoadFactor { hub.airRoutes?.minimumLoadFactor = value }
        if let value = minimumShareOfWeeks { hub.airRoutes?.minimumShareOfWeeks = value }
        if let value = oneBillAdoptionShare { hub.oneBill?.adoptionShare = value }
        return hub
    }
}
