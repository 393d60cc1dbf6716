import Routing
import Foundation
import NetworkData

/// One alternative route (a class: the choice reads it for every shipment, and a reference is
/// one retain where a struct of arrays is many), reduced to what the simulator moves: service legs and the fixed
/// hours around them, with what a shipper weighs when choosing it.
final class PlannedPath {
    /// Service indices in order.
    let services: [Int]
    /// Places where each service leg ends.
    let stops: [PlaceCode]
    /// Fixed hours after each leg before the next (handling, connection, gauge change), without
    /// the place's dwell distribution, which is sampled.
    let fixedTransferHours: [Double]
    /// Fixed hours plus the mean dwell after each leg: what a shipper expects there, before queues.
    let expectedTransferHours: [Double]
    /// The queue (border, gauge-change station, lock) a vehicle of each leg joins on arrival, if any.
    let stopQueue: [Int?]
    let firstMileHours: Double
    let lastMileHours: Double
    /// Planned door-to-door hours (means, average waits for departures).
    let plannedHours: Double
    /// Offset of each leg's departure from the shipment's arrival, by the plan.
    let legOffsets: [Double]
    let costUSDPerTEU: Double
    let co2eKgPerTEU: Double
    /// Every leg of the route, access legs included (for the scenario export).
    let legs: [RouteLeg]
    let modeCount: Int
    let passes: Set<PlaceCode>
    /// The corridor the route counts in (see ``SimulationEngine/corridor(of:)``).
    let corridor: Corridor
    /// Spread of door-to-door hours: √Σ(p90 − mean)² over the transits and dwells.
    let spreadHours: Double
    /// What the choice adds to the price whatever the time: the carbon price on its CO2e and
    /// its corridor's constant (``ChoiceParameters/corridorConstantUSDPerTEU``).
    let fixedChoiceCostUSD: Double

    init(services: [Int], stops: [PlaceCode], fixedTransferHours: [Double], expectedTransferHours: [Double],
         stopQueue: [Int?], firstMileHours: Double, lastMileHours: Double, plannedHours: Double, legOffsets: [Double],
         costUSDPerTEU: Double, co2eKgPerTEU: Double, legs: [RouteLeg], modeCount: Int, passes: Set<PlaceCode>,
         corridor: Corridor, spreadHours: Double, fixedChoiceCostUSD: Double) {
        self.services = services
        self.stops = stops
        self.fixedTransferHours = fixedTransferHours
        self.expectedTransferHours = expectedTransferHours
        self.stopQueue = stopQueue
        self.firstMileHours = firstMileHours
        self.lastMileHours = lastMileHours
        self.plannedHours = plannedHours
        self.legOffsets = legOffsets
        self.costUSDPerTEU = costUSDPerTEU
        self.co2eKgPerTEU = co2eKgPerTEU
        self.legs = legs
        self.modeCount = modeCount
        self.passes = passes
        self.corridor = corridor
        self.spreadHours = spreadHours
        self.fixedChoiceCostUSD = fixedChoiceCostUSD
    }
}

struct SimulationEngine {
    /// The run's inputs behind one reference: a mutating method that calls a non-mutating one
    /// copies the engine bitwise, so the engine keeps large values out of line.
    final class Inputs: Sendable {
        let simulator: Simulator
        init(_ simulator: Simulator) { self.simulator = simulator }
    }
    let inputs: Inputs
    // `_read`: the callers borrow the inputs where they are, no copy of a whole network per use.
    var simulator: Simulator { _read { yield inputs.simulator } }
    var network: Network { _read { yield inputs.simulator.network } }
    var options: SimulationOptions { _read { yield inputs.simulator.options } }
    /// Hours simulated before 1 January so the year starts with cargo in flight (``SimulationOptions/warmUpDays``).
    let warmUpHours: Double
    /// The engine's clock runs from the start of the warm-up; the counted year ends here.
    let endHour: Double
    /// After the counted days no shipment arrives, but the cargo in flight moves on for 120
    /// days (the drain); the run stops at the first event after this hour.
    var drainEndHour: Double { endHour + 24 * 120 }

    /// What the engine schedules, each named as the fact it is when taken from the queue.
    enum Event: ScheduledEvent {
        /// A shipment of lane `lane` appeared at its origin (a demand arrival).
        case shipmentArrived(lane: Int)
        /// Departure `index` of service `service` reached its timetabled hour: it runs, or is
        /// cancelled (below its minimum load, or by a capacity cut announced after booking).
        case departureHourReached(service: Int, index: Int)
        /// The vehicle of departure `index` reached the service's end. It carries its departure's
        /// `carried` list (no array in the event, so the queue moves plain values without
        /// reference counting).
        case vehicleArrived(service: Int, index: Int)
        /// The queue `queue` (a border, gauge-change station or lock) finished serving its first vehicle.
        case queueVehicleCleared(queue: Int)
        /// A vehicle of the place's background traffic (not ours, no cargo of ours) joined queue `queue`.
        case backgroundVehicleArrived(queue: Int)
        /// A shipment finished handling and dwell after a leg and is ready to book its next leg.
        case shipmentReleased(shipment: Int)
        /// A block train (`blocks[block]`) finished its dwell at a place that does not re-form
        /// trains and is ready to continue, whole, on one departure of its next service.
        case blockReleased(block: Int)
        /// A shipment reached its destination, after the last mile.
        case shipmentDelivered(shipment: Int)
        /// A week of the counted year began (or the year ended): the backlog is measured.
        case weekBegan(week: Int)

        /// The rank of this event among events at the same hour.
        var priority: EventPriority {
            switch self {
            case .queueVehicleCleared: .clearQueue
            case .vehicleArrived, .shipmentDelivered, .backgroundVehicleArrived: .endLeg
            case .departureHourReached: .runDeparture
            case .shipmentReleased, .blockReleased: .bookNextLeg
            case .weekBegan: .measure
            case .shipmentArrived: .admitShipment
            }
        }
    }

    /// How events at the same hour are ordered, first to last. The raw values are the ranks the
    /// event queue compares.
    enum EventPriority: Int, Comparable, Sendable {
        /// A queue frees its slot before vehicles arriving at the same hour join it.
        case clearQueue = 0
        /// Vehicles unload and shipments are delivered before anything departs at that hour.
        case endLeg = 1
        /// Departures run (or are cancelled) before cargo released at that hour books.
        case runDeparture = 2
        /// Cargo ready for its next leg books before new shipments at that hour.
        case bookNextLeg = 3
        /// The backlog is measured once the cargo moving at that hour has booked.
        case measure = 4
        /// New demand is admitted last, once the cargo already moving has booked.
        case admitShipment = 5

        static func < (a: EventPriority, b: EventPriority) -> Bool { a.rawValue < b.rawValue }
    }

    struct ServiceState {
        var service: Service
        var phase: Double
        var headway: Double
        var capacityTEU: Double
        var disruptions: [Disruption]
        /// Capacity and transit factors by month (January first).
        var seasonalCapacity: [Double]
        var seasonalTransit: [Double]
        /// Departure k's bookings at index k (nil: none), grown on demand; an array, not a
        /// dictionary, because `book` and `hourWhenBooked` probe it for every departure they scan.
        var departures: [DepartureState?] = []
        /// Departure k's load at index k, grown with `departures`.
        var loads: [DepartureLoad] = []
        /// Mean transit hours (read in every expected-time estimate).
        var transitMeanHours: Double
        /// The least TEU a departure runs with (0: none), read in every expected-time estimate. A
        /// train formed on a rail service into a place that does not re-form trains runs on through
        /// it, so it needs the largest minimum load of the rail services leaving there too.
        var minimumLoadTEU = 0.0
        /// A rail service whose trains pass its end whole (the place does not re-form trains): cargo
        /// going on by rail stays in its train (``SimulationEngine/unload(_:train:at:dwell:hour:)``).
        var keepsTrainAtEnd = false
        /// A rail service leaving a place that does not re-form trains: its departures carry the
        /// block trains arriving there, one train a departure.
        var continuesBlock = false
        /// Reefer TEU one departure can power: 2 TEU per plug (a plug per 40-ft reefer); nil = no limit.
        var reeferTEUPerDeparture: Double?
        /// Dwell distribution at `service.to` (looked up once, not per shipment).
        var arrivalDwell: Dwell?
        /// No departure before this index has room (they only fill up), so bookings start here.
        var firstOpen = 0
        var ran = 0
        var cancelled = 0
        /// Share of its recent departures with cargo that ran rather than being cancelled below the
        /// minimum load (exponentially weighted over about ``SimulationEngine/runShareMemory``
        /// departures): what a shipper booking a departure below its minimum expects of it.
        var runShare = 1.0
        var delayTEUHours = 0.0
        /// TEU booked on departures that have not run: the cargo waiting for this service.
        var waitingTEU = 0.0
    }

    /// The fixed figures of a service that the booking scans and the expected-time estimates read
    /// for every departure they look at, packed together (a ``ServiceState`` spans several cache
    /// lines). Copied from the service's state when the engine starts; they never change.
    struct ServiceTimes {
        var phase: Double
        var headway: Double
        var capacityTEU: Double
        var transitMeanHours: Double
        var minimumLoadTEU: Double
        /// ``bookingHorizonHours(_:)``.
        var horizonHours: Double
        var reeferTEUPerDeparture: Double?
        /// Whether any disruption hits the service (only then does a departure's capacity depend on `now`).
        var disrupted: Bool
    }

    /// What departure k of a service has taken: plain numbers, kept apart from the shipment
    /// lists so the booking scans read them without reference counting.
    struct DepartureLoad {
        var booked = 0.0
        /// TEU held for shipments booked through from an earlier leg, who book for real when
        /// they are ready here (or give the room back when they miss it or change route).
        var held = 0.0
        /// Reefer TEU booked (each 2 TEU of reefer cargo takes one plug).
        var reefer = 0.0
        /// When its first cargo was booked (a train below its minimum load waits at most the
        /// consolidation limit from then); infinity while empty.
        var firstBooking = Double.infinity
        /// It carries one block train, whole: no other cargo boards, and it runs whatever its load.
        var sealed = false
        /// On a service whose trains pass their end whole: the services its cargo rides on in the
        /// same train beyond (``SimulationEngine/trainRun(of:)``); only cargo of the same run boards.
        var run = 0
        /// On a service that continues block trains: the train its held room is planned for
        /// (``SimulationEngine/trainKey(_:_:)`` of the departure before), −1 while nothing is held.
        /// A train takes a whole departure, so other trains' shipments cannot plan on it.
        var holdingTrain = -1
    }

    struct DepartureState {
        var shipments: [Int] = []
        var scheduled = false
        /// Set when the departure runs; from then on its cargo is `carried`.
        var hasRun = false
        var firstBookingHour = Double.infinity
        /// The shipments aboard, fixed when the departure runs.
        var carried: [Int] = []
        /// The train it is: the block train it continues (set when sealed), else a new train
        /// numbered when it runs; -1 until then.
        var train = -1
    }

    /// A block train's cargo bound for one next service, between its arrival at a place that does
    /// not re-form trains and its departure from there.
    struct Block {
        var shipments: [Int]
        /// The service it continues on.
        var service: Int
        /// The train it continues (-1: a part split off, a new train).
        var train: Int
    }

    struct ShipmentState {
        var lane: Int
        var teu: Double
        var arrivalHour: Double
        /// The route it moves on now (an index into `routes`); a re-booking may change it.
        var path: Int
        /// The route it chose on arrival: its corridor, price and CO2e are what it is counted by.
        var choice: Int
        var leg = 0
        var dueHour: Double
        var delivered = false
        /// No departure could be booked for the next leg (see ``SimulationEngine/strand(_:waitingFor:at:)``).
        var stranded = false
        /// Its first leg has departed: it is counted in its corridor's volume.
        var departed = false
        var rebookings = 0
        /// The departure held on each leg of its route by its through booking (-1: none).
        var heldDepartures: [Int] = []
        /// The crossing days its through booking planned (queue, engine day), until it crosses.
        var crossingPlans: [(queue: Int, day: Int)] = []
    }

    struct QueueState {
        var place: Place
        /// Vehicles in line; `background` ones carry none of our cargo and are left out of `waits`.
        /// `train` is the train a vehicle of ours is (-1 for background).
        var waiting: [(arrival: Double, teu: Double, shipments: [Int], background: Bool, train: Int)] = []
        var busyUntil = 0.0
        var serving = false
        var disruptions: [Disruption]
        /// Its own stream for background arrivals, from the run's seed and the queue's index, so
        /// adding background traffic does not shift the draws of our demand, transits and dwells.
        var backgroundRandom: SplitMix64
        var backgroundVehicles = 0
        /// Expected background vehicles a day in each month (January first); zeros without background traffic.
        var backgroundPerDay: [Double] = Array(repeating: 0, count: 12)
        /// Throughput units a day and TEU a unit (0: no TEU rate), read in every crossing estimate.
        var unitsPerDay = 0.0
        var teuPerUnit = 0.0
        /// Share of `unitsPerDay` through bookings plan crossing days up to: the run's planning
        /// utilisation, or the share the place was observed to run at when higher.
        var plannedShare = 0.0
        /// Throughput units of the vehicles in line (kept as they join and leave).
        var waitingUnits = 0.0
        // statistics
        var waits: [Double] = []
        var lengthSamples: [(hour: Double, length: Int)] = []
        var areaUnderLength = 0.0
        var lastChange = 0.0
        var maxLength = 0
        var delayTEUHours = 0.0
    }

    var queue = EventQueue<Event>()
    var random: SplitMix64
    var services: [ServiceState] = []
    var serviceIndex: [ServiceID: Int] = [:]
    /// Each service's ``ServiceTimes``, and its capacity and transit factors by month at `12 s + month − 1`.
    var times: [ServiceTimes] = []
    var seasonalCapacityByMonth: [Double] = []
    var seasonalTransitByMonth: [Double] = []
    /// Departure k of service s, for k < `departureStart[s + 1] − departureStart[s]` (the run,
    /// its drain and two months beyond): its capacity before disruptions (TEU × the month's
    /// factor) and its expected transit hours (mean × the month's factor), at `departureStart[s] + k`;
    /// computed once, as the scans would compute them for every departure they look at.
    var departureBaseCapacity: [Double] = []
    var departureExpectedTransit: [Double] = []
    var departureStart: [Int] = []
    /// Every route the run knows: the lanes' alternatives, then detours found while re-booking.
    var routes: [PlannedPath] = []
    /// Each lane's alternatives (indices into `routes`), cheapest first.
    var paths: [[Int]] = []
    /// The routes' service legs in flat tables, for the expected-time estimates that run for
    /// every alternative of every shipment: route r's legs are `legStart[r] ..< legStart[r + 1]`.
    var legStart: [Int] = [0]
    var legService: [Int] = []
    /// Queue index at each leg's end, or -1.
    var legQueue: [Int] = []
    var legExpectedTransferHours: [Double] = []
    var routeLastMileHours: [Double] = []
    /// Detours from a place to a destination for a cargo class, found when cargo is re-booked mid-route.
    var detours: [String: [Int]] = [:]
    /// The router (with its graph, large), in a one-element array so it stays out of the engine's inline size.
    var router: [Router] = []
    var segments: [ShipperSegment] = []
    /// Whether each lane carries reefer cargo (read for every booking).
    var reeferLanes: [Bool] = []
    /// The choice parameters, stored (not read through `options` on every estimate).
    let choice: ChoiceParameters
    /// ``SimulationOptions/maximumConsolidationHours``, stored for the same reason.
    let consolidationHours: Double
    /// Each lane's value of time, USD per TEU-hour (its segment's, plus the run's extra value).
    var valueOfTime: [Double] = []
    var shipments: [ShipmentState] = []
    /// Block trains waiting at places that do not re-form trains (``Event/blockReleased(block:)``).
    var blocks: [Block] = []
    /// The number the next train that runs gets (trains keep it across places that do not re-form them).
    var nextTrain = 0
    /// For tests: every departure run, with the train it is and its cargo (kept only when set).
    var recordsTrains = false
    var trainsRun: [(service: Int, departure: Int, train: Int, hour: Double, shipments: [Int])] = []
    var queues: [QueueState] = []
    var queueIndex: [PlaceCode: Int] = [:]
    /// Throughput units of each queue planned by through bookings, by engine day (``plannedUnits(_:day:)``).
    var slotLedger: [[Double]] = []
    /// The router's expected wait for a shared slot at each place with background traffic
    /// (``SharedQueue``); the queue simulates it, so paths do not add it as fixed time.
    var expectedQueueWait: [PlaceCode: Double] = [:]
    var log: [SimulationEvent] = []
    /// Buffers ``choose(_:among:at:byLogit:)`` reuses for every shipment (empty between calls).
    var choiceCosts: [Double?] = [], choiceDeliveries: [Double?] = [], choiceWeights: [Double] = []
    /// For each alternative without room within its horizon, its delivery with the whole wait (nil: none at all).
    var choiceWaitingDeliveries: [Double?] = []
    var collector: SimulationCollector
    /// The event taken when the run stopped past its horizon, never handled (its cargo is still in flight).
    var unhandledEvent: Event?

    init(simulator: Simulator) {
        inputs = Inputs(simulator)
        warmUpHours = Double(simulator.options.warmUpDays) * 24
        endHour = warmUpHours + Double(simulator.options.days) * 24
        random = SplitMix64(seed: simulator.options.seed)
        collector = SimulationCollector(network: simulator.network, weeks: (simulator.options.days + 6) / 7)
        let tonnesPerTEU = simulator.network.defaults.tonnesPerTEU
        for (i, service) in simulator.network.services.enumerated() {
            // The timetable's phase is a property of the service, not of the seed.
            var phaseRandom = SplitMix64(seed: UInt64(i) &* 0x9E37_79B9 &+ 17)
            let headway = service.headwayHours
            // Departures carry cargo of every density: tonnes convert at the network's average.
            // A service without a declared limit (built in code only) is unlimited.
            let capacity = service.capacity
            services.append(ServiceState(
                service: service, phase: phaseRandom.unit() * headway, headway: headway,
                capacityTEU: capacity.teuPerDeparture(tonnesPerTEU: tonnesPerTEU) ?? .infinity,
                disruptions: simulator.disruptions.filter { $0.hits(service) },
                seasonalCapacity: (1...12).map { capacity.seasonalFactor(month: $0) },
                seasonalTransit: (1...12).map { service.adjustment(inMonth: $0)?.transitFactor ?? 1 },
                transitMeanHours: service.transit.meanHours,
                reeferTEUPerDeparture: capacity.reeferTEUPerDeparture,
                arrivalDwell: simulator.network.place(service.to)?.dwell))
            services[i].minimumLoadTEU = service.minimumLoadTEU ?? 0
            serviceIndex[service.id] = i
        }
        for place in simulator.network.places where place.throughput != nil {
            let q = queues.count
            queueIndex[place.code] = q
            queues.append(QueueState(place: place, disruptions: simulator.disruptions.filter {
                if case .place(let code) = $0.target { return code == place.code }
                return false
            }, backgroundRandom: SplitMix64(seed: simulator.options.seed ^ (UInt64(q + 1) &* 0xD1B5_4A32_D192_ED03))))
            if let background = place.backgroundTraffic {
                expectedQueueWait[place.code] = SharedQueue.expectedWaitHours(at: place)
                queues[q].backgroundPerDay = background.byMonth.map { background.vehiclesPerDay * $0 }
            }
            queues[q].unitsPerDay = place.throughput?.unitsPerDay ?? 0
            queues[q].teuPerUnit = place.throughput?.teuPerUnit ?? 0
            queues[q].plannedShare = max(simulator.options.choice.crossingPlanningUtilisation,
                                         min(1, place.throughput?.observedShare ?? 0))
        }
        segments = simulator.lanes.map(ShipperSegment.init)
        reeferLanes = simulator.lanes.map { $0.cargo == .reefer }
        let choice = simulator.options.choice
        self.choice = choice
        consolidationHours = simulator.options.maximumConsolidationHours
        valueOfTime = segments.map { (choice.valueOfTimeUSDPerTEUHour[$0] ?? 0) + simulator.options.valueOfTimeUSDPerTEUHour }
        slotLedger = Array(repeating: Array(repeating: 0, count: Int(endHour / 24) + 240), count: queues.count)
        setUpBlockTrains()
        times = services.map { state in
            ServiceTimes(phase: state.phase, headway: state.headway, capacityTEU: state.capacityTEU,
                         transitMeanHours: state.transitMeanHours, minimumLoadTEU: state.minimumLoadTEU,
                         horizonHours: choice.horizonHours(headway: state.headway),
                         reeferTEUPerDeparture: state.reeferTEUPerDeparture, disrupted: !state.disruptions.isEmpty)
        }
        seasonalCapacityByMonth = services.flatMap(\.seasonalCapacity)
        seasonalTransitByMonth = services.flatMap(\.seasonalTransit)
        let tableEnd = endHour + 24 * 180
        for s in services.indices {
            departureStart.append(departureBaseCapacity.count)
            let service = times[s]
            guard service.headway > 0, service.headway.isFinite, service.phase.isFinite else { continue }
            let count = min(max(0, Int((tableEnd - service.phase) / service.headway) + 1), 100_000)
            for k in 0..<count {
                let m = 12 * s + month(atHour: departureHour(s, k)) - 1
                departureBaseCapacity.append(service.capacityTEU * seasonalCapacityByMonth[m])
                departureExpectedTransit.append(service.transitMeanHours * seasonalTransitByMonth[m])
            }
        }
        departureStart.append(departureBaseCapacity.count)
    }

    /// Capacity of departure `k` of `s` before disruptions: TEU per departure × the season.
    @inline(__always)
    func baseCapacity(_ s: Int, _ k: Int) -> Double {
        let start = departureStart[s]
        if k < departureStart[s + 1] - start { return departureBaseCapacity[start + k] }
        return times[s].capacityTEU * seasonalCapacityByMonth[12 * s + month(atHour: departureHour(s, k)) - 1]
    }

    /// Marks the rail services whose trains pass their end whole (``ServiceState/keepsTrainAtEnd``)
    /// and raises the minimum load of each to the largest of the rail services leaving its end
    /// (not back where it came from), through chains of such places: a train formed there runs on.
    mutating func setUpBlockTrains() {
        var leaving: [PlaceCode: [Int]] = [:]
        for (i, state) in services.enumerated() where state.service.mode == .rail {
            leaving[state.service.from, default: []].append(i)
            services[i].keepsTrainAtEnd = !(network.place(state.service.to)?.reformsTrains ?? true)
            services[i].continuesBlock = !(network.place(state.service.from)?.reformsTrains ?? true)
        }
        // Each pass raises the minimum by one more place down the chain; chains are short.
        for _ in 0..<8 {
            var changed = false
            for i in services.indices where services[i].keepsTrainAtEnd {
                let from = services[i].service.from
                for j in leaving[services[i].service.to] ?? [] where services[j].service.to != from
                    && services[j].minimumLoadTEU > services[i].minimumLoadTEU {
                    services[i].minimumLoadTEU = services[j].minimumLoadTEU
                    changed = true
                }
            }
            if !changed { break }
        }
    }

    // MARK: Time

    /// Hours since 1 January 00:00 of the counted year (negative during the warm-up).
    func calendarHour(_ hour: Double) -> Double { hour - warmUpHours }

    /// Month (1–12) of an engine hour (non-leap calendar; the warm-up falls in the previous November and December).
    func month(atHour hour: Double) -> Int {
        let day = Self.roundedDown(calendarHour(hour) / 24)
        return Self.month(ofDay: day >= 0 && day < 365 ? day : ((day % 365) + 365) % 365)
    }

    /// `Int(x.rounded(.down))` without a library call (the booking scans ask for every departure):
    /// truncation, one lower for a negative non-integer. Traps where that does (NaN, out of range).
    @inline(__always)
    static func roundedDown(_ x: Double) -> Int {
        let truncated = Int(x)
        return Double(truncated) > x ? truncated - 1 : truncated
    }

    /// `Int(x.rounded(.up))` the same way.
    @inline(__always)
    static func roundedUp(_ x: Double) -> Int {
        let truncated = Int(x)
        return Double(truncated) < x ? truncated + 1 : truncated
    }

    /// Month (1–12) of day `day` (0–364) of a non-leap year; comparisons, not a table, because
    /// every capacity and transit estimate asks.
    static func month(ofDay day: Int) -> Int {
        if day < 181 {
            if day < 90 { return day < 31 ? 1 : day < 59 ? 2 : 3 }
            return day < 120 ? 4 : day < 151 ? 5 : 6
        }
        if day < 273 { return day < 212 ? 7 : day < 243 ? 8 : 9 }
        return day < 304 ? 10 : day < 334 ? 11 : 12
    }

    // MARK: Routes

    /// The corridor a route counts in, as Chongqing's statistics count cargo: air if any leg
    /// flies; else the corridor of the longest leg on a China-Europe, Land-Sea or Yangtze
    /// service that starts or ends in China (so river-sea via Shanghai counts as Yangtze,
    /// rail-sea via Qinzhou as Land-Sea, and a China-Europe train used as a Rotterdam feeder does
    /// not make a sea route China-Europe); else ocean if any leg sails; else domestic.
    static func corridor(of legs: [RouteLeg], in network: Network) -> Corridor {
        if legs.contains(where: { $0.corridor == .air }) { return .air }
        let corridors: Set<Corridor> = [.chinaEurope, .landSea, .yangtze]
        let china = network.hub?.cities.first.flatMap { network.place($0)?.country } ?? "CN"
        let counted = legs.filter { leg in
            guard let corridor = leg.corridor, corridors.contains(corridor) else { return false }
            return network.place(leg.from)?.country == china || network.place(leg.to)?.country == china
        }
        if let longest = counted.max(by: { $0.distanceKm < $1.distanceKm }), let corridor = longest.corridor {
            return corridor
        }
        return legs.contains { $0.corridor == .ocean } ? .ocean : .domestic
    }

    /// Each lane's choice set: for every mode family (rail, rail-sea, river-sea, air, …; road
    /// always allowed for feeders) the cheapest routes, and the fastest route overall, so a
    /// shipment can choose any corridor that reaches its destination. Lanes with the same
    /// origin, destination and cargo share their set.
    mutating func planPaths() {
        let router = Router(network: network)
        self.router = [router]
        var known: [String: [Int]] = [:]
        let lanes = simulator.lanes
        let keys = lanes.indices.map { l in
            let lane = lanes[l]
            return "\(lane.origin)|\(lane.destination)|\(lane.cargo)|\(lane.tonnesPerTEU)|\(segments[l])"
        }
        // The router's searches, the bulk of the planning, run in parallel: one per distinct key,
        // on a value-type router (Sendable), each a pure function of its lane. The rest runs in
        // lane order below, so routes get the same indices as when everything ran in order.
        var firstLane: [String: Int] = [:]
        var distinctLanes: [Int] = []
        for l in lanes.indices where firstLane[keys[l]] == nil {
            firstLane[keys[l]] = l
            distinctLanes.append(l)
        }
        let distinct = distinctLanes
        let options = options, network = network
        // Runs that share the network share the searches (``ChoiceSetCache``).
        let cache = simulator.choiceSets
        let cacheKeys = distinct.map { "\(keys[$0])|\(options.alternativesPerFamily)|\(options.gatewaysPerFamily)" }
        var candidatesOfLane: [Int: [Route]] = [:]
        var missingLanes: [Int] = []
        for (i, l) in distinct.enumerated() {
            if let known = cache?.routes(for: cacheKeys[i]) { candidatesOfLane[l] = known } else { missingLanes.append(i) }
        }
        let missing = missingLanes
        let jobs = min(ProcessInfo.processInfo.activeProcessorCount, max(1, missing.count / 8))
        let searched = ParallelRuns.map(count: missing.count, jobs: jobs) { j in
            Self.choiceSetCandidates(for: lanes[distinct[missing[j]]], router: router, network: network, options: options)
        }
        for (j, i) in missing.enumerated() {
            candidatesOfLane[distinct[i]] = searched[j]
            cache?.store(searched[j], for: cacheKeys[i])
        }
        paths = lanes.indices.map { l in
            let key = keys[l]
            if let found = known[key] { return found }
            let found = candidatesOfLane[l] ?? []
            // Routes whose generalised cost at the planned times is far above the best (air for
            // bulk cargo, a 60-day sailing for laptops) would almost never be drawn; each
            // corridor's best stays, for when the others close.
            let planned = found.map(plannedPath)
            let valueOfTime = valueOfTime[l]
            let staticCost = planned.map {
                choice.generalisedCost(fixedUSDPerTEU: $0.costUSDPerTEU + $0.fixedChoiceCostUSD, valueOfTime: valueOfTime,
                                       expectedHours: $0.plannedHours, spreadHours: $0.spreadHours)
            }
            let best = staticCost.min() ?? 0
            var bestOfCorridor: [Corridor: Int] = [:]
            for (i, route) in planned.enumerated() where bestOfCorridor[route.corridor].map({ staticCost[i] < staticCost[$0] }) ?? true {
                bestOfCorridor[route.corridor] = i
            }
            let kept = Set(bestOfCorridor.values)
            var indices: [Int] = []
            for i in planned.indices where staticCost[i] <= choice.choiceSetCostRatio * best || kept.contains(i) {
                indices.append(add(planned[i]))
            }
            known[key] = Array(indices)
            return Array(indices)
        }
    }

    /// The routes `lane` chooses among, before pruning, cheapest first: for every mode family
    /// (rail, rail-sea, river-sea, air, …; road always allowed for feeders) the cheapest, rail and
    /// rail-sea by each gateway and from each of the origin city's terminals, and the fastest
    /// route overall.
    static func choiceSetCandidates(for lane: DemandLane, router: Router, network: Network, options: SimulationOptions) -> [Route] {
        let hubCountry = network.hub?.cities.first.flatMap { network.place($0)?.country } ?? "CN"
        var found: [Route] = []
        var seen = Set<[String]>()
        func consider(_ candidates: [Route]) {
            for route in candidates where seen.insert(route.serviceLegs.map(\.service)).inserted { found.append(route) }
        }
        let cheapest = query(lane.origin, lane.destination, lane: lane, objective: .cost)
        for family in Router.modeFamilies {
            consider(router.bestRoutes(for: cheapest, count: options.alternativesPerFamily, allowedModes: family.union([.road]),
                                       examinationLimit: options.alternativesPerFamily * 20))
        }
        // Rail by each border crossing (Alashankou, Khorgos, Erenhot, Manzhouli), and rail-sea by each port.
        for family: Set<TransportMode> in [[.rail], [.rail, .sea]] {
            // The crossing out of (or into) the hub's country is the one a shipper picks;
            // eastbound routes cross Poland first, but Alashankou or Khorgos is the choice.
            consider(router.routesByGateway(for: cheapest, modes: family, count: options.gatewaysPerFamily) { route in
                route.borderPlaces.first { network.place($0)?.country == hubCountry } ?? route.gateway
            })
            // And from each of the city's terminals (Tuanjiecun, Guoyuan, Xiaonanya, …).
            consider(router.routesByTerminal(for: cheapest, modes: family, count: options.gatewaysPerFamily))
        }
        consider(router.bestRoutes(for: query(lane.origin, lane.destination, lane: lane, objective: .time), count: 1,
                                   examinationLimit: 20))
        found.sort { ($0.costUSD, $0.transitHours) < ($1.costUSD, $1.transitHours) }
        return found
    }

    static func query(_ origin: PlaceCode, _ destination: PlaceCode, lane: DemandLane, objective: Objective) -> RouteQuery {
        RouteQuery(origin: origin, destination: destination, teu: 1, tonnes: lane.tonnesPerTEU, cargo: lane.cargo,
                   objective: objective)
    }

    func plannedPath(_ route: Route) -> PlannedPath {
        var services: [Int] = [], stops: [PlaceCode] = [], fixedTransfer: [Double] = [], expectedTransfer: [Double] = []
        var stopQueue: [Int?] = [], legOffsets: [Double] = [], passes = Set<PlaceCode>()
        var firstMile = 0.0, lastMile = 0.0, spreadSquared = 0.0
        for leg in route.legs {
            if leg.service.hasPrefix("firstMile:") {
                firstMile = leg.transitHours + leg.dwellHours
                continue
            }
            if leg.service.hasPrefix("lastMile:") {
                lastMile = leg.transitHours
                continue
            }
            guard let index = serviceIndex[ServiceID(leg.service)] else { continue }
            let transit = self.services[index].service.transit
            spreadSquared += pow(transit.p90Hours - transit.meanHours, 2)
            services.append(index)
            stops.append(leg.to)
            passes.insert(leg.to)
            let queued = leg.mode == .rail || leg.mode == .inlandWater
            stopQueue.append(queued ? queueIndex[leg.to] : nil)
            let dwell = network.place(leg.to)?.dwell
            let dwellMean = dwell?.meanHours ?? 0
            if let dwell { spreadSquared += pow(dwell.p90Hours - dwell.meanHours, 2) }
            // The router's expected queue wait is simulated here (the queue itself), so it is not fixed time.
            let queueWait = queued ? expectedQueueWait[leg.to] ?? 0 : 0
            let fixed = max(0, leg.dwellHours - dwellMean - queueWait)
            fixedTransfer.append(fixed)
            expectedTransfer.append(fixed + dwellMean)
            legOffsets.append(leg.departureHour)
        }
        let corridor = Self.corridor(of: route.legs, in: network)
        return PlannedPath(services: services, stops: stops, fixedTransferHours: fixedTransfer,
                           expectedTransferHours: expectedTransfer, stopQueue: stopQueue, firstMileHours: firstMile,
                           lastMileHours: lastMile, plannedHours: route.transitHours, legOffsets: legOffsets,
                           costUSDPerTEU: route.costUSD, co2eKgPerTEU: route.co2eKg, legs: route.legs,
                           modeCount: Set(route.legs.map(\.mode)).count, passes: passes, corridor: corridor,
                           spreadHours: spreadSquared.squareRoot(),
                           fixedChoiceCostUSD: options.carbonPriceUSDPerTonne * route.co2eKg / 1000
                               + (options.choice.corridorConstantUSDPerTEU[corridor] ?? 0))
    }


    /// Adds `path` to the run's routes (and its legs to the flat tables); returns its index.
    mutating func add(_ path: PlannedPath) -> Int {
        routes.append(path)
        legService += path.services
        legQueue += path.stopQueue.map { $0 ?? -1 }
        legExpectedTransferHours += path.expectedTransferHours
        legStart.append(legService.count)
        routeLastMileHours.append(path.lastMileHours)
        return routes.count - 1
    }

    /// Routes from `place` to the lane's destination for cargo re-booked mid-route, found once per
    /// place, destination and cargo.
    mutating func detours(from place: PlaceCode, lane l: Int) -> [Int] {
        let lane = simulator.lanes[l]
        let key = "\(place)|\(lane.destination)|\(lane.cargo)|\(lane.tonnesPerTEU)"
        if let known = detours[key] { return known }
        let found = router.first?.bestRoutes(for: Self.query(place, lane.destination, lane: lane, objective: .cost), count: 3,
                                       examinationLimit: 60) ?? []
        var indices: [Int] = []
        for route in found { indices.append(add(plannedPath(route))) }
        detours[key] = indices
        return indices
    }

    // MARK: Capacity and disruptions

    /// The lowest capacity factor of `disruptions` in force at engine hour `hour`, counting only
    /// those announced by engine hour `now` (a disruption is announced when it starts).
    func capacityFactor(_ disruptions: [Disruption], at hour: Double, knownAt now: Double = .infinity) -> Double {
        let calendar = calendarHour(hour), announced = calendarHour(now)
        return disruptions.reduce(1.0) { factor, d in
            d.fromDay * 24 <= announced && d.isActive(atHour: calendar) ? min(factor, d.capacityFactor) : factor
        }
    }

    func dwellFactor(at place: PlaceCode, hour: Double) -> Double {
        let calendar = calendarHour(hour)
        return simulator.disruptions.reduce(1.0) { factor, d in
            if case .place(let code) = d.target, code == place, d.isActive(atHour: calendar) { return max(factor, d.dwellFactor) }
            return factor
        }
    }

    /// Engine hour of departure `k` of service `s`.
    func departureHour(_ s: Int, _ k: Int) -> Double { times[s].phase + Double(k) * times[s].headway }

    /// Whether departure `k` runs under a capacity cut to `factor`: a cut cancels whole
    /// departures, spread evenly (at 0.5 every other one runs), and never shrinks them.
    static func runs(_ k: Int, underCut factor: Double) -> Bool {
        if factor >= 1 { return true }
        if factor <= 0 { return false }
        return (Double(k + 1) * factor).rounded(.down) > (Double(k) * factor).rounded(.down)
    }

    /// TEU capacity of departure `k` of `s` as known at engine hour `now`: per departure ×
    /// season (low water, winter loads; the ``ServiceCapacity`` rule), or 0 when a capacity cut
    /// announced by then cancels it.
    func departureCapacity(_ s: Int, _ k: Int, knownAt now: Double) -> Double {
        let hour = departureHour(s, k)
        let base = baseCapacity(s, k)
        guard times[s].disrupted else { return base }
        return Self.runs(k, underCut: capacityFactor(services[s].disruptions, at: hour, knownAt: now)) ? base : 0
    }

    /// Booked TEU of departure `k` of service `s`.
    func bookedTEU(_ s: Int, _ k: Int) -> Double {
        k < services[s].loads.count ? services[s].loads[k].booked : 0
    }

    /// Booked and held TEU of departure `k` of service `s`: what it is planned to carry.
    func plannedTEU(_ s: Int, _ k: Int) -> Double {
        k < services[s].loads.count ? services[s].loads[k].booked + services[s].loads[k].held : 0
    }

    /// Room on departure `k` of `s` known at `now` for general cargo, or for reefers (also limited by plugs).
    func room(_ s: Int, _ k: Int, knownAt now: Double, reefer: Bool, ignoringHolds: Bool = false) -> Double {
        let load = k < services[s].loads.count ? services[s].loads[k] : DepartureLoad()
        if load.sealed { return 0 }
        let general = departureCapacity(s, k, knownAt: now) - load.booked - (ignoringHolds ? 0 : load.held)
        guard reefer, let plugs = times[s].reeferTEUPerDeparture else { return general }
        let reeferBooked = load.reefer
        return min(general, plugs - reeferBooked)
    }

    func isReefer(_ shipment: Int) -> Bool { reeferLanes[shipments[shipment].lane] }

    /// Hours ahead a shipment books service `s` (``ChoiceParameters/horizonHours(headway:)``).
    func bookingHorizonHours(_ s: Int) -> Double {
        times[s].horizonHours
    }

    /// Books `teu` on service `s` from `ready` on, filling the earliest departures with room;
    /// returns the departure that carries the last part.
    mutating func book(_ s: Int, ready: Double, teu: Double, shipment: Int, now: Double, ignoringHolds: Bool = false) -> Int? {
        let reefer = isReefer(shipment)
        // A train that runs on whole through its end is formed for one run: its cargo goes on together.
        let run = services[s].keepsTrainAtEnd ? trainRun(of: shipment) : 0
        let headway = services[s].headway
        let earliest = max(0, Int(((ready - services[s].phase) / headway).rounded(.up)))
        let firstHour = departureHour(s, earliest)
        var k = max(earliest, services[s].firstOpen)
        var remaining = teu
        for _ in 0..<5000 {
            let hour = departureHour(s, k)
            let capacity = departureCapacity(s, k, knownAt: now)
            let booked = bookedTEU(s, k)
            if capacity - booked <= 1e-9 && k == services[s].firstOpen && capacity > 0 { services[s].firstOpen = k + 1 }
            let free = room(s, k, knownAt: now, reefer: reefer, ignoringHolds: ignoringHolds)
            if free > 1e-9 && (!services[s].keepsTrainAtEnd || booked <= 1e-9 || services[s].loads[k].run == run) {
                let take = min(free, remaining)
                grow(s, to: k)
                var departure = services[s].departures[k].take() ?? DepartureState()
                services[s].loads[k].booked += take
                services[s].loads[k].run = run
                if reefer { services[s].loads[k].reefer += take }
                departure.firstBookingHour = min(departure.firstBookingHour, ready)
                services[s].loads[k].firstBooking = departure.firstBookingHour
                remaining -= take
                services[s].waitingTEU += take
                services[s].delayTEUHours += take * (hour - firstHour)
                if remaining <= 1e-9 { departure.shipments.append(shipment) }
                // Departures run through the drain too, so cargo in flight at the end can finish.
                if !departure.scheduled && hour <= drainEndHour {
                    departure.scheduled = true
                    queue.schedule(.departureHourReached(service: s, index: k), at: hour)
                }
                assert(services[s].loads[k].booked <= capacity + 1e-6, "a departure booked above its capacity")
                assert(!reefer || services[s].reeferTEUPerDeparture.map { services[s].loads[k].reefer <= $0 + 1e-6 } ?? true,
                       "a departure booked above its reefer plugs")
                let full = services[s].loads[k].booked >= capacity - 1e-9
                services[s].departures[k] = consume departure
                if full && k == services[s].firstOpen { services[s].firstOpen = k + 1 }
                if remaining <= 1e-9 { return k }
            }
            k += 1
        }
        return nil
    }

    /// The hour of the departure of `s` that would carry the last part of `teu` booked from
    /// `ready`, as known at `now`; nil when none within `horizon` hours of `ready` can. With
    /// `train` (on a service that continues block trains), departures held for another train do
    /// not count; with `ignoringHolds`, what others hold counts as room (physical room).
    func hourWhenBooked(_ s: Int, ready: Double, teu: Double, reefer: Bool, now: Double,
                        horizon: Double, train: Int = -1, ignoringHolds: Bool = false) -> (hour: Double, index: Int)? {
        let service = times[s]
        let headway = service.headway
        var k = max(services[s].firstOpen, Self.roundedUp((ready - service.phase) / headway))
        var remaining = teu
        let last = ready + horizon
        let start = departureStart[s], tabled = departureStart[s + 1] - start
        // `room(_:_:knownAt:reefer:)` inlined, reading the loads and base capacities in place.
        return departureBaseCapacity.withUnsafeBufferPointer { all -> (hour: Double, index: Int)? in
            let table = UnsafeBufferPointer(rebasing: all[start..<(start + tabled)])
            return services[s].loads.withUnsafeBufferPointer { loads -> (hour: Double, index: Int)? in
                while true {
                    let hour = service.phase + Double(k) * headway
                    guard hour <= last else { return nil }
                    let load = k < loads.count ? loads[k] : DepartureLoad()
                    var capacity = k < tabled
                        ? table[k] : service.capacityTEU * seasonalCapacityByMonth[12 * s + month(atHour: hour) - 1]
                    if service.disrupted && !Self.runs(k, underCut: capacityFactor(services[s].disruptions, at: hour, knownAt: now)) {
                        capacity = 0
                    }
                    // A sealed departure (a block train running on whole) takes no other cargo.
                    // Room held for another block train is that train's whole departure.
                    var free = load.sealed || (train >= 0 && load.holdingTrain >= 0 && load.holdingTrain != train)
                        ? 0 : capacity - load.booked - (ignoringHolds ? 0 : load.held)
                    if reefer, let plugs = service.reeferTEUPerDeparture { free = min(free, plugs - load.reefer) }
                    remaining -= max(0, free)
                    if remaining <= 1e-9 { return (hour, k) }
                    k += 1
                }
            }
        }
    }

    /// Holds `teu` on departure `k` of `s` for a shipment booked through (the room of a later leg).
    mutating func hold(_ s: Int, _ k: Int, teu: Double, train: Int = -1) {
        grow(s, to: k)
        services[s].loads[k].held += teu
        if train >= 0 && services[s].continuesBlock { services[s].loads[k].holdingTrain = train }
    }

    /// The train a shipment rides into a place that does not re-form trains: the departure `k` of
    /// service `s` that brings it (one number).
    static func trainKey(_ s: Int, _ k: Int) -> Int { (s << 32) | (k & 0xFFFF_FFFF) }

    /// Makes room for departure `k` of `s` in its state arrays.
    mutating func grow(_ s: Int, to k: Int) {
        guard k >= services[s].departures.count else { return }
        let more = k + 1 - services[s].departures.count
        services[s].departures.append(contentsOf: repeatElement(nil, count: more))
        services[s].loads.append(contentsOf: repeatElement(DepartureLoad(), count: more))
    }

    /// Gives back the room shipment `id` holds on leg `leg` of its route, if any.
    mutating func releaseHold(_ id: Int, leg: Int) {
        guard leg < shipments[id].heldDepartures.count, shipments[id].heldDepartures[leg] >= 0 else { return }
        let s = routes[shipments[id].path].services[leg], k = shipments[id].heldDepartures[leg]
        shipments[id].heldDepartures[leg] = -1
        guard k < services[s].loads.count else { return }
        services[s].loads[k].held = max(0, services[s].loads[k].held - shipments[id].teu)
        if services[s].loads[k].held <= 1e-9 { services[s].loads[k].holdingTrain = -1 }
    }

    /// Gives back every hold shipment `id` has on the rest of its route, and its planned
    /// crossing days (it changes route).
    mutating func releaseHolds(_ id: Int) {
        for leg in shipments[id].leg..<shipments[id].heldDepartures.count { releaseHold(id, leg: leg) }
        while let plan = shipments[id].crossingPlans.last { releaseCrossingPlan(id, queue: plan.queue) }
    }

    /// Takes shipment `id`'s planned day at queue `q` out of the plans: it has crossed, or changed
    /// route. A train that crosses before the day it planned leaves that day's room to others,
    /// so the plans follow the trains instead of running ahead of them.
    mutating func releaseCrossingPlan(_ id: Int, queue q: Int) {
        guard let i = shipments[id].crossingPlans.lastIndex(where: { $0.queue == q }) else { return }
        let day = shipments[id].crossingPlans.remove(at: i).day
        slotLedger[q][day] = max(0, slotLedger[q][day] - units(q, teu: shipments[id].teu))
    }

    /// Hours the vehicles waiting at queue `q` take to clear at its normal throughput.
    func backlogHours(_ q: Int) -> Double {
        queues[q].unitsPerDay > 0 ? queues[q].waitingUnits * 24 / queues[q].unitsPerDay : 0
    }

    /// Throughput units a vehicle of `teu` takes at queue `q` (a whole unit without a TEU rate).
    func vehicleUnits(_ q: Int, teu: Double) -> Double {
        queues[q].teuPerUnit > 0 ? min(1, teu / queues[q].teuPerUnit) : 1
    }

    /// Trains (throughput units) of our cargo already planned through queue `q` on each day of the run.
    /// A through booking plans its crossing day here, so shippers booking in the same days see
    /// each other's trains and not only the line at the border now.
    func plannedUnits(_ q: Int, day: Int) -> Double {
        day >= 0 && day < slotLedger[q].count ? slotLedger[q][day] : 0
    }

    /// Throughput units of queue `q` left on engine day `day` for our cargo, as known at `now`:
    /// the capacity that can be planned (``QueueState/plannedShare`` of its throughput, after
    /// announced closures) less the expected background traffic less our plans.
    func unitsLeft(_ q: Int, day: Int, now: Double) -> Double {
        let noon = Double(day) * 24 + 12
        var left = queues[q].unitsPerDay * queues[q].plannedShare
        if !queues[q].disruptions.isEmpty { left *= capacityFactor(queues[q].disruptions, at: noon, knownAt: now) }
        left -= queues[q].backgroundPerDay[month(atHour: noon) - 1]
        return left - plannedUnits(q, day: day)
    }

    /// The engine hour queue `q`, closed at engine hour `hour`, opens again: the latest end of the
    /// closures in force then (`hour` itself when none closes it).
    func reopenHour(_ q: Int, closedAt hour: Double) -> Double {
        let calendar = calendarHour(hour)
        return queues[q].disruptions.filter { $0.isActive(atHour: calendar) && $0.capacityFactor <= 0 }
            .map { $0.toDay * 24 + warmUpHours }.max() ?? hour
    }

    /// Units of queue `q`'s throughput a shipment of `teu` takes (a share of a train).
    func units(_ q: Int, teu: Double) -> Double {
        queues[q].teuPerUnit > 0 ? teu / queues[q].teuPerUnit : 0
    }

    /// The day a shipment of `teu` reaching queue `q` at `hour` can cross, and its wait, as known
    /// at `now`: the first day with throughput left (within `horizonDays`), and never before the
    /// line at the border now has cleared. Nil when no day within the horizon has room.
    func crossing(_ q: Int, arriving hour: Double, teu: Double, now: Double, horizonDays: Int) -> (day: Int, wait: Double)? {
        let physical = max(0, backlogHours(q) - (hour - now))
        let need = units(q, teu: teu)
        guard need > 0 else {
            // A place without a TEU rate: the line now, and the rest of an announced closure.
            var wait = physical
            if !queues[q].disruptions.isEmpty, capacityFactor(queues[q].disruptions, at: hour, knownAt: now) <= 0 {
                wait += max(0, reopenHour(q, closedAt: hour) - hour)
            }
            return (Int(hour / 24), wait)
        }
        let firstDay = Int((hour + physical) / 24)
        for day in firstDay..<(firstDay + horizonDays) where unitsLeft(q, day: day, now: now) >= need - 1e-9 {
            return (day, max(physical, Double(day) * 24 - hour))
        }
        return nil
    }

    /// Departures a shipment booked below the minimum load expects to be cancelled before its
    /// cargo leaves: (1 − p) ÷ p with p the line's recent ``ServiceState/runShare`` (geometric:
    /// each departure runs with probability p).
    func expectedDeparturesSkipped(_ s: Int) -> Double {
        let share = max(services[s].runShare, 0.01)
        return (1 - share) / share
    }

    /// Where a through booking puts a shipment: the departure of each leg and the crossing day at
    /// each queue, and when it expects to be delivered.
    struct ThroughBooking {
        var delivery: Double
        var departures: [Int] = []
        /// The train each leg's room is planned for (−1: any), for holds on services that continue block trains.
        var trains: [Int] = []
        var crossings: [(queue: Int, day: Int)] = []
    }

    /// The engine hour a shipment of `teu` on route `r` from leg `firstLeg`, ready at `ready`,
    /// expects to be delivered, as known at `now`: each leg's first departure with room left
    /// (a through booking checks every leg), its mean transit, the crossing day at its end,
    /// and the transfer. Nil when some leg or crossing has no room within its booking horizon
    /// (`withinHorizon`). With `detail`, also the departures and crossing days, to hold them.
    func expectedDelivery(route r: Int, fromLeg firstLeg: Int, ready: Double, teu: Double, reefer: Bool, now: Double,
                          withinHorizon: Bool, detail: Bool = false) -> ThroughBooking? {
        var booking = ThroughBooking(delivery: ready)
        var hour = ready
        let first = legStart[r]
        var previous = -1
        for leg in firstLeg..<(legStart[r + 1] - first) {
            let s = legService[first + leg]
            let service = times[s]
            let horizon = withinHorizon ? service.horizonHours : 24 * 365
            // Beyond a place that does not re-form trains the shipment rides the train that brings it.
            let train = services[s].continuesBlock ? previous : -1
            guard let departure = hourWhenBooked(s, ready: hour, teu: teu, reefer: reefer, now: now, horizon: horizon,
                                                 train: train) else {
                return nil
            }
            previous = Self.trainKey(s, departure.index)
            // A train below its minimum load waits for more cargo, at most the consolidation limit
            // after its first booking: the shipper expects that wait, not the timetable's hour.
            var leaves = departure.hour
            if service.minimumLoadTEU > 0 && !services[s].continuesBlock
                && plannedTEU(s, departure.index) + teu < service.minimumLoadTEU {
                let first = min(departure.index < services[s].loads.count ? services[s].loads[departure.index].firstBooking : .infinity, hour)
                leaves = max(leaves, min(first + consolidationHours,
                                         departure.hour + expectedDeparturesSkipped(s) * service.headway))
            }
            let tabled = departure.index < departureStart[s + 1] - departureStart[s]
            hour = leaves + (tabled ? departureExpectedTransit[departureStart[s] + departure.index]
                             : service.transitMeanHours * seasonalTransitByMonth[12 * s + month(atHour: departure.hour) - 1])
            if detail {
                booking.departures.append(departure.index)
                booking.trains.append(train)
            }
            let q = legQueue[first + leg]
            if q >= 0 {
                let horizonDays = withinHorizon ? Int(choice.crossingHorizonDays) : 365
                guard let crossing = crossing(q, arriving: hour, teu: teu, now: now, horizonDays: horizonDays) else { return nil }
                hour += crossing.wait
                if detail { booking.crossings.append((q, crossing.day)) }
            }
            hour += legExpectedTransferHours[first + leg]
        }
        booking.delivery = hour + routeLastMileHours[r]
        return booking
    }

    /// The first service of route `r` that has no departure with room for shipment `id` within a
    /// year of `ready` (what a through booking that found nothing was waiting for).
    func blockingService(route r: Int, ready: Double, shipment id: Int, now: Double) -> Int {
        var hour = ready
        for leg in 0..<(legStart[r + 1] - legStart[r]) {
            let s = legService[legStart[r] + leg]
            guard let departure = hourWhenBooked(s, ready: hour, teu: shipments[id].teu, reefer: isReefer(id), now: now,
                                                 horizon: 24 * 365) else { return s }
            hour = departure.hour + services[s].transitMeanHours + legExpectedTransferHours[legStart[r] + leg]
        }
        return legService[legStart[r]]
    }

    /// Shipment `id` takes route `r` from leg `fromLeg` ready at `ready`: it holds the room of
    /// every later leg and its crossing days (the through booking), then books the first leg.
    mutating func commit(_ id: Int, route r: Int, fromLeg: Int, ready: Double, at now: Double) {
        shipments[id].path = r
        shipments[id].leg = fromLeg
        shipments[id].heldDepartures = Array(repeating: -1, count: routes[r].services.count)
        // The arguments are read first: reading the engine inside the call's argument list made
        // the optimiser copy the whole engine for the call.
        let teu = shipments[id].teu, reefer = isReefer(id)
        if let booking = expectedDelivery(route: r, fromLeg: fromLeg, ready: ready, teu: teu,
                                          reefer: reefer, now: now, withinHorizon: false, detail: true) {
            for (offset, k) in booking.departures.enumerated().dropFirst() {
                let leg = fromLeg + offset
                hold(legService[legStart[r] + leg], k, teu: teu, train: booking.trains[offset])
                shipments[id].heldDepartures[leg] = k
            }
            for (q, day) in booking.crossings where day >= 0 && day < slotLedger[q].count {
                slotLedger[q][day] += units(q, teu: teu)
                shipments[id].crossingPlans.append((q, day))
            }
        }
        bookNextLeg(id, ready: ready, at: now)
    }

    /// Generalised cost per TEU of route `r` for shipment `id` expected door to door in `hours`.
    func generalisedCost(route r: Int, shipment id: Int, hours: Double) -> Double {
        let route = routes[r]
        return choice.generalisedCost(fixedUSDPerTEU: route.costUSDPerTEU + route.fixedChoiceCostUSD,
                                      valueOfTime: valueOfTime[shipments[id].lane], expectedHours: hours,
                                      spreadHours: route.spreadHours)
    }

    // MARK: Choice

    /// A way for a shipment to continue: route `route` from leg `fromLeg`, ready at `ready`.
    struct Continuation {
        var route: Int
        var fromLeg: Int
        var ready: Double
    }

    /// Shipment `id` chooses among `candidates` at `now` by generalised cost (price, value of
    /// time × expected door-to-door hours with current bookings and queues, reliability, the
    /// corridor's constant): a logit draw on arrival (`byLogit`), the cheapest when re-booked.
    /// When none has room within its booking horizon, the one of least generalised cost with its
    /// whole wait. Returns the choice and its expected delivery hour; nil when no route has
    /// any departure at all.
    mutating func choose(_ id: Int, among candidates: [Continuation], at now: Double,
                         byLogit: Bool) -> (Continuation, delivery: Double)? {
        let teu = shipments[id].teu, reefer = isReefer(id), arrival = shipments[id].arrivalHour
        // The engine's buffers, taken out for the call and put back (no arrays allocated per shipment).
        var costs: [Double?] = [], deliveries: [Double?] = [], waiting: [Double?] = []
        swap(&costs, &choiceCosts)
        swap(&deliveries, &choiceDeliveries)
        swap(&waiting, &choiceWaitingDeliveries)
        defer {
            swap(&costs, &choiceCosts)
            swap(&deliveries, &choiceDeliveries)
            swap(&waiting, &choiceWaitingDeliveries)
        }
        costs.removeAll(keepingCapacity: true)
        deliveries.removeAll(keepingCapacity: true)
        waiting.removeAll(keepingCapacity: true)
        var feasibleCount = 0, firstFeasible = -1, lastFeasible = -1
        for (i, candidate) in candidates.enumerated() {
            // (No closure here: one capturing `self` in a mutating method copies the engine.)
            let delivery = expectedDelivery(route: candidate.route, fromLeg: candidate.fromLeg, ready: candidate.ready,
                                            teu: teu, reefer: reefer, now: now, withinHorizon: true)?.delivery
            deliveries.append(delivery)
            if let delivery {
                costs.append(generalisedCost(route: candidate.route, shipment: id, hours: delivery - arrival))
                feasibleCount += 1
                if firstFeasible < 0 { firstFeasible = i }
                lastFeasible = i
            } else {
                costs.append(nil)
            }
        }
        // The alternatives without room within their horizon, with their whole wait, once: a
        // route with room finds the same departures and crossing days at any horizon, so its
        // whole-wait delivery is the one above.
        if feasibleCount < candidates.count {
            for (i, candidate) in candidates.enumerated() {
                waiting.append(deliveries[i] != nil ? nil
                    : expectedDelivery(route: candidate.route, fromLeg: candidate.fromLeg, ready: candidate.ready,
                                       teu: teu, reefer: reefer, now: now, withinHorizon: false)?.delivery)
            }
        }
        // Waiting beyond the horizon for a route is an option too: when every route with room
        // costs more than `choiceSetCostRatio` × what waiting for the best of the others does
        // (a flight at $25k when the train two weeks later costs $5k), the shipper waits.
        if feasibleCount > 0 && feasibleCount < candidates.count {
            var cheapestFeasible = Double.infinity
            for cost in costs { if let cost, cost < cheapestFeasible { cheapestFeasible = cost } }
            var cheapestWaiting = Double.infinity
            for (i, candidate) in candidates.enumerated() {
                guard let delivery = waiting[i] else { continue }
                cheapestWaiting = min(cheapestWaiting, generalisedCost(route: candidate.route, shipment: id, hours: delivery - arrival))
            }
            if cheapestFeasible > choice.choiceSetCostRatio * cheapestWaiting { feasibleCount = 0 }
        }
        var pick: Int?
        if feasibleCount == 1 {
            pick = firstFeasible
        } else if feasibleCount > 1 {
            if byLogit {
                pick = logitDraw(costs, lastFeasible: lastFeasible)
            } else {
                var cheapest = firstFeasible
                for i in costs.indices where i > firstFeasible {
                    if let cost = costs[i], cost < costs[cheapest]! { cheapest = i }
                }
                pick = cheapest
            }
        } else {
            // Nothing within a booking horizon: the alternative of least generalised cost with its
            // whole wait, however long (a month's wait for a train makes the ship the better buy).
            var cheapest = Double.infinity
            for (i, candidate) in candidates.enumerated() {
                guard let delivery = deliveries[i] ?? waiting[i] else { continue }
                let cost = generalisedCost(route: candidate.route, shipment: id, hours: delivery - arrival)
                if cost < cheapest {
                    cheapest = cost
                    pick = i
                    deliveries[i] = delivery
                }
            }
        }
        guard let pick, let delivery = deliveries[pick] else { return nil }
        return (candidates[pick], delivery)
    }

    /// The logit draw among `costs` (nil: not feasible): ``ChoiceParameters/probabilities(of:)``
    /// computed in place with the same arithmetic in the same order, then one uniform draw walked
    /// down the feasible alternatives (the last feasible one if rounding leaves some of the draw).
    mutating func logitDraw(_ costs: [Double?], lastFeasible: Int) -> Int {
        var cheapest: Double?
        for case let cost? in costs where cost.isFinite && cheapest.map({ cost < $0 }) ?? true { cheapest = cost }
        var weights: [Double] = []
        swap(&weights, &choiceWeights)
        defer { swap(&weights, &choiceWeights) }
        weights.removeAll(keepingCapacity: true)
        var total = 0.0
        if let cheapest {
            let shift = cheapest < 1 ? 1 - cheapest : 0
            let reference = cheapest + shift
            let scale = choice.scale
            for cost in costs {
                var weight = 0.0
                if let cost, cost.isFinite { weight = exp(-scale * ((cost + shift) / reference - 1)) }
                weights.append(weight)
                total += weight
            }
        }
        var draw = random.unit()
        for i in costs.indices where costs[i] != nil {
            // No finite cost: every probability is 0, as `probabilities(of:)` gives.
            draw -= cheapest == nil ? 0 : weights[i] / total
            if draw < 0 { return i }
        }
        return lastFeasible
    }

    /// Books shipment `id`'s next leg on its route from `ready`, or strands it when no departure
    /// can take it. With `reroutingWhenFull`, cargo mid-route whose next service has no room within
    /// its booking horizon even ignoring others' holds is re-booked like cargo whose route is cut
    /// (another carrier, another mode from where it stands, or this service's first room if
    /// nothing is better), rather than queueing for weeks.
    mutating func bookNextLeg(_ id: Int, ready: Double, at now: Double, reroutingWhenFull: Bool = false) {
        let route = routes[shipments[id].path]
        guard shipments[id].leg < route.services.count else {
            queue.schedule(.shipmentDelivered(shipment: id), at: ready + route.lastMileHours)
            return
        }
        let s = route.services[shipments[id].leg]
        // The room held for this leg by the through booking becomes a real booking.
        releaseHold(id, leg: shipments[id].leg)
        // Cargo that missed its held departure is re-accommodated like a misconnection: when the
        // room others hold leaves nothing within its booking horizon, it takes physical room
        // (bookings only), and the holders it displaces are re-accommodated in turn on arrival.
        let missed = shipments[id].leg > 0
            && hourWhenBooked(s, ready: ready, teu: shipments[id].teu, reefer: isReefer(id), now: now,
                              horizon: bookingHorizonHours(s)) == nil
        if missed && reroutingWhenFull
            && hourWhenBooked(s, ready: ready, teu: shipments[id].teu, reefer: isReefer(id), now: now,
                              horizon: bookingHorizonHours(s), ignoringHolds: true) == nil {
            rebook(id, at: now)
            return
        }
        let k = book(s, ready: ready, teu: shipments[id].teu, shipment: id, now: now, ignoringHolds: missed)
        if k == nil { strand(id, waitingFor: s, at: now) }
    }

    /// Re-books shipment `id` at `hour` after its departure was cancelled or its route was cut:
    /// the best remaining alternative by generalised cost, which may be the same route's next
    /// departure. At its origin every alternative of its lane competes; mid-route, the rest of
    /// its route and the detours from where it stands.
    mutating func rebook(_ id: Int, at hour: Double) {
        let current = shipments[id].path, leg = shipments[id].leg
        // Its held room is given back first, so its own holds do not crowd out its new booking.
        releaseHolds(id)
        var candidates = [Continuation(route: current, fromLeg: leg, ready: hour)]
        let atOrigin = leg == 0 && !shipments[id].departed
        if atOrigin {
            for r in paths[shipments[id].lane] where r != current {
                candidates.append(Continuation(route: r, fromLeg: 0, ready: hour + routes[r].firstMileHours))
            }
        } else {
            let place = services[routes[current].services[leg]].service.from
            for r in detours(from: place, lane: shipments[id].lane) where r != current {
                candidates.append(Continuation(route: r, fromLeg: 0, ready: hour + routes[r].firstMileHours))
            }
        }
        guard let (pick, _) = choose(id, among: candidates, at: hour, byLogit: false) else {
            strand(id, waitingFor: routes[current].services[leg], at: hour)
            return
        }
        if pick.route != current {
            shipments[id].rebookings += 1
            collector.shipmentRerouted()
            record(.shipmentRebooked, hour, shipment: id, place: services[routes[pick.route].services.first ?? routes[current].services[leg]].service.from,
                   teu: shipments[id].teu)
        }
        // At its origin it chose again: its corridor is the new route's.
        if atOrigin { shipments[id].choice = pick.route }
        commit(id, route: pick.route, fromLeg: pick.fromLeg, ready: pick.ready, at: hour)
    }

    /// Whether the rest of shipment `id`'s route is cut at `hour`: a service on it under a
    /// capacity cut, or a queue on it closed, as announced by then.
    func remainingRouteIsCut(_ id: Int, at hour: Double) -> Bool {
        let route = routes[shipments[id].path]
        for leg in shipments[id].leg..<route.services.count {
            let s = route.services[leg]
            if !services[s].disruptions.isEmpty && capacityFactor(services[s].disruptions, at: hour, knownAt: hour) < 1 { return true }
            if let q = route.stopQueue[leg], !queues[q].disruptions.isEmpty,
               capacityFactor(queues[q].disruptions, at: hour, knownAt: hour) <= 0 { return true }
        }
        return false
    }

    // MARK: Run

    mutating func run() -> SimulationResult {
        // Without a monitor nothing can cancel.
        try! run(monitor: nil)
    }

    /// The run, watched by `monitor` (progress and cancel at each new simulated day).
    mutating func run(monitor: SimulationMonitor?) throws(SimulationCancelled) -> SimulationResult {
        let daysTotal = Int((drainEndHour / 24).rounded(.up))
        // The next engine hour at which the monitor is asked: the start of the next simulated day.
        var nextDayHour = monitor == nil ? Double.infinity : 24.0
        var nextReportDay = monitor?.reportEveryDays ?? 0
        planPaths()
        for (l, lane) in simulator.lanes.enumerated() where !paths[l].isEmpty && lane.teuPerYear > 0 {
            scheduleNextArrival(lane: l, after: 0)
        }
        for q in queues.indices where queues[q].place.backgroundTraffic != nil { scheduleBackgroundArrival(q, after: 0) }
        for week in 0...collector.weeks {
            queue.schedule(.weekBegan(week: week), at: min(warmUpHours + Double(week) * 168, endHour))
        }
        while let (hour, event) = queue.next() {
            guard hour <= drainEndHour else {
                unhandledEvent = event
                break
            }
            if hour >= nextDayHour, let monitor {
                let day = min(daysTotal, Int(hour / 24))
                nextDayHour = Double(day + 1) * 24
                let progress = SimulationProgress(daysSimulated: day, daysTotal: daysTotal)
                if monitor.isCancelled?() == true { throw SimulationCancelled(progress: progress) }
                if day >= nextReportDay {
                    nextReportDay = day + monitor.reportEveryDays
                    monitor.progress?(progress)
                }
            }
            switch event {
            case .shipmentArrived(let l): shipmentArrived(lane: l, at: hour)
            case .departureHourReached(let s, let k): departureDue(s, k, at: hour)
            case .vehicleArrived(let s, let k): vehicleArrived(s, k, at: hour)
            case .queueVehicleCleared(let q): queueServed(q, at: hour)
            case .backgroundVehicleArrived(let q): backgroundVehicleArrived(q, at: hour)
            case .shipmentReleased(let id): released(id, at: hour)
            case .blockReleased(let b): blockReleased(b, at: hour)
            case .shipmentDelivered(let id): delivered(id, at: hour)
            case .weekBegan(let week): measureBacklog(week: week)
            }
        }
        let balance = teuBalance()
        assert(balance.isBalanced(), "TEU not conserved: \(balance)")
        let result = collector.result(engine: self, balance: balance)
        monitor?.progress?(SimulationProgress(daysSimulated: daysTotal, daysTotal: daysTotal))
        return result
    }

    /// Where the TEU of every shipment are at the end of the run. In-flight TEU are found where
    /// the cargo is (booked on a departure, aboard a vehicle, in a queue, between legs), not as a
    /// remainder, so a shipment the engine loses (or holds twice) unbalances the account.
    /// - Complexity: O(shipments + departures booked + pending events).
    func teuBalance() -> TEUBalance {
        var balance = TEUBalance(arrivedTEU: 0, deliveredTEU: 0, inFlightTEU: 0, strandedTEU: 0)
        for shipment in shipments {
            balance.arrivedTEU += shipment.teu
            if shipment.delivered { balance.deliveredTEU += shipment.teu }
            if shipment.stranded { balance.strandedTEU += shipment.teu }
        }
        for state in services {
            for case let departure? in state.departures {
                for id in departure.hasRun ? departure.carried : departure.shipments { balance.inFlightTEU += shipments[id].teu }
            }
        }
        for q in queues {
            for vehicle in q.waiting {
                for id in vehicle.shipments { balance.inFlightTEU += shipments[id].teu }
            }
        }
        for event in queue.pendingEvents + (unhandledEvent.map { [$0] } ?? []) {
            switch event {
            case .shipmentReleased(let id), .shipmentDelivered(let id): balance.inFlightTEU += shipments[id].teu
            case .blockReleased(let b): for id in blocks[b].shipments { balance.inFlightTEU += shipments[id].teu }
            case .shipmentArrived, .departureHourReached, .vehicleArrived, .queueVehicleCleared, .backgroundVehicleArrived,
                 .weekBegan: break
            }
        }
        return balance
    }

    /// TEU waiting for each service (booked, not yet departed) and in each queue now, at the start
    /// of week `week` of the counted year (`weeks`: its end).
    mutating func measureBacklog(week: Int) {
        let waitingForServices = services.map(\.waitingTEU)
        let waitingInQueues = queues.map { q in q.waiting.reduce(0.0) { $0 + ($1.background ? 0 : $1.teu) } }
        collector.backlogMeasured(week: week, services: waitingForServices, queues: waitingInQueues)
    }

    /// Gives up on shipment `id`: no departure of service `s` within the booking horizon has room
    /// for it (a closed or zero-capacity service). It leaves the network, counted as stranded.
    mutating func strand(_ id: Int, waitingFor s: Int, at hour: Double) {
        shipments[id].stranded = true
        collector.shipmentStranded(teu: shipments[id].teu)
        record(.shipmentStranded, hour, shipment: id, service: s, place: services[s].service.from, teu: shipments[id].teu)
    }

    mutating func record(_ kind: SimulationEvent.Kind, _ hour: Double, shipment: Int? = nil, service: Int? = nil,
                         departure: Int? = nil, place: PlaceCode? = nil, teu: Double? = nil) {
        guard options.recordEvents else { return }
        log.append(SimulationEvent(hour: (calendarHour(hour) * 1000).rounded() / 1000, kind: kind, shipment: shipment,
                                   service: service.map { services[$0].service.id.rawValue }, departure: departure,
                                   place: place?.rawValue, teu: teu.map { ($0 * 1000).rounded() / 1000 }))
    }

    mutating func scheduleNextArrival(lane l: Int, after hour: Double) {
        let lane = simulator.lanes[l]
        let peak = lane.seasonality.max() ?? 1
        let meanRate = lane.teuPerYear / lane.shipmentTEU / 8760
        guard meanRate > 0, peak > 0 else { return }
        var t = hour
        while true {
            t += random.exponential(mean: 1 / (meanRate * peak))
            if t >= endHour { return }
            if random.unit() * peak <= lane.seasonality[month(atHour: t) - 1] { break }
        }
        queue.schedule(.shipmentArrived(lane: l), at: t)
    }

    /// A shipment appears: it draws its size and chooses a route among its lane's alternatives
    /// by a logit on generalised cost, then books the first leg.
    mutating func shipmentArrived(lane l: Int, at hour: Double) {
        scheduleNextArrival(lane: l, after: hour)
        let lane = simulator.lanes[l]
        var teu = lane.shipmentTEU * (0.5 + random.unit())
        if lane.corridor != .air { teu = max(1, teu.rounded()) }
        let id = shipments.count
        shipments.append(ShipmentState(lane: l, teu: teu, arrivalHour: hour, path: paths[l][0], choice: paths[l][0],
                                       dueHour: .infinity))
        let candidates = paths[l].map { Continuation(route: $0, fromLeg: 0, ready: hour + routes[$0].firstMileHours) }
        guard let (pick, delivery) = choose(id, among: candidates, at: hour, byLogit: true) else {
            collector.shipmentArrived(hour: calendarHour(hour))
            record(.shipmentArrived, hour, shipment: id, place: lane.origin, teu: teu)
            strand(id, waitingFor: blockingService(route: paths[l][0], ready: candidates[0].ready, shipment: id, now: hour), at: hour)
            return
        }
        shipments[id].choice = pick.route
        shipments[id].dueHour = hour + (delivery - hour) * options.onTimeSlack
        collector.shipmentArrived(hour: calendarHour(hour))
        record(.shipmentArrived, hour, shipment: id, place: lane.origin, teu: teu)
        commit(id, route: pick.route, fromLeg: 0, ready: pick.ready, at: hour)
    }

    mutating func departureDue(_ s: Int, _ k: Int, at hour: Double) {
        guard k < services[s].departures.count, var departure = services[s].departures[k] else { return }
        let service = services[s].service
        // A capacity cut announced after the booking cancels the departure; its cargo re-books.
        let cut = departureCapacity(s, k, knownAt: hour) <= 0
        let bookedTEU = services[s].loads[k].booked
        // A block train that continues runs whatever its load: it is already running.
        let minimum = services[s].loads[k].sealed ? 0 : services[s].minimumLoadTEU
        let underMinimum = bookedTEU + 1e-9 < minimum
            && hour - departure.firstBookingHour < options.maximumConsolidationHours
        // The line's record: of its departures with cargo that came due, how many ran.
        if minimum > 0 && !cut {
            services[s].runShare += ((underMinimum ? 0 : 1) - services[s].runShare) / Self.runShareMemory
        }
        if cut || underMinimum {
            // The whole departure is cancelled: a train, sailing or flight does not run.
            services[s].cancelled += 1
            services[s].waitingTEU -= bookedTEU
            record(.departureCancelled, hour, service: s, departure: k, teu: bookedTEU)
            services[s].departures[k] = nil
            services[s].loads[k] = DepartureLoad()
            for id in departure.shipments {
                if cut {
                    rebook(id, at: hour)
                } else {
                    // Not enough cargo: it waits for the line's next departure, which keeps the
                    // earliest booking hour (so a train waits at most the consolidation limit).
                    moveToNextDeparture(s, shipment: id, after: hour, from: departure.firstBookingHour)
                }
            }
            return
        }
        departure.scheduled = true
        departure.hasRun = true
        departure.carried = departure.shipments
        if departure.train < 0 {
            departure.train = nextTrain
            nextTrain += 1
        }
        if recordsTrains { trainsRun.append((s, k, departure.train, calendarHour(hour), departure.carried)) }
        let train = departure.train
        services[s].departures[k] = departure
        services[s].ran += 1
        services[s].waitingTEU -= bookedTEU
        collector.departureRan(service: service, index: s, hour: calendarHour(hour), teu: bookedTEU, train: train)
        for id in departure.shipments where !shipments[id].departed {
            shipments[id].departed = true
            collector.shipmentDeparted(lane: simulator.lanes[shipments[id].lane], corridor: routes[shipments[id].choice].corridor,
                                       teu: shipments[id].teu, hour: calendarHour(hour))
        }
        record(.departureRan, hour, service: s, departure: k, place: service.from, teu: bookedTEU)
        let factor = services[s].seasonalTransit[month(atHour: hour) - 1]
        let transit = random.logNormal(mean: service.transit.meanHours, p90: service.transit.p90Hours) * factor
        queue.schedule(.vehicleArrived(service: s, index: k), at: hour + transit)
    }

    /// Departures a line's ``ServiceState/runShare`` remembers (its exponential weight is 1 / this).
    static let runShareMemory = 10.0

    mutating func moveToNextDeparture(_ s: Int, shipment id: Int, after hour: Double, from firstBooking: Double) {
        let teu = shipments[id].teu
        if let k = book(s, ready: hour + 1e-6, teu: teu, shipment: id, now: hour) {
            let earliest = min(services[s].departures[k]?.firstBookingHour ?? .infinity, firstBooking)
            services[s].departures[k]?.firstBookingHour = earliest
            services[s].loads[k].firstBooking = earliest
        } else {
            strand(id, waitingFor: s, at: hour)
        }
    }

    mutating func vehicleArrived(_ s: Int, _ k: Int, at hour: Double) {
        let service = services[s].service
        let list = services[s].departures[k]?.carried ?? []
        let train = services[s].departures[k]?.train ?? -1
        services[s].departures[k] = nil
        record(.vehicleArrived, hour, service: s, departure: k, place: service.to)
        if let q = queueIndex[service.to], service.mode == .rail || service.mode == .inlandWater {
            let teu = list.reduce(0) { $0 + shipments[$1].teu }
            queues[q].waiting.append((hour, teu, list, false, train))
            queues[q].waitingUnits += vehicleUnits(q, teu: teu)
            collector.queueChanged(&queues[q], at: hour)
            record(.queueEntered, hour, service: s, departure: k, place: service.to, teu: teu)
            startService(q, at: hour)
        } else {
            unload(list, train: train, at: service.to, dwell: services[s].arrivalDwell, hour: hour)
        }
    }

    mutating func startService(_ q: Int, at hour: Double) {
        guard !queues[q].serving, !queues[q].waiting.isEmpty else { return }
        let throughput = queues[q].place.throughput!
        var start = hour
        // A closed crossing serves nothing until it reopens.
        while capacityFactor(queues[q].disruptions, at: start) <= 0 {
            let reopen = reopenHour(q, closedAt: start)
            guard reopen > start else { break }
            start = reopen
        }
        let factor = max(capacityFactor(queues[q].disruptions, at: start), 1e-6)
        // Throughput is a TEU rate: a vehicle of half a train's TEU takes half a train's slot
        // (cargo re-formed at a gauge change or a terminal can leave in a vehicle lighter than a train).
        var share = 1.0
        if let unit = throughput.teuPerUnit { share = min(1, max(0.05, queues[q].waiting[0].teu / unit)) }
        let serviceHours = 24 / (throughput.unitsPerDay * factor) * share
        queues[q].serving = true
        queue.schedule(.queueVehicleCleared(queue: q), at: start + serviceHours)
    }

    mutating func queueServed(_ q: Int, at hour: Double) {
        queues[q].serving = false
        guard !queues[q].waiting.isEmpty else { return }
        let vehicle = queues[q].waiting.removeFirst()
        queues[q].waitingUnits = max(0, queues[q].waitingUnits - vehicleUnits(q, teu: vehicle.teu))
        guard !vehicle.background else {
            collector.queueChanged(&queues[q], at: hour)
            startService(q, at: hour)
            return
        }
        let wait = hour - vehicle.arrival
        if calendarHour(hour) >= 0 { queues[q].waits.append(wait) }
        queues[q].delayTEUHours += wait * vehicle.teu
        collector.queueChanged(&queues[q], at: hour)
        record(.queueLeft, hour, place: queues[q].place.code, teu: vehicle.teu)
        for id in vehicle.shipments { releaseCrossingPlan(id, queue: q) }
        unload(vehicle.shipments, train: vehicle.train, at: queues[q].place.code, dwell: queues[q].place.dwell, hour: hour)
        startService(q, at: hour)
    }

    /// Schedules the next background vehicle at queue `q` after `hour`: a Poisson stream whose
    /// rate is the month's `vehiclesPerDay × byMonth` (thinned from the peak month's rate), drawn
    /// from the queue's own seeded stream; none after the simulated days.
    mutating func scheduleBackgroundArrival(_ q: Int, after hour: Double) {
        guard let background = queues[q].place.backgroundTraffic else { return }
        let peak = background.byMonth.max() ?? 1
        let peakRatePerHour = background.vehiclesPerDay * peak / 24
        guard peakRatePerHour > 0 else { return }
        var t = hour
        while true {
            t += queues[q].backgroundRandom.exponential(mean: 1 / peakRatePerHour)
            if t >= endHour { return }
            if queues[q].backgroundRandom.unit() * peak <= background.byMonth[month(atHour: t) - 1] { break }
        }
        queue.schedule(.backgroundVehicleArrived(queue: q), at: t)
    }

    /// A background vehicle joins queue `q`: one whole unit of the throughput (a train, a
    /// lockage), taking its slot in line with ours; it carries none of our cargo and is not logged.
    mutating func backgroundVehicleArrived(_ q: Int, at hour: Double) {
        scheduleBackgroundArrival(q, after: hour)
        let teu = queues[q].place.throughput?.teuPerUnit ?? 1
        queues[q].waiting.append((hour, teu, [], true, -1))
        queues[q].waitingUnits += vehicleUnits(q, teu: teu)
        queues[q].backgroundVehicles += 1
        collector.queueChanged(&queues[q], at: hour)
        startService(q, at: hour)
    }

    /// After a leg: handling and the place's dwell (`dwell`, the distribution at `place`), then the
    /// next leg (or delivery).
    mutating func transfer(_ id: Int, at place: PlaceCode, dwell: Dwell?, hour: Double) {
        let route = routes[shipments[id].path]
        let leg = shipments[id].leg
        var delay = route.fixedTransferHours[leg]
        if let dwell {
            delay += random.logNormal(mean: dwell.meanHours, p90: dwell.p90Hours) * dwellFactor(at: place, hour: hour)
        }
        shipments[id].leg += 1
        if shipments[id].leg >= route.services.count {
            queue.schedule(.shipmentDelivered(shipment: id), at: hour + delay + route.lastMileHours)
        } else {
            queue.schedule(.shipmentReleased(shipment: id), at: hour + delay)
        }
    }

    /// A vehicle's cargo leaves it at `place`. Where trains are not re-formed, the cargo going on
    /// by rail stays in its train: one block per next service (the largest keeps the train's
    /// identity; a block of another service is a train split off), with one dwell for the block.
    /// The rest transfers shipment by shipment (``transfer(_:at:dwell:hour:)``).
    mutating func unload(_ list: [Int], train: Int, at place: PlaceCode, dwell: Dwell?, hour: Double) {
        var groups: [(service: Int, shipments: [Int], teu: Double, fixedHours: Double)] = []
        for id in list {
            let route = routes[shipments[id].path], leg = shipments[id].leg
            guard leg + 1 < route.services.count, services[route.services[leg]].keepsTrainAtEnd,
                  services[route.services[leg + 1]].service.mode == .rail else {
                transfer(id, at: place, dwell: dwell, hour: hour)
                continue
            }
            let next = route.services[leg + 1]
            shipments[id].leg += 1
            if let g = groups.firstIndex(where: { $0.service == next }) {
                groups[g].shipments.append(id)
                groups[g].teu += shipments[id].teu
                groups[g].fixedHours = max(groups[g].fixedHours, route.fixedTransferHours[leg])
            } else {
                groups.append((next, [id], shipments[id].teu, route.fixedTransferHours[leg]))
            }
        }
        guard !groups.isEmpty else { return }
        let keeper = groups.indices.max { groups[$0].teu < groups[$1].teu || (groups[$0].teu == groups[$1].teu && $0 > $1) }!
        for (g, group) in groups.enumerated() {
            var delay = group.fixedHours
            if let dwell {
                delay += random.logNormal(mean: dwell.meanHours, p90: dwell.p90Hours) * dwellFactor(at: place, hour: hour)
            }
            blocks.append(Block(shipments: group.shipments, service: group.service, train: g == keeper ? train : -1))
            queue.schedule(.blockReleased(block: blocks.count - 1), at: hour + delay)
        }
    }

    /// A block train is ready to go on: its cargo whose route ahead is cut re-books on its own
    /// (``rebook(_:at:)``); the rest leaves on one departure of its next service.
    mutating func blockReleased(_ b: Int, at hour: Double) {
        var members = blocks[b].shipments
        blocks[b].shipments = []
        if !simulator.disruptions.isEmpty {
            // (A loop, not a filter: a closure capturing `self` in a mutating method copies the engine.)
            var going: [Int] = []
            for id in members {
                if remainingRouteIsCut(id, at: hour) { rebook(id, at: hour) } else { going.append(id) }
            }
            members = going
        }
        bookBlock(members, on: blocks[b].service, train: blocks[b].train, ready: hour, at: hour)
    }

    /// Books block train `members` (all at the same leg, whose service is `s`) as one unit: the
    /// first departure from `ready` that no cargo has booked, with room for the whole block after
    /// what others hold; it is sealed, so no other cargo boards, and it is train `train`. A
    /// block larger than a departure is split, in order, over the first empty departures (a part
    /// after the first is a new train); what fits no empty departure books alone (``book(_:ready:teu:shipment:now:)``).
    /// - Complexity: O(departures scanned + members).
    mutating func bookBlock(_ members: [Int], on s: Int, train: Int, ready: Double, at now: Double) {
        guard !members.isEmpty else { return }
        // The room held for this leg by the through bookings becomes the block's booking.
        for id in members { releaseHold(id, leg: shipments[id].leg) }
        let headway = services[s].headway
        let earliest = max(0, Int(((ready - services[s].phase) / headway).rounded(.up)))
        let firstHour = departureHour(s, earliest)
        var rest = members, train = train
        var k = max(earliest, services[s].firstOpen), scanned = 0
        while !rest.isEmpty && scanned < 5000 {
            defer { k += 1; scanned += 1 }
            let load = k < services[s].loads.count ? services[s].loads[k] : DepartureLoad()
            let capacity = departureCapacity(s, k, knownAt: now)
            guard !load.sealed, load.booked <= 1e-9, capacity > 1e-9 else { continue }
            var free = capacity - load.held
            var plugs = services[s].reeferTEUPerDeparture ?? .infinity
            let teu = rest.reduce(0.0) { $0 + shipments[$1].teu }
            let reeferTEU = rest.reduce(0.0) { $0 + (isReefer($1) ? shipments[$1].teu : 0) }
            // A block an empty departure could carry waits for one with room for all of it.
            if teu <= capacity + 1e-9 && reeferTEU <= plugs + 1e-9 && (teu > free + 1e-9 || reeferTEU > plugs + 1e-9) { continue }
            var aboard: [Int] = [], left: [Int] = []
            for id in rest {
                let t = shipments[id].teu, reefer = isReefer(id)
                if t <= free + 1e-9 && (!reefer || t <= plugs + 1e-9) {
                    aboard.append(id)
                    free -= t
                    if reefer { plugs -= t }
                } else {
                    left.append(id)
                }
            }
            guard !aboard.isEmpty else { continue }
            seal(s, k, carrying: aboard, train: train, ready: ready, firstHour: firstHour, capacity: capacity)
            rest = left
            train = -1
        }
        for id in rest where book(s, ready: ready, teu: shipments[id].teu, shipment: id, now: now) == nil {
            strand(id, waitingFor: s, at: now)
        }
    }

    /// Which services shipment `id` rides on in one train after its current leg: the legs beyond
    /// places that do not re-form trains, as one number (0: none, it is re-formed at the leg's end).
    func trainRun(of id: Int) -> Int {
        let route = routes[shipments[id].path]
        var leg = shipments[id].leg, run = 0
        while leg + 1 < route.services.count, services[route.services[leg]].keepsTrainAtEnd,
              services[route.services[leg + 1]].service.mode == .rail {
            leg += 1
            run = run &* 1_000_003 &+ (route.services[leg] + 1)
        }
        return run
    }

    /// Departure `k` of `s` takes block train `members` whole and is sealed (``DepartureLoad/sealed``).
    mutating func seal(_ s: Int, _ k: Int, carrying members: [Int], train: Int, ready: Double, firstHour: Double,
                       capacity: Double) {
        grow(s, to: k)
        let hour = departureHour(s, k)
        var departure = services[s].departures[k].take() ?? DepartureState()
        let teu = members.reduce(0.0) { $0 + shipments[$1].teu }
        let reeferTEU = members.reduce(0.0) { $0 + (isReefer($1) ? shipments[$1].teu : 0) }
        departure.shipments += members
        departure.train = train
        departure.firstBookingHour = min(departure.firstBookingHour, ready)
        services[s].loads[k].booked += teu
        services[s].loads[k].reefer += reeferTEU
        services[s].loads[k].sealed = true
        services[s].loads[k].firstBooking = departure.firstBookingHour
        services[s].waitingTEU += teu
        services[s].delayTEUHours += teu * (hour - firstHour)
        if !departure.scheduled && hour <= drainEndHour {
            departure.scheduled = true
            queue.schedule(.departureHourReached(service: s, index: k), at: hour)
        }
        assert(services[s].loads[k].booked <= capacity + 1e-6, "a departure booked above its capacity")
        services[s].departures[k] = consume departure
        if k == services[s].firstOpen { services[s].firstOpen = k + 1 }
    }

    /// Cargo ready for its next leg books it; if the rest of its route is cut (a capacity cut on
    /// a service ahead, a closed border or lock), it is re-booked on the best remaining alternative.
    mutating func released(_ id: Int, at hour: Double) {
        if !simulator.disruptions.isEmpty && remainingRouteIsCut(id, at: hour) {
            rebook(id, at: hour)
        } else {
            bookNextLeg(id, ready: hour, at: hour, reroutingWhenFull: true)
        }
    }

    mutating func delivered(_ id: Int, at hour: Double) {
        shipments[id].delivered = true
        let shipment = shipments[id]
        let lane = simulator.lanes[shipment.lane]
        collector.delivered(lane: lane, path: routes[shipment.choice], teu: shipment.teu,
                            hours: hour - shipment.arrivalHour, onTime: hour <= shipment.dueHour + 1e-9,
                            hour: calendarHour(hour))
        record(.shipmentDelivered, hour, shipment: id, place: lane.destination, teu: shipment.teu)
    }
}

