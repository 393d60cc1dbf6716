import Routing
import Foundation
import NetworkData
import Markup

/// A plan target checked against a run: value, target and whether it is met. A target whose
/// KPI had nothing to measure has no value (JSON null), `measured` false and the `reason`.
public struct TargetCheck: Sendable, Codable, Hashable {
    public var name: String
    public var description: String
    public var target: Double
    /// The value compared with `target`; nil when the run measured nothing for it.
    public var value: Double?
    /// Whether the run measured the KPI at all; a target not measured is not met.
    public var measured: Bool
    /// Why nothing was measured (`measured` false), e.g. "no hub–TH shipment took a route through LA".
    public var reason: String?
    public var met: Bool
    /// `atLeast` or `atMost`.
    public var comparison: String
    public var note: String?
    /// For a measured target that is missed: what binds it in the run (the most delayed resources
    /// of its corridor, the demand mix, or the timetable's best), so a planner knows what to change.
    public var binds: String?

    public init(name: String, description: String, target: Double, value: Double?, reason: String? = nil, met: Bool,
                comparison: String, note: String? = nil, binds: String? = nil) {
        self.name = name
        self.description = description
        self.target = target
        self.value = value
        self.measured = value != nil
        self.reason = value == nil ? reason : nil
        self.met = value != nil && met
        self.comparison = comparison
        self.note = note
        self.binds = value != nil && !self.met ? binds : nil
    }

    enum CodingKeys: String, CodingKey { case name, description, target, value, measured, reason, met, comparison, note, binds }

    /// Writes `value` as null when not measured (never omitted, never 0).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(target, forKey: .target)
        try container.encode(value, forKey: .value)
        try container.encode(measured, forKey: .measured)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encode(met, forKey: .met)
        try container.encode(comparison, forKey: .comparison)
        try container.encodeIfPresent(note, forKey: .note)
        try container.encodeIfPresent(binds, forKey: .binds)
    }
}

/// An international route of the hub airport and whether it operated (docs/targets.md).
public struct AirRouteStatus: Sendable, Codable, Hashable {
    /// The place code of the airport abroad.
    public var destination: String
    /// `freighter` (counted by its load) or `passenger` (counted as timetabled, an input).
    public var kind: String
    /// Full weeks in which the route's flights, both directions, reached the minimum load factor
    /// (freighters), or in which it offered flights at all (passenger routes).
    public var weeksOperating: Int
    /// Full weeks of the run.
    public var weeks: Int
    /// Carried ÷ offered TEU over the run, both directions.
    public var loadFactor: Double
    /// Whether the route counts as operating (freighters) or timetabled (passenger routes).
    public var counted: Bool
}

/// Queue statistics of a border crossing, gauge-change station or lock.
public struct QueueStatistics: Sendable, Codable, Hashable {
    public var place: String
    public var name: String
    public var vehicles: Int
    public var meanWaitHours: Double
    public var p90WaitHours: Double
    public var maxWaitHours: Double
    public var meanQueueLength: Double
    public var maxQueueLength: Int
    /// Queue length at the end of each day.
    public var dailyLength: [Int]
}

/// Use of one service in one week.
public struct ServiceWeek: Sendable, Codable, Hashable {
    public var service: String
    public var week: Int
    public var departures: Int
    public var teu: Double
    public var capacityTEU: Double
}

/// Where the TEU that entered a run are when it ends: delivered, still moving, or stranded.
public struct TEUBalance: Sendable, Hashable, Codable {
    /// TEU of every shipment that arrived (entered the simulation).
    public var arrivedTEU: Double
    /// TEU delivered, also after the simulated weeks (the `deliveredTEU` KPI counts only those within).
    public var deliveredTEU: Double
    /// TEU found booked on a departure, aboard a vehicle, in a queue or between legs at the end.
    public var inFlightTEU: Double
    /// TEU of shipments no departure could be booked for (`shipmentStranded` events).
    public var strandedTEU: Double

    public init(arrivedTEU: Double, deliveredTEU: Double, inFlightTEU: Double, strandedTEU: Double) {
        self.arrivedTEU = arrivedTEU
        self.deliveredTEU = deliveredTEU
        self.inFlightTEU = inFlightTEU
        self.strandedTEU = strandedTEU
    }

    /// Arrived − (delivered + in flight + stranded): zero when no TEU was lost or counted twice.
    public var unaccountedTEU: Double { arrivedTEU - (deliveredTEU + inFlightTEU + strandedTEU) }

    /// Whether arrived = delivered + in flight + stranded within `relativeTolerance` of the arrived TEU.
    public func isBalanced(relativeTolerance: Double = 1e-6) -> Bool {
        abs(unaccountedTEU) <= relativeTolerance * max(1, arrivedTEU)
    }
}

/// What a run produced: targets, KPIs, and the detail behind them.
public struct SimulationResult: Sendable {
    public var targets: [TargetCheck]
    /// Named key figures that were measured (`chinaEuropeTrains`, `ckgInternationalRoutes`, …).
    public var kpis: [String: Double]
    /// Key figures the run had nothing to measure for, with the reason (never a 0 in `kpis`).
    public var unmeasuredKPIs: [String: String]
    /// The hub airport's international routes and whether each operated.
    public var airRoutes: [AirRouteStatus]
    /// China-Europe trains run per week, by corridor route (the first border crossed).
    public var trainsPerWeek: [String: [Int]]
    public var queues: [QueueStatistics]
    public var utilisation: [ServiceWeek]
    /// USD and kg CO2e per TEU delivered, by corridor.
    public var costPerTEU: [String: Double]
    public var co2PerTEU: [String: Double]
    /// Door-to-door days of the shipments delivered in the counted year, by corridor.
    public var doorToDoorDays: [String: DoorToDoorDays]
    /// The resource whose relief most raises throughput (largest TEU-hours of delay caused).
    public var bottleneck: String
    public var bottleneckDelayTEUHours: Double
    /// The five resources that delayed cargo most, with TEU-hours of delay.
    public var bottlenecks: [(name: String, delayTEUHours: Double)]
    public var events: [SimulationEvent]
    public var shipments: Int
    public var eventCount: Int
    /// Arrived, delivered, in-flight and stranded TEU at the end of the run.
    public var teuBalance: TEUBalance
    /// Cargo waiting for departures and in queues at the start and end of the counted year.
    public var backlog: BacklogReport
    /// TEU of shipments that could not be booked onto a leg and left the network.
    public var strandedTEU: Double { teuBalance.strandedTEU }
}

/// Door-to-door days of the shipments one corridor delivered: arrival at the origin to delivery.
public struct DoorToDoorDays: Sendable, Codable, Hashable {
    public var mean: Double
    public var p90: Double
    public var shipments: Int

    public init(mean: Double, p90: Double, shipments: Int) {
        self.mean = mean
        self.p90 = p90
        self.shipments = shipments
    }
}

/// Gathers statistics while the engine runs.
struct SimulationCollector {
    /// Behind a reference (the collector is part of the engine, which is copied bitwise).
    final class NetworkReference: Sendable {
        let network: Network
        init(_ network: Network) { self.network = network }
    }
    let networkReference: NetworkReference
    var network: Network { _read { yield networkReference.network } }
    let weeks: Int
    /// The network hub's places (its cities and their terminals), for China-Europe train counts.
    let hubs: Set<PlaceCode>
    var trainsByRoute: [String: [Int]] = [:]
    var chinaEuropeTrains = 0
    /// The trains counted in `chinaEuropeTrains`, so a block train that runs on through a place
    /// that does not re-form it is counted once.
    var countedTrains = Set<Int>()
    var serviceWeeks: [Int: [Int: (departures: Int, teu: Double)]] = [:]
    var deliveredTEU: [Corridor: Double] = [:]
    var costUSD: [Corridor: Double] = [:]
    var co2Kg: [Corridor: Double] = [:]
    var landSeaTEU = 0.0
    var landSeaTransitTEU = 0.0
    var hubMultimodalTEU = 0.0
    var delivered = 0
    var onTime = 0
    var multimodalConsignments = 0
    var laosThailandDays: [Double] = []
    var laosThailandCostUSDPerTEU: [Double] = []
    /// Door-to-door hours of every shipment delivered in the counted year, by its route's corridor.
    var hoursByCorridor: [Corridor: [Double]] = [:]
    /// Hub → timed-journey-country shipments delivered by a route that does not pass the through country.
    var journeyByOtherRoutes = 0
    var arrived = 0
    var strandedTEU = 0.0
    var rerouted = 0
    /// Waiting TEU per service and per queue at the start of the counted year, and the latest measure.
    var backlogAtStart: (services: [Double], queues: [Double])?
    var backlogLatest: (services: [Double], queues: [Double])?
    var weeklyBacklogTEU: [Double] = []

    init(network: Network, weeks: Int) {
        networkReference = NetworkReference(network)
        self.weeks = weeks
        hubs = network.hubPlaces()
    }

    /// Counts shipments that arrive in the counted year (`hour`: calendar hours from 1 January).
    mutating func shipmentArrived(hour: Double) {
        if hour >= 0 && hour < Double(weeks) * 168 { arrived += 1 }
    }

    mutating func shipmentRerouted() { rerouted += 1 }

    /// The TEU waiting for each service and in each queue at the start of week `week`.
    mutating func backlogMeasured(week: Int, services: [Double], queues: [Double]) {
        if week == 0 { backlogAtStart = (services, queues) }
        backlogLatest = (services, queues)
        weeklyBacklogTEU.append(services.reduce(0, +) + queues.reduce(0, +))
    }

    mutating func shipmentStranded(teu: Double) {
        strandedTEU += teu
    }

    /// Counts departure-weeks and TEU by service, and China-Europe trains: a departure of train
    /// `train` on a China-Europe rail service that leaves or reaches a hub place, each train once.
    mutating func departureRan(service: Service, index: Int, hour: Double, teu: Double, train: Int) {
        // The warm-up (negative hours) is not counted; departures after the counted weeks count in the last.
        guard hour >= 0 else { return }
        let week = min(weeks - 1, Int(hour / 168))
        var entry = serviceWeeks[index, default: [:]][week] ?? (0, 0)
        entry.departures += 1
        entry.teu += teu
        serviceWeeks[index, default: [:]][week] = entry
        guard service.corridor == .chinaEurope, service.mode == .rail, hour >= 0, hour < Double(weeks) * 168 else { return }
        // A Chengdu–Chongqing train: its first leg leaves a hub, or its last leg reaches one.
        if hubs.contains(service.from) || hubs.contains(service.to), countedTrains.insert(train).inserted {
            chinaEuropeTrains += 1
            let route = hubs.contains(service.from) ? "out via \(service.to)" : "in via \(service.from)"
            trainsByRoute[route, default: Array(repeating: 0, count: weeks)][week] += 1
        }
    }

    /// Corridor volume counts cargo when it leaves its origin on the first service, as the
    /// corridor statistics count containers dispatched; `corridor` is that of the route chosen.
    mutating func shipmentDeparted(lane: DemandLane, corridor: Corridor, teu: Double, hour: Double) {
        guard hour >= 0, hour < Double(weeks) * 168 else { return }
        if corridor == .chinaEurope || corridor == .landSea { hubMultimodalTEU += teu }
        guard corridor == .landSea else { return }
        landSeaTEU += teu
        if lane.isTransit { landSeaTransitTEU += teu }
    }

    mutating func queueChanged(_ queue: inout SimulationEngine.QueueState, at hour: Double) {
        queue.areaUnderLength += Double(queue.lengthSamples.last?.length ?? 0) * (hour - queue.lastChange)
        queue.lastChange = hour
        queue.lengthSamples.append((hour, queue.waiting.count))
        queue.maxLength = max(queue.maxLength, queue.waiting.count)
    }

    mutating func delivered(lane: DemandLane, path: PlannedPath, teu: Double, hours: Double, onTime isOnTime: Bool, hour: Double) {
        guard hour >= 0, hour < Double(weeks) * 168 else { return }
        delivered += 1
        if isOnTime { onTime += 1 }
        deliveredTEU[path.corridor, default: 0] += teu
        costUSD[path.corridor, default: 0] += path.costUSDPerTEU * teu
        co2Kg[path.corridor, default: 0] += path.co2eKgPerTEU * teu
        hoursByCorridor[path.corridor, default: []].append(hours)
        if path.modeCount >= 2 { multimodalConsignments += 1 }
        if let journey = network.hub?.timedJourney, isJourneyLane(lane, journey) {
            if passesThrough(path, journey) {
                laosThailandDays.append(hours / 24)
                laosThailandCostUSDPerTEU.append(path.costUSDPerTEU)
            } else {
                journeyByOtherRoutes += 1
            }
        }
    }

    /// Whether `lane` runs from the hub to the timed journey's destination country.
    func isJourneyLane(_ lane: DemandLane, _ journey: TimedJourney) -> Bool {
        hubs.contains(lane.origin) && network.place(lane.destination)?.country == journey.toCountry
    }

    /// Whether `path` stops in the timed journey's country of passage (the Laos railway).
    func passesThrough(_ path: PlannedPath, _ journey: TimedJourney) -> Bool {
        path.passes.contains { network.place($0)?.country == journey.throughCountry }
    }

    func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    func result(engine: SimulationEngine, balance: TEUBalance) -> SimulationResult {
        let endHour = engine.endHour
        let air = airRoutes(engine: engine)
        var queues: [QueueStatistics] = []
        for q in engine.queues where !q.waits.isEmpty || !q.lengthSamples.isEmpty {
            var daily: [Int] = []
            var sampleIndex = 0
            var length = 0
            for day in 0..<Int((endHour - engine.warmUpHours) / 24) {
                let end = engine.warmUpHours + Double(day + 1) * 24
                while sampleIndex < q.lengthSamples.count && q.lengthSamples[sampleIndex].hour <= end {
                    length = q.lengthSamples[sampleIndex].length
                    sampleIndex += 1
                }
                daily.append(length)
            }
            queues.append(QueueStatistics(
                place: q.place.code.rawValue, name: q.place.name, vehicles: q.waits.count,
                meanWaitHours: q.waits.isEmpty ? 0 : q.waits.reduce(0, +) / Double(q.waits.count),
                p90WaitHours: percentile(q.waits, 0.9), maxWaitHours: q.waits.max() ?? 0,
                meanQueueLength: q.lastChange > 0 ? q.areaUnderLength / q.lastChange : 0, maxQueueLength: q.maxLength,
                dailyLength: daily))
        }
        queues.sort { $0.place < $1.place }

        var utilisation: [ServiceWeek] = []
        for (index, state) in engine.services.enumerated() {
            guard let byWeek = serviceWeeks[index] else { continue }
            for week in byWeek.keys.sorted() {
                let entry = byWeek[week]!
                let perWeek = state.service.capacity.teuPerWeek(tonnesPerTEU: engine.simulator.network.defaults.tonnesPerTEU) ?? .infinity
                utilisation.append(ServiceWeek(service: state.service.id.rawValue, week: week, departures: entry.departures,
                                               teu: entry.teu, capacityTEU: perWeek))
            }
        }

        // Bottleneck: the service or queue that delayed the most TEU-hours (cargo waiting for a
        // later departure because earlier ones were full, or waiting in a border or lock queue).
        var delays: [(name: String, delayTEUHours: Double)] = []
        for state in engine.services where state.delayTEUHours > 0 {
            delays.append(("service \(state.service.id) (\(state.service.from)→\(state.service.to)): full departures", state.delayTEUHours))
        }
        for q in engine.queues where q.delayTEUHours > 0 {
            delays.append(("queue at \(q.place.name) (\(q.place.code))", q.delayTEUHours))
        }
        delays.sort { ($0.delayTEUHours, $0.name) > ($1.delayTEUHours, $1.name) }
        let bottleneck = delays.first?.name ?? "none"
        let worst = delays.first?.delayTEUHours ?? 0
        var cost: [String: Double] = [:], co2: [String: Double] = [:]
        for (corridor, teu) in deliveredTEU where teu > 0 {
            cost[corridor.rawValue] = (costUSD[corridor] ?? 0) / teu
            co2[corridor.rawValue] = (co2Kg[corridor] ?? 0) / teu
        }
        let measurements = Dictionary(uniqueKeysWithValues: SimulationKPI.allCases.map { ($0, measure($0, air: air)) })
        var kpis: [String: Double] = [:]
        var unmeasured: [String: String] = [:]
        for (kpi, measurement) in measurements {
            switch measurement {
            case .value(let value): kpis[kpi.rawValue] = value
            case .notMeasured(let reason): unmeasured[kpi.rawValue] = reason
            }
        }
        for (corridor, teu) in deliveredTEU { kpis["deliveredTEU.\(corridor.rawValue)"] = teu }

        var doorToDoorDays: [String: DoorToDoorDays] = [:]
        for (corridor, hours) in hoursByCorridor where !hours.isEmpty {
            doorToDoorDays[corridor.rawValue] = DoorToDoorDays(mean: hours.reduce(0, +) / Double(hours.count) / 24,
                                                               p90: percentile(hours, 0.9) / 24, shipments: hours.count)
        }
        let targets = network.targets.map { target in
            var check = check(target, measured: measurements[target.kpi]!)
            if check.measured && !check.met { check.binds = whatBinds(target.kpi, engine: engine) }
            return check
        }
        return SimulationResult(targets: targets, kpis: kpis, unmeasuredKPIs: unmeasured, airRoutes: air.routes,
                                trainsPerWeek: trainsByRoute, queues: queues,
                                utilisation: utilisation, costPerTEU: cost, co2PerTEU: co2,
                                doorToDoorDays: doorToDoorDays,
                                bottleneck: bottleneck,
                                bottleneckDelayTEUHours: worst, bottlenecks: Array(delays.prefix(5)), events: engine.log, shipments: engine.shipments.count,
                                eventCount: engine.queue.eventsTaken, teuBalance: balance,
                                backlog: backlogReport(engine: engine))
    }

    /// What binds a KPI whose target is missed: for corridor volumes, the resources of the corridor
    /// whose full departures or queues delayed the most TEU-hours; for the transit share, the
    /// demand mix (an input); for the timed journey, the best its routes offer as timetabled and
    /// priced, and their most delayed resource.
    func whatBinds(_ kpi: SimulationKPI, engine: SimulationEngine) -> String? {
        func delayText(_ hours: Double) -> String { "\(NumberText.grouped(hours, digits: 0)) TEU-h" }
        func mostDelayed(services: (Int) -> Bool, queues: Bool) -> String? {
            var delays: [(String, Double)] = engine.services.indices.filter { services($0) && engine.services[$0].delayTEUHours > 0 }.map {
                let state = engine.services[$0]
                return ("\(state.service.id) (\(state.service.from)→\(state.service.to)) full departures", state.delayTEUHours)
            }
            if queues {
                delays += engine.queues.filter { $0.delayTEUHours > 0 }.map { ("queue at \($0.place.code)", $0.delayTEUHours) }
            }
            let top = delays.sorted { ($0.1, $0.0) > ($1.1, $1.0) }.prefix(3)
            guard !top.isEmpty else { return nil }
            return "most delay: " + top.map { "\($0.0) \(delayText($0.1))" }.joined(separator: ", ")
        }
        switch kpi {
        case .chinaEuropeTrains:
            return mostDelayed(services: { engine.services[$0].service.corridor == .chinaEurope }, queues: true)
        case .hubMultimodalTEU:
            return mostDelayed(services: { [.chinaEurope, .landSea].contains(engine.services[$0].service.corridor) }, queues: true)
        case .landSeaCorridorTEU:
            return mostDelayed(services: { engine.services[$0].service.corridor == .landSea }, queues: false)
        case .landSeaTransitShare:
            let landSea = engine.simulator.lanes.filter { $0.corridor == .landSea }
            let all = landSea.reduce(0) { $0 + $1.teuPerYear }
            guard all > 0 else { return nil }
            let transit = landSea.filter { $0.isTransit }.reduce(0) { $0 + $1.teuPerYear }
            return "demand mix: transit rows are \(NumberText.grouped(100 * transit / all, digits: 1)) % of the Land-Sea rows of the demand table (an input); "
                + "routing then moves the share from there (transit cargo taking other corridors, other cargo taking the Land-Sea routes)"
        case .ckgInternationalRoutes, .ckgCargoRoutesOperating:
            // The freighter routes short of the rule: too little cargo to fill their flights.
            let count = airRoutes(engine: engine)
            let short = count.routes.filter { $0.kind == "freighter" && !$0.counted }
                .sorted { ($0.loadFactor, $0.destination) > ($1.loadFactor, $1.destination) }
            guard !short.isEmpty, let rule = network.hub?.airRoutes else { return nil }
            let listed = short.prefix(5).map {
                "\($0.destination) (load factor \(NumberText.grouped(100 * $0.loadFactor, digits: 0)) %, \($0.weeksOperating) of \($0.weeks) weeks)"
            }
            return "demand: \(short.count) freighter routes do not fill their flights to \(NumberText.grouped(100 * rule.minimumLoadFactor, digits: 0)) % "
                + "in \(NumberText.grouped(100 * rule.minimumShareOfWeeks, digits: 0)) % of weeks; closest: " + listed.joined(separator: ", ")
        case .chinaLaosThailandDays, .chinaLaosThailandCostUSDPerTEU:
            guard let journey = network.hub?.timedJourney else { return nil }
            var routes: Set<Int> = []
            for (l, lane) in engine.simulator.lanes.enumerated() where isJourneyLane(lane, journey) {
                for r in engine.paths[l] where passesThrough(engine.routes[r], journey) { routes.insert(r) }
            }
            guard let fastest = routes.min(by: { engine.routes[$0].plannedHours < engine.routes[$1].plannedHours }),
                  let cheapest = routes.min(by: { engine.routes[$0].costUSDPerTEU < engine.routes[$1].costUSDPerTEU }) else { return nil }
            let timetable = "timetable: the fastest route through \(journey.throughCountry) plans \(NumberText.grouped(engine.routes[fastest].plannedHours / 24, digits: 1)) days door to door, "
                + "the cheapest costs \(NumberText.grouped(engine.routes[cheapest].costUSDPerTEU, digits: 0)) USD/TEU"
            let services = Set(routes.flatMap { engine.routes[$0].services })
            let delay = mostDelayed(services: { services.contains($0) }, queues: false)
            return ([timetable] + [delay].compactMap { $0 }).joined(separator: "; ")
        default:
            return nil
        }
    }

    /// A KPI's value, or why the run had nothing to measure for it.
    enum Measurement: Equatable {
        case value(Double)
        case notMeasured(reason: String)

        var value: Double? { if case .value(let v) = self { v } else { nil } }
    }

    /// The hub airport's routes, counted by the hub's ``AirRouteRule``; `reason` says why they were not measured.
    struct AirRouteCount {
        var routes: [AirRouteStatus] = []
        var reason: String?
        var freightersOperating: Int { routes.filter { $0.kind == "freighter" && $0.counted }.count }
        var passengerTimetabled: Int { routes.filter { $0.kind == "passenger" && $0.counted }.count }
    }

    /// Counts the hub airport's international routes (docs/targets.md, "CKG international routes").
    ///
    /// A route is the airport abroad. A freighter route flies in a full week when the TEU its
    /// flights carried that week, both directions together, reach `minimumLoadFactor` of the TEU
    /// they offered (per departure × departures a week × season × disruption, the capacity model);
    /// it operates when it flies in at least `minimumShareOfWeeks` of the run's full weeks. A
    /// passenger route counts when it is timetabled at least weekly (an input).
    /// - Complexity: O(w · s) for w weeks and s air services of the airport.
    func airRoutes(engine: SimulationEngine) -> AirRouteCount {
        var count = AirRouteCount()
        guard let code = network.hub?.airport, let airport = network.place(code) else {
            count.reason = "the hub names no airport"
            return count
        }
        guard let rule = network.hub?.airRoutes else {
            count.reason = "the hub gives no airRoutes rule (minimum load factor) to count operating routes by"
            return count
        }
        let fullWeeks = Int((engine.endHour - engine.warmUpHours) / 168)
        guard fullWeeks > 0 else {
            count.reason = "the run is shorter than one full week"
            return count
        }
        let tonnesPerTEU = network.defaults.tonnesPerTEU
        let start = CalendarDay(iso: "2025-01-01")!
        let disruptions = engine.simulator.disruptions
        // Per airport abroad and kind: carried and offered TEU of each full week, both directions.
        var weekly: [String: (kind: String, carried: [Double], offered: [Double])] = [:]
        for (index, state) in engine.services.enumerated() where state.service.mode == .air {
            let service = state.service
            let abroad: PlaceCode
            if service.from == code { abroad = service.to } else if service.to == code { abroad = service.from } else { continue }
            guard let other = network.place(abroad), other.country != airport.country else { continue }
            let kind = rule.isPassenger(service) ? "passenger" : "freighter"
            let key = "\(abroad.rawValue) \(kind)"
            var entry = weekly[key] ?? (kind, Array(repeating: 0, count: fullWeeks), Array(repeating: 0, count: fullWeeks))
            for week in 0..<fullWeeks {
                entry.carried[week] += serviceWeeks[index]?[week]?.teu ?? 0
                entry.offered[week] += service.capacity.teuPerWeek(tonnesPerTEU: tonnesPerTEU, weekStarting: start.adding(days: 7 * week),
                                                                  disruptions: disruptions) ?? 0
            }
            weekly[key] = entry
        }
        for (key, entry) in weekly.sorted(by: { $0.key < $1.key }) {
            let carried = entry.carried.reduce(0, +), offered = entry.offered.reduce(0, +)
            let flying = zip(entry.carried, entry.offered).filter { carried, offered in
                offered > 0 && carried >= rule.minimumLoadFactor * offered - 1e-9
            }.count
            // A passenger route is timetabled when it offers flights in at least the share of weeks.
            let offeredWeeks = entry.offered.filter { $0 > 0 }.count
            let counted = entry.kind == "freighter"
                ? Double(flying) >= rule.minimumShareOfWeeks * Double(fullWeeks) - 1e-9 && flying > 0
                : Double(offeredWeeks) >= rule.minimumShareOfWeeks * Double(fullWeeks) - 1e-9 && offeredWeeks > 0
            count.routes.append(AirRouteStatus(destination: String(key.split(separator: " ")[0]), kind: entry.kind,
                                               weeksOperating: entry.kind == "freighter" ? flying : offeredWeeks, weeks: fullWeeks,
                                               loadFactor: offered > 0 ? carried / offered : 0, counted: counted))
        }
        return count
    }

    /// The value of a KPI, or why the run had nothing to measure for it (a mean over no shipment,
    /// a count by a rule the network does not give).
    func measure(_ kpi: SimulationKPI, air: AirRouteCount) -> Measurement {
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        switch kpi {
        case .chinaEuropeTrains: return .value(Double(chinaEuropeTrains))
        case .ckgInternationalRoutes:
            if let reason = air.reason { return .notMeasured(reason: reason) }
            return .value(Double(air.freightersOperating + air.passengerTimetabled))
        case .ckgCargoRoutesOperating:
            if let reason = air.reason { return .notMeasured(reason: reason) }
            return .value(Double(air.freightersOperating))
        case .ckgPassengerRoutesTimetabled:
            if let reason = air.reason { return .notMeasured(reason: reason) }
            return .value(Double(air.passengerTimetabled))
        case .landSeaCorridorTEU: return .value(landSeaTEU)
        case .landSeaTransitShare:
            guard landSeaTEU > 0 else { return .notMeasured(reason: "no Land-Sea Corridor TEU dispatched") }
            return .value(landSeaTransitTEU / landSeaTEU)
        case .hubMultimodalTEU: return .value(hubMultimodalTEU)
        case .shipmentsArrived: return .value(Double(arrived))
        case .shipmentsDelivered: return .value(Double(delivered))
        case .onTimeRate:
            guard delivered > 0 else { return .notMeasured(reason: "no shipment delivered") }
            return .value(Double(onTime) / Double(delivered))
        case .multimodalConsignments: return .value(Double(multimodalConsignments))
        case .oneBillDocuments:
            guard let rule = network.hub?.oneBill else {
                return .notMeasured(reason: "the hub gives no oneBill adoption share")
            }
            return .value(Double(multimodalConsignments) * rule.adoptionShare)
        case .chinaLaosThailandDays, .chinaLaosThailandCostUSDPerTEU:
            guard let journey = network.hub?.timedJourney else { return .notMeasured(reason: "the hub names no timed journey") }
            guard !laosThailandDays.isEmpty else {
                return .notMeasured(reason: "no hub–\(journey.toCountry) shipment took a route through \(journey.throughCountry);"
                                    + " \(NumberText.grouped(Double(journeyByOtherRoutes), digits: 0)) went by other routes")
            }
            return .value(kpi == .chinaLaosThailandDays ? mean(laosThailandDays) : mean(laosThailandCostUSDPerTEU))
        // Summed in a fixed order: dictionary order changes between processes, and so would the last bit.
        case .deliveredTEU: return .value(Corridor.allCases.reduce(0) { $0 + (deliveredTEU[$1] ?? 0) })
        case .strandedTEU: return .value(strandedTEU)
        }
    }

    /// Checks `target` against its KPI's measurement: for a relative target the growth over the
    /// baseline, for a cumulative one the sum over its years (published actuals, else the KPI).
    func check(_ target: Target, measured: Measurement) -> TargetCheck {
        var note = target.note
        func append(_ text: String, separator: String = "; ") { note = note.map { "\($0)\(separator)\(text)" } ?? text }
        guard var value = measured.value else {
            var reason: String
            if case .notMeasured(let why) = measured { reason = why } else { reason = "nothing measured" }
            if let unmeasured = target.unmeasuredNote { reason = "\(unmeasured): \(reason)" }
            return TargetCheck(name: target.id, description: target.description, target: target.value, value: nil,
                               reason: reason, met: false, comparison: target.comparison.rawValue, note: note)
        }
        if let baseline = target.baseline {
            value = value / baseline.value - 1
            append("against \(baseline.year)'s \(baseline.isEstimate ? "estimated " : "")\(NumberText.grouped(baseline.value, digits: 0)) \(baseline.unit)", separator: ", ")
        }
        if let cumulative = target.cumulative, cumulative.fromYear <= target.year {
            let simulated = value
            var parts: [String] = []
            var simulatedYears = 0
            value = 0
            for year in cumulative.fromYear...target.year {
                if let actual = cumulative.actuals.first(where: { $0.year == year }) {
                    value += actual.value
                    parts.append("\(year) \(actual.isEstimate ? "estimated" : "published") \(NumberText.grouped(actual.value, digits: 0))")
                } else {
                    value += simulated
                    simulatedYears += 1
                }
            }
            if simulatedYears > 0 {
                parts.append("\(simulatedYears) × the simulated year's \(NumberText.grouped(simulated, digits: 0))")
            }
            append("\(cumulative.fromYear)–\(target.year): " + parts.joined(separator: " + "))
        }
        let met = switch target.comparison {
        case .atLeast: value >= target.value - 1e-9
        case .atMost: value <= target.value + 1e-9
        }
        return TargetCheck(name: target.id, description: target.description, target: target.value, value: value,
                           met: met, comparison: target.comparison.rawValue, note: note)
    }

    /// The backlog at the start and end of the counted year, and the services and queues whose
    /// waiting cargo grew by more than a week of their capacity.
    func backlogReport(engine: SimulationEngine) -> BacklogReport {
        guard let start = backlogAtStart, let end = backlogLatest else {
            return BacklogReport(weeklyTEU: weeklyBacklogTEU, startTEU: 0, endTEU: 0, growing: [])
        }
        var growing: [ResourceBacklog] = []
        let tonnesPerTEU = network.defaults.tonnesPerTEU
        for (s, state) in engine.services.enumerated() {
            guard let weekly = state.service.capacity.teuPerWeek(tonnesPerTEU: tonnesPerTEU), weekly.isFinite, weekly > 0,
                  end.services[s] - start.services[s] > weekly else { continue }
            growing.append(ResourceBacklog(resource: "service \(state.service.id) (\(state.service.from)→\(state.service.to))",
                                           startTEU: start.services[s], endTEU: end.services[s], weeklyCapacityTEU: weekly))
        }
        for (q, state) in engine.queues.enumerated() {
            guard let throughput = state.place.throughput else { continue }
            let weekly = throughput.unitsPerDay * 7 * (throughput.teuPerUnit ?? 1)
            guard end.queues[q] - start.queues[q] > weekly else { continue }
            growing.append(ResourceBacklog(resource: "queue at \(state.place.name) (\(state.place.code))",
                                           startTEU: start.queues[q], endTEU: end.queues[q], weeklyCapacityTEU: weekly))
        }
        growing.sort { ($0.endTEU - $0.startTEU, $0.resource) > ($1.endTEU - $1.startTEU, $1.resource) }
        return BacklogReport(weeklyTEU: weeklyBacklogTEU, startTEU: start.services.reduce(0, +) + start.queues.reduce(0, +),
                             endTEU: end.services.reduce(0, +) + end.queues.reduce(0, +), growing: growing)
    }
}

/// Cargo waiting at one service (booked on departures that have not run) or queue.
public struct ResourceBacklog: Sendable, Codable, Hashable {
    public var resource: String
    public var startTEU: Double
    public var endTEU: Double
    /// What the resource moves in a week: the yardstick for "grew".
    public var weeklyCapacityTEU: Double
}

/// Cargo waiting for departures and in queues through the counted year. A backlog grows when a
/// resource ends the year with more than a week of its capacity waiting beyond what it started with.
public struct BacklogReport: Sendable, Codable, Hashable {
    /// Waiting TEU at the start of each week of the counted year, and at its end.
    public var weeklyTEU: [Double]
    public var startTEU: Double
    public var endTEU: Double
    /// The resources whose backlog grew, largest growth first.
    public var growing: [ResourceBacklog]
    public var isGrowing: Bool { !growing.isEmpty }
}
