import Routing
import Foundation
import NetworkData

/// A lane's alternative route, reduced to what the simulator moves: service legs and the fixed
/// hours around them.
struct PlannedPath {
    /// Service indices in order.
    var services: [Int]
    /// Places where each service leg ends.
    var stops: [PlaceCode]
    /// Fixed hours after each leg before the next (handling, connection, gauge change), without
    /// the place's dwell distribution, which is sampled.
    var fixedTransferHours: [Double]
    var firstMileHours: Double
    var lastMileHours: Double
    /// Planned door-to-door hours (means).
    var plannedHours: Double
    /// Offset of each leg's departure from the shipment's arrival, by the plan.
    var legOffsets: [Double]
    var costUSDPerTEU: Double
    var co2eKgPerTEU: Double
    /// Every leg of the route, access legs included (for the scenario export).
    var legs: [RouteLeg]
    var modeCount: Int
    var passes: Set<PlaceCode>
    /// Queue indices of the stops that have a queue, in order (saves a lookup per stop and arrival).
    var stopQueues: [Int] = []
}

struct SimulationEngine {
    let simulator: Simulator
    var network: Network { simulator.network }
    var options: SimulationOptions { simulator.options }
    let endHour: Double

    /// What the engine schedules, each named as the fact it is when taken from the queue.
    enum Event: ScheduledEvent {
        /// A shipment of lane `lane` appeared at its origin (a demand arrival).
        case shipmentArrived(lane: Int)
        /// Departure `index` of service `service` reached its timetabled hour: it runs, or is
        /// cancelled below its minimum load.
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
        /// A shipment reached its destination, after the last mile.
        case shipmentDelivered(shipment: Int)

        /// The rank of this event among events at the same hour.
        var priority: EventPriority {
            switch self {
            case .queueVehicleCleared: .clearQueue
            case .vehicleArrived, .shipmentDelivered, .backgroundVehicleArrived: .endLeg
            case .departureHourReached: .runDeparture
            case .shipmentReleased: .bookNextLeg
            case .shipmentArrived: .admitShipment
            }
        }
    }

    /// How events at the same hour are ordered, first to last. The raw values are the ranks the
    /// event queue compares (and those of every earlier release, so event logs stay the same).
    enum EventPriority: Int, Comparable, Sendable {
        /// A queue frees its slot before vehicles arriving at the same hour join it.
        case clearQueue = 0
        /// Vehicles unload and shipments are delivered before anything departs at that hour.
        case endLeg = 1
        /// Departures run (or are cancelled) before cargo released at that hour books.
        case runDeparture = 2
        /// Cargo ready for its next leg books before new shipments at that hour.
        case bookNextLeg = 3
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
        /// Reefer TEU one departure can power: 2 TEU per plug (a plug per 40-ft reefer); nil = no limit.
        var reeferTEUPerDeparture: Double?
        /// Dwell distribution at `service.to` (looked up once, not per shipment).
        var arrivalDwell: Dwell?
        /// No departure before this index has room (they only fill up), so bookings start here.
        var firstOpen = 0
        var ran = 0
        var cancelled = 0
        var delayTEUHours = 0.0
    }

    struct DepartureState {
        var bookedTEU = 0.0
        var shipments: [Int] = []
        var scheduled = false
        /// Set when the departure runs; from then on its cargo is `carried`.
        var hasRun = false
        var firstBookingHour = Double.infinity
        /// Reefer TEU booked (each 2 TEU of reefer cargo takes one plug).
        var reeferTEU = 0.0
        /// The shipments aboard, fixed when the departure runs.
        var carried: [Int] = []
    }

    struct ShipmentState {
        var lane: Int
        var teu: Double
        var arrivalHour: Double
        var path: Int
        var leg = 0
        var dueHour: Double
        var delivered = false
        /// No departure could be booked for the next leg (see ``SimulationEngine/strand(_:waitingFor:at:)``).
        var stranded = false
    }

    struct QueueState {
        var place: Place
        /// Vehicles in line; `background` ones carry none of our cargo and are left out of `waits`.
        var waiting: [(arrival: Double, teu: Double, shipments: [Int], background: Bool)] = []
        var busyUntil = 0.0
        var serving = false
        var disruptions: [Disruption]
        /// Its own stream for background arrivals, from the run's seed and the queue's index, so
        /// adding background traffic does not shift the draws of our demand, transits and dwells.
        var backgroundRandom: SplitMix64
        var backgroundVehicles = 0
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
    var paths: [[PlannedPath]] = []
    var shipments: [ShipmentState] = []
    var queues: [QueueState] = []
    var queueIndex: [PlaceCode: Int] = [:]
    /// The router's expected wait for a shared slot at each place with background traffic
    /// (``SharedQueue``); the queue simulates it, so paths do not add it as fixed time.
    var expectedQueueWait: [PlaceCode: Double] = [:]
    var log: [SimulationEvent] = []
    var collector: SimulationCollector
    /// The event taken when the run stopped past its horizon, never handled (its cargo is still in flight).
    var unhandledEvent: Event?

    init(simulator: Simulator) {
        self.simulator = simulator
        endHour = Double(simulator.options.days) * 24
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
                reeferTEUPerDeparture: capacity.reeferTEUPerDeparture,
                arrivalDwell: simulator.network.place(service.to)?.dwell))
            serviceIndex[service.id] = i
        }
        for place in simulator.network.places where place.throughput != nil {
            let q = queues.count
            queueIndex[place.code] = q
            queues.append(QueueState(place: place, disruptions: simulator.disruptions.filter {
                if case .place(let code) = $0.target { return code == place.code }
                return false
            }, backgroundRandom: SplitMix64(seed: simulator.options.seed ^ (UInt64(q + 1) &* 0xD1B5_4A32_D192_ED03))))
            if place.backgroundTraffic != nil {
                expectedQueueWait[place.code] = SharedQueue.expectedWaitHours(at: place)
            }
        }
    }

    // MARK: Routes

    mutating func planPaths() {
        let router = Router(network: network)
        paths = simulator.lanes.map { lane in
            // Alternatives ranked by price, or by generalised cost when a carbon price or a
            // value of time is set.
            let priced = options.carbonPriceUSDPerTonne > 0 || options.valueOfTimeUSDPerTEUHour > 0
            let objective: Objective = priced ? .balanced : .cost
            let query = RouteQuery(origin: lane.origin, destination: lane.destination, teu: 1, tonnes: lane.tonnesPerTEU,
                                   cargo: lane.cargo, objective: objective,
                                   valueOfTimeUSDPerTEUHour: options.valueOfTimeUSDPerTEUHour,
                                   carbonPriceUSDPerTonne: options.carbonPriceUSDPerTonne)
            return router.bestRoutes(for: query, count: options.alternatives, allowedModes: Simulator.modes(for: lane.corridor),
                                     examinationLimit: options.alternatives * 20).map(plannedPath)
        }
    }

    func plannedPath(_ route: Route) -> PlannedPath {
        var path = PlannedPath(services: [], stops: [], fixedTransferHours: [], firstMileHours: 0, lastMileHours: 0,
                               plannedHours: route.transitHours, legOffsets: [], costUSDPerTEU: route.costUSD,
                               co2eKgPerTEU: route.co2eKg, legs: route.legs, modeCount: Set(route.legs.map(\.mode)).count,
                               passes: [])
        for leg in route.legs {
            if leg.service.hasPrefix("firstMile:") {
                path.firstMileHours = leg.transitHours + leg.dwellHours
                continue
            }
            if leg.service.hasPrefix("lastMile:") {
                path.lastMileHours = leg.transitHours
                continue
            }
            guard let index = serviceIndex[ServiceID(leg.service)] else { continue }
            path.services.append(index)
            path.stops.append(leg.to)
            path.passes.insert(leg.to)
            if let q = queueIndex[leg.to] { path.stopQueues.append(q) }
            let place = network.place(leg.to)
            let dwellMean = place?.dwell?.meanHours ?? 0
            // The router's expected queue wait is simulated here (the queue itself), so it is not fixed time.
            let queued = leg.mode == .rail || leg.mode == .inlandWater
            let queueWait = queued ? expectedQueueWait[leg.to] ?? 0 : 0
            path.fixedTransferHours.append(max(0, leg.dwellHours - dwellMean - queueWait))
            path.legOffsets.append(leg.departureHour)
        }
        return path
    }

    // MARK: Capacity and disruptions

    func capacityFactor(_ disruptions: [Disruption], at hour: Double) -> Double {
        ServiceCapacity.disruptionFactor(inForce: disruptions, atHour: hour)
    }

    func dwellFactor(at place: PlaceCode, hour: Double) -> Double {
        simulator.disruptions.reduce(1.0) { factor, d in
            if case .place(let code) = d.target, code == place, d.isActive(atHour: hour) { return max(factor, d.dwellFactor) }
            return factor
        }
    }

    /// TEU departure capacity of `s` at `hour`: per departure × season × disruption, the
    /// ``ServiceCapacity`` rule, from the tables the model filled at start.
    func departureCapacity(_ s: Int, at hour: Double) -> Double {
        let month = month(atHour: hour)
        let base = services[s].capacityTEU * services[s].seasonalCapacity[month - 1]
        return services[s].disruptions.isEmpty ? base : base * capacityFactor(services[s].disruptions, at: hour)
    }

    /// Month (1–12) of an hour of the simulated year (non-leap calendar, 1 January = day 0).
    func month(atHour hour: Double) -> Int {
        let day = min(max(0, Int(hour / 24)), Self.monthOfDay.count - 1)
        return Self.monthOfDay[day]
    }

    static let monthOfDay: [Int] = {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var out: [Int] = []
        for _ in 0..<3 { for (m, n) in lengths.enumerated() { out += Array(repeating: m + 1, count: n) } }
        return out
    }()

    /// Booked TEU of departure `k` of service `s`.
    func bookedTEU(_ s: Int, _ k: Int) -> Double {
        k < services[s].departures.count ? services[s].departures[k]?.bookedTEU ?? 0 : 0
    }

    /// Room on departure `k` of `s` at `hour` for general cargo, or for reefers (also limited by plugs).
    func room(_ s: Int, _ k: Int, at hour: Double, reefer: Bool) -> Double {
        let general = departureCapacity(s, at: hour) - bookedTEU(s, k)
        guard reefer, let plugs = services[s].reeferTEUPerDeparture else { return general }
        let reeferBooked = k < services[s].departures.count ? services[s].departures[k]?.reeferTEU ?? 0 : 0
        return min(general, plugs - reeferBooked)
    }

    func isReefer(_ shipment: Int) -> Bool { simulator.lanes[shipments[shipment].lane].cargo == .reefer }

    /// Books `teu` on service `s` from `ready` on, filling the earliest departures with room;
    /// returns the departure that carries the last part.
    mutating func book(_ s: Int, ready: Double, teu: Double, shipment: Int) -> Int? {
        let reefer = isReefer(shipment)
        let headway = services[s].headway
        let earliest = max(0, Int(((ready - services[s].phase) / headway).rounded(.up)))
        let firstHour = services[s].phase + Double(earliest) * headway
        var k = max(earliest, services[s].firstOpen)
        var remaining = teu
        for _ in 0..<5000 {
            let hour = services[s].phase + Double(k) * headway
            let capacity = departureCapacity(s, at: hour)
            let booked = bookedTEU(s, k)
            if capacity - booked <= 1e-9 && k == services[s].firstOpen && capacity > 0 { services[s].firstOpen = k + 1 }
            let free = room(s, k, at: hour, reefer: reefer)
            if free > 1e-9 {
                let take = min(free, remaining)
                if k >= services[s].departures.count {
                    services[s].departures.append(contentsOf: repeatElement(nil, count: k + 1 - services[s].departures.count))
                }
                var departure = services[s].departures[k].take() ?? DepartureState()
                departure.bookedTEU += take
                if reefer { departure.reeferTEU += take }
                departure.firstBookingHour = min(departure.firstBookingHour, ready)
                remaining -= take
                services[s].delayTEUHours += take * (hour - firstHour)
                if remaining <= 1e-9 { departure.shipments.append(shipment) }
                if !departure.scheduled && hour < endHour {
                    departure.scheduled = true
                    queue.schedule(.departureHourReached(service: s, index: k), at: hour)
                }
                assert(departure.bookedTEU <= capacity + 1e-6, "a departure booked above its capacity")
                assert(!reefer || services[s].reeferTEUPerDeparture.map { departure.reeferTEU <= $0 + 1e-6 } ?? true,
                       "a departure booked above its reefer plugs")
                let full = departure.bookedTEU >= capacity - 1e-9
                services[s].departures[k] = consume departure
                if full && k == services[s].firstOpen { services[s].firstOpen = k + 1 }
                if remaining <= 1e-9 { return k }
            }
            k += 1
        }
        return nil
    }

    /// The hour of the departure of `s` that would carry the last part of `teu` booked from `ready`.
    func hourWhenBooked(_ s: Int, ready: Double, teu: Double, reefer: Bool) -> Double {
        let headway = services[s].headway
        var k = max(services[s].firstOpen, Int(((ready - services[s].phase) / headway).rounded(.up)))
        var remaining = teu
        for _ in 0..<400 {
            let hour = services[s].phase + Double(k) * headway
            remaining -= max(0, room(s, k, at: hour, reefer: reefer))
            if remaining <= 1e-9 { return hour }
            k += 1
        }
        return .infinity
    }

    // MARK: Run

    mutating func run() -> SimulationResult {
        planPaths()
        for (l, lane) in simulator.lanes.enumerated() where !paths[l].isEmpty && lane.teuPerYear > 0 {
            scheduleNextArrival(lane: l, after: 0)
        }
        for q in queues.indices where queues[q].place.backgroundTraffic != nil { scheduleBackgroundArrival(q, after: 0) }
        while let (hour, event) = queue.next() {
            guard hour <= endHour + 24 * 120 else {
                unhandledEvent = event
                break
            }
            switch event {
            case .shipmentArrived(let l): shipmentArrived(lane: l, at: hour)
            case .departureHourReached(let s, let k): departureDue(s, k, at: hour)
            case .vehicleArrived(let s, let k): vehicleArrived(s, k, at: hour)
            case .queueVehicleCleared(let q): queueServed(q, at: hour)
            case .backgroundVehicleArrived(let q): backgroundVehicleArrived(q, at: hour)
            case .shipmentReleased(let id): released(id, at: hour)
            case .shipmentDelivered(let id): delivered(id, at: hour)
            }
        }
        let balance = teuBalance()
        assert(balance.isBalanced(), "TEU not conserved: \(balance)")
        return collector.result(engine: self, balance: balance)
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
            case .shipmentArrived, .departureHourReached, .vehicleArrived, .queueVehicleCleared, .backgroundVehicleArrived: break
            }
        }
        return balance
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
        log.append(SimulationEvent(hour: (hour * 1000).rounded() / 1000, kind: kind, shipment: shipment,
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

    mutating func shipmentArrived(lane l: Int, at hour: Double) {
        scheduleNextArrival(lane: l, after: hour)
        let lane = simulator.lanes[l]
        var teu = lane.shipmentTEU * (0.5 + random.unit())
        if lane.corridor != .air { teu = max(1, teu.rounded()) }
        // Rolling horizon: the cheapest alternative that is open along its planned times and
        // whose first service has room soon enough; else the cheapest.
        var chosen = -1
        var fallback = 0, fallbackDelay = Double.infinity
        for (p, path) in paths[l].enumerated() {
            guard let first = path.services.first else { chosen = p; break }
            let ready = hour + path.firstMileHours
            let delay = hourWhenBooked(first, ready: ready, teu: teu, reefer: lane.cargo == .reefer) - ready
            if delay < fallbackDelay { fallback = p; fallbackDelay = delay }
            // (Stops without a queue pass both checks, so only `stopQueues` are looked at.)
            let open = zip(path.services, path.legOffsets).allSatisfy { s, offset in
                departureCapacity(s, at: hour + offset) > 1e-9
                    && !(path.stopQueues.contains { q in capacityFactor(queues[q].disruptions, at: hour + offset) <= 0 })
            } && path.stopQueues.allSatisfy { q in
                // A border or lock whose queue already holds more than the delay a planner accepts is avoided.
                backlogHours(q) <= options.maximumBookingDelayHours
            }
            if open && delay <= options.maximumBookingDelayHours {
                chosen = p
                break
            }
        }
        // Nothing acceptable: the alternative that can take the whole shipment soonest.
        if chosen < 0 { chosen = fallback }
        let path = paths[l][chosen]
        let id = shipments.count
        shipments.append(ShipmentState(lane: l, teu: teu, arrivalHour: hour, path: chosen,
                                       dueHour: hour + path.plannedHours * options.onTimeSlack))
        collector.shipmentArrived(lane: lane, teu: teu, path: path)
        record(.shipmentArrived, hour, shipment: id, place: lane.origin, teu: teu)
        guard let first = path.services.first else {
            queue.schedule(.shipmentDelivered(shipment: id), at: hour + path.firstMileHours + path.lastMileHours)
            return
        }
        if book(first, ready: hour + path.firstMileHours, teu: teu, shipment: id) == nil { strand(id, waitingFor: first, at: hour) }
    }

    /// Hours the vehicles waiting at queue `q` take to clear at its normal throughput.
    func backlogHours(_ q: Int) -> Double {
        guard let throughput = queues[q].place.throughput else { return 0 }
        var trains = 0.0
        for vehicle in queues[q].waiting {
            if let unit = throughput.teuPerUnit { trains += min(1, vehicle.teu / unit) } else { trains += 1 }
        }
        return trains * 24 / throughput.unitsPerDay
    }

    mutating func departureDue(_ s: Int, _ k: Int, at hour: Double) {
        guard k < services[s].departures.count, var departure = services[s].departures[k] else { return }
        let service = services[s].service
        if let minimum = service.minimumLoadTEU, departure.bookedTEU + 1e-9 < minimum,
           hour - departure.firstBookingHour < options.maximumConsolidationHours {
            // Not enough cargo: the train does not run; its cargo moves to the next departure.
            services[s].cancelled += 1
            record(.departureCancelled, hour, service: s, departure: k, teu: departure.bookedTEU)
            services[s].departures[k] = nil
            let carried = departure.shipments
            for id in carried { moveToNextDeparture(s, shipment: id, after: hour, from: departure.firstBookingHour) }
            return
        }
        departure.scheduled = true
        departure.hasRun = true
        departure.carried = departure.shipments
        services[s].departures[k] = departure
        services[s].ran += 1
        collector.departureRan(service: service, index: s, hour: hour, teu: departure.bookedTEU)
        for id in departure.shipments where shipments[id].leg == 0 {
            collector.shipmentDeparted(lane: simulator.lanes[shipments[id].lane], teu: shipments[id].teu, hour: hour)
        }
        record(.departureRan, hour, service: s, departure: k, place: service.from, teu: departure.bookedTEU)
        let factor = services[s].seasonalTransit[month(atHour: hour) - 1]
        let transit = random.logNormal(mean: service.transit.meanHours, p90: service.transit.p90Hours) * factor
        queue.schedule(.vehicleArrived(service: s, index: k), at: hour + transit)
    }

    mutating func moveToNextDeparture(_ s: Int, shipment id: Int, after hour: Double, from firstBooking: Double) {
        let teu = shipments[id].teu
        if let k = book(s, ready: hour + 1e-6, teu: teu, shipment: id) {
            let earliest = min(services[s].departures[k]?.firstBookingHour ?? .infinity, firstBooking)
            services[s].departures[k]?.firstBookingHour = earliest
        } else {
            strand(id, waitingFor: s, at: hour)
        }
    }

    mutating func vehicleArrived(_ s: Int, _ k: Int, at hour: Double) {
        let service = services[s].service
        let list = services[s].departures[k]?.carried ?? []
        services[s].departures[k] = nil
        record(.vehicleArrived, hour, service: s, departure: k, place: service.to)
        if let q = queueIndex[service.to], service.mode == .rail || service.mode == .inlandWater {
            let teu = list.reduce(0) { $0 + shipments[$1].teu }
            queues[q].waiting.append((hour, teu, list, false))
            collector.queueChanged(&queues[q], at: hour)
            record(.queueEntered, hour, service: s, departure: k, place: service.to, teu: teu)
            startService(q, at: hour)
        } else {
            for id in list { transfer(id, at: service.to, dwell: services[s].arrivalDwell, hour: hour) }
        }
    }

    mutating func startService(_ q: Int, at hour: Double) {
        guard !queues[q].serving, !queues[q].waiting.isEmpty else { return }
        let throughput = queues[q].place.throughput!
        var start = hour
        // A closed crossing serves nothing until it reopens.
        while capacityFactor(queues[q].disruptions, at: start) <= 0 {
            let reopen = queues[q].disruptions.filter { $0.isActive(atHour: start) && $0.capacityFactor <= 0 }.map { $0.toDay * 24 }.max() ?? start
            guard reopen > start else { break }
            start = reopen
        }
        let factor = max(capacityFactor(queues[q].disruptions, at: start), 1e-6)
        // Throughput is a TEU rate: a vehicle of half a train's TEU takes half a train's slot
        // (single-hop services re-form trains at every place, so vehicles are not whole trains).
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
        guard !vehicle.background else {
            collector.queueChanged(&queues[q], at: hour)
            startService(q, at: hour)
            return
        }
        let wait = hour - vehicle.arrival
        queues[q].waits.append(wait)
        queues[q].delayTEUHours += wait * vehicle.teu
        collector.queueChanged(&queues[q], at: hour)
        record(.queueLeft, hour, place: queues[q].place.code, teu: vehicle.teu)
        for id in vehicle.shipments { transfer(id, at: queues[q].place.code, dwell: queues[q].place.dwell, hour: hour) }
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
        queues[q].waiting.append((hour, teu, [], true))
        queues[q].backgroundVehicles += 1
        collector.queueChanged(&queues[q], at: hour)
        startService(q, at: hour)
    }

    /// After a leg: handling and the place's dwell (`dwell`, the distribution at `place`), then the
    /// next leg (or delivery).
    mutating func transfer(_ id: Int, at place: PlaceCode, dwell: Dwell?, hour: Double) {
        let l = shipments[id].lane, p = shipments[id].path
        let leg = shipments[id].leg
        var delay = paths[l][p].fixedTransferHours[leg]
        if let dwell {
            delay += random.logNormal(mean: dwell.meanHours, p90: dwell.p90Hours) * dwellFactor(at: place, hour: hour)
        }
        shipments[id].leg += 1
        if shipments[id].leg >= paths[l][p].services.count {
            queue.schedule(.shipmentDelivered(shipment: id), at: hour + delay + paths[l][p].lastMileHours)
        } else {
            queue.schedule(.shipmentReleased(shipment: id), at: hour + delay)
        }
    }

    mutating func released(_ id: Int, at hour: Double) {
        let service = paths[shipments[id].lane][shipments[id].path].services[shipments[id].leg]
        if book(service, ready: hour, teu: shipments[id].teu, shipment: id) == nil { strand(id, waitingFor: service, at: hour) }
    }

    mutating func delivered(_ id: Int, at hour: Double) {
        shipments[id].delivered = true
        let shipment = shipments[id]
        let lane = simulator.lanes[shipment.lane]
        collector.delivered(lane: lane, path: paths[shipment.lane][shipment.path], teu: shipment.teu,
                            hours: hour - shipment.arrivalHour, onTime: hour <= shipment.dueHour + 1e-9, hour: hour)
        record(.shipmentDelivered, hour, shipment: id, place: lane.destination, teu: shipment.teu)
    }
}
