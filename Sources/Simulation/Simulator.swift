import Routing
import Foundation
import NetworkData

/// Options of a simulation run.
public struct SimulationOptions: Sendable {
    /// Simulated days from 1 January.
    public var days = 365
    public var seed: UInt64 = 1
    /// Alternative routes precomputed per lane (the rolling-horizon assignment picks among them).
    public var alternatives = 6
    /// Keep the event log (for --out and tests); off for benchmarks of the engine alone.
    public var recordEvents = true
    /// A train below its minimum load waits for more cargo, but never holds booked cargo longer
    /// than this before it runs anyway.
    public var maximumConsolidationHours = 96.0
    /// A shipment is on time when delivered within its planned door-to-door hours × this.
    public var onTimeSlack = 1.25
    /// The first leg's next free departure may be this far out before the next alternative is tried.
    public var maximumBookingDelayHours = 48.0
    /// USD per tonne CO2e added to the price when alternatives are ranked (0: by price alone).
    public var carbonPriceUSDPerTonne = 0.0
    /// USD per TEU-hour added to the price when alternatives are ranked (0: by price alone).
    public var valueOfTimeUSDPerTEUHour = 0.0
    public init() {}
}

/// One fact of the event log; names are past-tense events.
public struct SimulationEvent: Sendable, Codable, Hashable {
    /// What happened; the raw value is the `kind` key of the JSON Lines log.
    public enum Kind: String, Sendable, Codable {
        case shipmentArrived, departureRan, departureCancelled, vehicleArrived, queueEntered, queueLeft, shipmentDelivered
        /// No departure of the next leg's service had room within the booking horizon (5,000
        /// departures): the shipment leaves the network, counted in ``TEUBalance/strandedTEU``.
        case shipmentStranded
    }
    /// Hours since the start of the simulated year.
    public var hour: Double
    public var kind: Kind
    public var shipment: Int?
    public var service: String?
    public var departure: Int?
    public var place: String?
    public var teu: Double?
}

/// A discrete-event simulation of a year of corridor operations (DESIGN §7): timetabled
/// departures with slot capacity, Poisson shipment arrivals from the demand table, rolling-horizon
/// assignment to precomputed alternative routes, minimum train loads (so the number of trains is an
/// outcome), capacity-limited border, gauge-change and lock queues with log-normal dwell, seasonal
/// capacity and transit, and disruptions. Time is in hours from 1 January 00:00; the same inputs
/// and seed give the same event log.
public struct Simulator: Sendable {
    public let network: Network
    public let lanes: [DemandLane]
    public let disruptions: [Disruption]
    public let options: SimulationOptions

    public init(network: Network, lanes: [DemandLane], disruptions: [Disruption] = [], options: SimulationOptions = .init()) {
        self.network = network
        self.lanes = lanes
        self.disruptions = disruptions
        self.options = options
    }

    /// Runs the year.
    /// - Complexity: O(E log E) for E events (shipments × legs plus departures run).
    public func run() -> SimulationResult {
        var engine = SimulationEngine(simulator: self)
        return engine.run()
    }

    /// The modes a lane of `corridor` may use (road always, for feeders).
    static func modes(for corridor: Corridor) -> Set<TransportMode> {
        switch corridor {
        case .chinaEurope: [.rail, .road]
        case .landSea: [.rail, .road, .sea]
        case .yangtze: [.inlandWater, .road, .sea]
        case .air: [.air, .road]
        case .ocean: [.sea, .road, .rail, .inlandWater]
        case .domestic: Set(TransportMode.allCases)
        }
    }
}
