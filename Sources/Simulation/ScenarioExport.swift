import Routing
import Foundation
import NetworkData

extension Simulator {
    /// Describes, as JSON, exactly what ``run()`` simulates, so that another implementation (the
    /// SimPy peer in `bench/peers/`) can replay the same model: the timetable of every service
    /// (phase, headway, capacity, seasonal factors, minimum load, transit distribution), the places
    /// with a queue or a dwell, every demand lane with its planned alternative paths, the
    /// disruptions as they bind services and places, and the options.
    ///
    /// The values come from the engine's own setup (``SimulationEngine/init(simulator:)`` and
    /// `planPaths()`), not from a re-derivation, so they are what a run uses. Hours are engine
    /// hours, counted from the start of the warm-up (`options.warmUpHours` before 1 January
    /// 00:00); an hour's month is that of hour − warmUpHours on a non-leap calendar (the warm-up
    /// falls in the previous November and December). `countUntilHour` is in calendar hours.
    ///
    /// - Returns: UTF-8 JSON with sorted keys (schema: `ScenarioDescription` in this file).
    /// - Complexity: one path planning (K shortest paths per lane), as at the start of a run.
    public func exportScenario() -> Data {
        var engine = SimulationEngine(simulator: self)
        engine.planPaths()
        let description = ScenarioDescription(engine: engine)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Every number is finite (capacities, hours and rates are checked on load), so encoding
        // cannot fail.
        return (try? encoder.encode(description)) ?? Data()
    }
}

/// The JSON written by ``Simulator/exportScenario()``.
struct ScenarioDescription: Encodable {
    struct Options: Encodable {
        var days: Int
        var seed: UInt64
        /// The last hour at which arrivals are drawn and departures scheduled (days × 24).
        var endHour: Double
        /// Events after `endHour` still run (cargo in transit) until this hour; then the run stops.
        var drainUntilHour: Double
        /// Deliveries and China-Europe trains count only before this hour (whole weeks covering `days`).
        var countUntilHour: Double
        var maximumConsolidationHours: Double
        var onTimeSlack: Double
        var alternatives: Int
        /// Hours simulated before the counted year; the engine's hour 0 is its start.
        var warmUpHours: Double
        /// The route choice (docs/simulation-model.md).
        var valueOfTimeUSDPerTEUHour: [String: Double]
        var reliabilityRatio: Double
        var logitScale: Double
        var corridorConstantUSDPerTEU: [String: Double]
        var bookingHorizonDepartures: Double
        var minimumHorizonHours: Double
        var maximumHorizonHours: Double
        /// A through booking must find a crossing day with throughput left within this many days.
        var crossingHorizonDays: Double
        /// Share of a crossing's daily throughput that through bookings plan up to.
        var crossingPlanningUtilisation: Double
        /// A shipment whose routes with room all cost more than this many times waiting for another waits.
        var choiceSetCostRatio: Double
        /// Departures a line's run record remembers (its exponential weight is 1 / this).
        var runShareMemory: Double
        /// Days of the crossing ledger (engine day 0 on); a crossing planned after it is not recorded.
        var crossingLedgerDays: Int
    }

    struct Service: Encodable {
        var index: Int
        var id: String
        var from: String
        var to: String
        var mode: String
        var corridor: String
        /// Departure k leaves at phaseHours + k × headwayHours.
        var phaseHours: Double
        var headwayHours: Double
        var capacityTEUPerDeparture: Double
        /// Capacity and transit factors by month, January first.
        var seasonalCapacityFactor: [Double]
        var seasonalTransitFactor: [Double]
        /// A departure below this load is cancelled unless its cargo has waited the consolidation limit.
        var minimumLoadTEU: Double?
        /// Reefer TEU a departure can power (2 per plug); nil = no limit.
        var reeferTEUPerDeparture: Double?
        var transitMeanHours: Double
        var transitP90Hours: Double
        /// A run of this service counts as a China-Europe train (rail, China-Europe corridor,
        /// leaving or reaching a Chongqing/Chengdu hub place).
        var countsAsChinaEuropeTrain: Bool
        /// Indices into `disruptions` that bind this service's capacity.
        var disruptions: [Int]
    }

    struct Place: Encodable {
        var code: String
        /// Vehicles served per day by the single FIFO queue of a border, gauge-change or lock place;
        /// rail and inland-water arrivals here join the queue.
        var throughputUnitsPerDay: Double?
        /// TEU of a full unit (train); a vehicle with less holds the queue for its TEU share
        /// (at least 5 %) of 24 / unitsPerDay hours. Nil: every vehicle holds it a full slot.
        var throughputTEUPerUnit: Double?
        /// Share of the daily throughput through bookings plan up to here (the run's planning
        /// utilisation, or the share the place was observed to run at when higher).
        var plannedShare: Double?
        var dwellMeanHours: Double?
        var dwellP90Hours: Double?
        /// Expected background vehicles (not ours) a day at this queue in each month, January
        /// first; each takes a whole unit. Null without background traffic.
        var backgroundVehiclesPerDay: [Double]?
        /// Indices into `disruptions` that bind this place (queue capacity, dwell).
        var disruptions: [Int]
    }

    struct Path: Encodable {
        /// The route's legs, access legs included, in the one leg encoding of `route` and `plan`
        /// (``RouteLeg``; schema `schemas/route-leg.schema.json`). The fields below are the
        /// replay model derived from the service legs.
        var legs: [RouteLeg]
        /// Service indices, in order.
        var services: [Int]
        /// Place where each leg ends.
        var stops: [String]
        /// Fixed hours after each leg (handling, connection, gauge change) before the sampled dwell.
        var fixedTransferHours: [Double]
        var firstMileHours: Double
        var lastMileHours: Double
        var plannedHours: Double
        /// Planned offset of each leg's departure from the shipment's arrival.
        var legOffsetHours: [Double]
        var costUSDPerTEU: Double
        var co2eKgPerTEU: Double
        /// The corridor the route counts in (air, China-Europe, Land-Sea, Yangtze, ocean, domestic).
        var corridor: String
        /// √Σ(p90 − mean)² of the transits and dwells: the reliability term's hours.
        var spreadHours: Double
        /// Fixed hours plus mean dwell after each leg, for expected delivery times.
        var expectedTransferHours: [Double]
        /// The queue place each leg's vehicle joins on arrival, or null.
        var stopQueues: [String?]
        /// What the choice adds to the price whatever the time: carbon price × CO2e plus the
        /// corridor's constant.
        var fixedChoiceCostUSD: Double
    }

    struct Lane: Encodable {
        var index: Int
        var origin: String
        var destination: String
        var cargo: String
        var corridor: String
        var isTransit: Bool
        var teuPerYear: Double
        var shipmentTEU: Double
        /// Mean shipment arrivals per hour over the year (before the monthly factor).
        var arrivalsPerHour: Double
        /// Monthly factors (mean 1), January first; arrivals are thinned by factor ÷ max factor.
        var seasonality: [Double]
        /// The shipper segment, which sets the value of time (``ShipperSegment``).
        var segment: String
        /// USD per TEU-hour the lane's shippers value time at (the segment's, plus the run's extra value).
        var valueOfTimeUSDPerTEUHour: Double
        /// Cheapest first; empty when the lane has no route (it then draws no shipments).
        var paths: [Path]
    }

    struct Disruption: Encodable {
        var name: String
        var fromHour: Double
        var toHour: Double
        var capacityFactor: Double
        var dwellFactor: Double
    }

    var format = "routeplanner-simulation-scenario/1"
    var options: Options
    var services: [Service]
    var places: [Place]
    var lanes: [Lane]
    var disruptions: [Disruption]
    var hubPlaces: [String]

    init(engine: SimulationEngine) {
        let simulator = engine.simulator
        let options = simulator.options
        let weeks = (options.days + 6) / 7
        self.options = Options(days: options.days, seed: options.seed, endHour: engine.endHour,
                               // The engine's run loop stops at the first event after endHour + 120 days.
                               drainUntilHour: engine.drainEndHour,
                               countUntilHour: Double(weeks) * 168,
                               maximumConsolidationHours: options.maximumConsolidationHours,
                               onTimeSlack: options.onTimeSlack, alternatives: options.alternativesPerFamily,
                               warmUpHours: engine.warmUpHours,
                               valueOfTimeUSDPerTEUHour: Dictionary(uniqueKeysWithValues: options.choice.valueOfTimeUSDPerTEUHour.map { ($0.rawValue, $1) }),
                               reliabilityRatio: options.choice.reliabilityRatio, logitScale: options.choice.scale,
                               corridorConstantUSDPerTEU: Dictionary(uniqueKeysWithValues: options.choice.corridorConstantUSDPerTEU.map { ($0.rawValue, $1) }),
                               bookingHorizonDepartures: options.choice.bookingHorizonDepartures,
                               minimumHorizonHours: options.choice.minimumHorizonHours,
                               maximumHorizonHours: options.choice.maximumHorizonHours,
                               crossingHorizonDays: options.choice.crossingHorizonDays,
                               crossingPlanningUtilisation: options.choice.crossingPlanningUtilisation,
                               choiceSetCostRatio: options.choice.choiceSetCostRatio,
                               runShareMemory: SimulationEngine.runShareMemory,
                               crossingLedgerDays: engine.slotLedger.first?.count ?? 0)
        let hubs = engine.collector.hubs
        let disruptionIndex = Dictionary(simulator.disruptions.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        services = engine.services.enumerated().map { i, state in
            let service = state.service
            return Service(
                index: i, id: service.id.rawValue, from: service.from.rawValue, to: service.to.rawValue,
                mode: service.mode.rawValue, corridor: service.corridor.rawValue, phaseHours: state.phase,
                headwayHours: state.headway, capacityTEUPerDeparture: state.capacityTEU,
                seasonalCapacityFactor: state.seasonalCapacity, seasonalTransitFactor: state.seasonalTransit,
                minimumLoadTEU: service.minimumLoadTEU, reeferTEUPerDeparture: state.reeferTEUPerDeparture,
                transitMeanHours: service.transit.meanHours,
                transitP90Hours: service.transit.p90Hours,
                countsAsChinaEuropeTrain: service.corridor == .chinaEurope && service.mode == .rail
                    && (hubs.contains(service.from) || hubs.contains(service.to)),
                disruptions: state.disruptions.compactMap { disruptionIndex[$0] })
        }
        places = simulator.network.places.compactMap { place in
            let queued = engine.queueIndex[place.code] != nil
            guard queued || place.dwell != nil else { return nil }
            return Place(code: place.code.rawValue, throughputUnitsPerDay: queued ? place.throughput?.unitsPerDay : nil,
                         throughputTEUPerUnit: queued ? place.throughput?.teuPerUnit : nil,
                         plannedShare: engine.queueIndex[place.code].map { engine.queues[$0].plannedShare },
                         dwellMeanHours: place.dwell?.meanHours, dwellP90Hours: place.dwell?.p90Hours,
                         backgroundVehiclesPerDay: queued ? place.backgroundTraffic.map { b in b.byMonth.map { b.vehiclesPerDay * $0 } } : nil,
                         disruptions: simulator.disruptions.enumerated().compactMap { i, d in
                             if case .place(let code) = d.target, code == place.code { return i }
                             return nil
                         })
        }
        lanes = simulator.lanes.enumerated().map { l, lane in
            Lane(index: l, origin: lane.origin.rawValue, destination: lane.destination.rawValue,
                 cargo: lane.cargo.description, corridor: lane.corridor.rawValue, isTransit: lane.isTransit,
                 teuPerYear: lane.teuPerYear, shipmentTEU: lane.shipmentTEU,
                 arrivalsPerHour: lane.shipmentTEU > 0 ? lane.teuPerYear / lane.shipmentTEU / 8760 : 0,
                 seasonality: lane.seasonality,
                 segment: engine.segments[l].rawValue, valueOfTimeUSDPerTEUHour: engine.valueOfTime[l],
                 paths: engine.paths[l].map { engine.routes[$0] }.map { path in
                     Path(legs: path.legs, services: path.services, stops: path.stops.map(\.rawValue),
                          fixedTransferHours: path.fixedTransferHours, firstMileHours: path.firstMileHours,
                          lastMileHours: path.lastMileHours, plannedHours: path.plannedHours,
                          legOffsetHours: path.legOffsets, costUSDPerTEU: path.costUSDPerTEU,
                          co2eKgPerTEU: path.co2eKgPerTEU, corridor: path.corridor.rawValue,
                          spreadHours: path.spreadHours, expectedTransferHours: path.expectedTransferHours,
                          stopQueues: path.stopQueue.map { $0.map { engine.queues[$0].place.code.rawValue } },
                          fixedChoiceCostUSD: path.fixedChoiceCostUSD)
                 })
        }
        disruptions = simulator.disruptions.map {
            Disruption(name: $0.name, fromHour: $0.fromDay * 24, toHour: $0.toDay * 24, capacityFactor: $0.capacityFactor,
                       dwellFactor: $0.dwellFactor)
        }
        hubPlaces = hubs.map(\.rawValue).sorted()
    }
}
