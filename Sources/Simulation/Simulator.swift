import Routing
import Foundation
import NetworkData

/// Options of a simulation run.
public struct SimulationOptions: Sendable {
    /// Simulated days from 1 January.
    public var days = 365
    public var seed: UInt64 = 1
    /// Cheapest routes taken per mode family (rail, rail-sea, river-sea, air, …) into a lane's
    /// choice set; with several per family the rail family reaches other border crossings.
    public var alternativesPerFamily = 2
    /// Gateways (border crossings, ports) tried for rail and rail-sea routes in a lane's choice set.
    public var gatewaysPerFamily = 4
    /// Days simulated before 1 January, with the demand of the previous September to December,
    /// so the counted year starts with cargo in flight and the backlogs of the busiest lines
    /// formed (docs/simulation-model.md, *Time and the warm-up*).
    public var warmUpDays = 126
    /// The shippers' route choice: values of time, reliability, logit scale, corridor constants.
    public var choice = ChoiceParameters.calibrated
    /// Keep the event log (for --out and tests); off for benchmarks of the engine alone.
    public var recordEvents = true
    /// A train below its minimum load waits for more cargo, but never holds booked cargo longer
    /// than this before it runs anyway.
    public var maximumConsolidationHours = 96.0
    /// A shipment is on time when delivered within its planned door-to-door hours × this.
    public var onTimeSlack = 1.25
    /// USD per tonne CO2e added to every alternative's generalised cost (a carbon price).
    public var carbonPriceUSDPerTonne = 0.0
    /// USD per TEU-hour added to every segment's value of time (0: the segments' own values).
    public var valueOfTimeUSDPerTEUHour = 0.0
    public init() {}
}

/// One fact of the event log; names are past-tense events.
public struct SimulationEvent: Sendable, Codable, Hashable {
    /// What happened; the raw value is the `kind` key of the JSON Lines log.
    public enum Kind: String, Sendable, Codable {
        case shipmentArrived, departureRan, departureCancelled, vehicleArrived, queueEntered, queueLeft, shipmentDelivered
        /// A shipment whose departure was cancelled, or whose route ahead was cut, moved to another route.
        case shipmentRebooked
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

/// A discrete-event simulation of a year of corridor operations (DESIGN §7, docs/simulation-model.md):
/// timetabled departures with slot capacity, Poisson shipment arrivals from the demand table,
/// shippers choosing among the routes of every corridor by a logit on generalised cost (price,
/// value of time × expected door-to-door hours with current bookings and queues, reliability),
/// through bookings that check every leg, minimum loads and capacity cuts that cancel whole
/// departures (so the number of trains is an outcome) with their cargo re-booked,
/// capacity-limited border, gauge-change and lock queues with log-normal dwell, seasonal capacity
/// and transit, and a warm-up before the counted year. Time is in hours from 1 January 00:00; the
/// same inputs and seed give the same event log.
public struct Simulator: Sendable {
    public let network: Network
    public let lanes: [DemandLane]
    public let disruptions: [Disruption]
    public let options: SimulationOptions
    /// Candidate routes already searched on this network (set by runs that share it), or nil.
    var choiceSets: ChoiceSetCache?

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

    /// Runs the year under `monitor`: progress every few simulated days, and a cancel asked once
    /// per simulated day. The result is the one ``run()`` gives.
    /// - Throws: ``SimulationCancelled`` when the monitor cancels the run (no partial result).
    /// - Complexity: O(E log E) for E events, plus one call of the monitor per simulated day.
    public func run(monitor: SimulationMonitor) throws(SimulationCancelled) -> SimulationResult {
        var engine = SimulationEngine(simulator: self)
        return try engine.run(monitor: monitor)
    }
}
