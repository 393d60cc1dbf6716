import Routing
import Foundation
import NetworkData

/// A plan target checked against a run: value, target and whether it is met.
public struct TargetCheck: Sendable, Codable, Hashable {
    public var name: String
    public var description: String
    public var target: Double
    public var value: Double
    public var met: Bool
    /// `atLeast` or `atMost`.
    public var comparison: String
    public var note: String?
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
    /// Named key figures (`chinaEuropeTrains`, `ckgInternationalRoutes`, …).
    public var kpis: [String: Double]
    /// China-Europe trains run per week, by corridor route (the first border crossed).
    public var trainsPerWeek: [String: [Int]]
    public var queues: [QueueStatistics]
    public var utilisation: [ServiceWeek]
    /// USD and kg CO2e per TEU delivered, by corridor.
    public var costPerTEU: [String: Double]
    public var co2PerTEU: [String: Double]
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

/// Gathers statistics while the engine runs.
struct SimulationCollector {
    let network: Network
    let weeks: Int
    /// The network hub's places (its cities and their terminals), for China-Europe train counts.
    let hubs: Set<PlaceCode>
    var trainsByRoute: [String: [Int]] = [:]
    var chinaEuropeTrains = 0
    var serviceWeeks: [Int: [Int: (departures: Int, teu: Double)]] = [:]
    var deliveredTEU: [Corridor: Double] = [:]
    var costUSD: [Corridor: Double] = [:]
    var co2Kg: [Corridor: Double] = [:]
    var landSeaTEU = 0.0
    var landSeaTransitTEU = 0.0
    var hubMultimodalTEU = 0.0
    var delivered = 0
    var onTime = 0
    var oneBillDocuments = 0
    var laosThailandDays: [Double] = []
    var arrived = 0
    var strandedTEU = 0.0
    var rerouted = 0
    /// Waiting TEU per service and per queue at the start of the counted year, and the latest measure.
    var backlogAtStart: (services: [Double], queues: [Double])?
    var backlogLatest: (services: [Double], queues: [Double])?
    var weeklyBacklogTEU: [Double] = []

    init(network: Network, weeks: Int) {
        self.network = network
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

    mutating func departureRan(service: Service, index: Int, hour: Double, teu: Double) {
        let week = min(weeks - 1, max(0, Int(hour / 168)))
        var entry = serviceWeeks[index, default: [:]][week] ?? (0, 0)
        entry.departures += 1
        entry.teu += teu
        serviceWeeks[index, default: [:]][week] = entry
        guard service.corridor == .chinaEurope, service.mode == .rail, hour >= 0, hour < Double(weeks) * 168 else { return }
        // A Chengdu–Chongqing train: its first leg leaves a hub, or its last leg reaches one.
        if hubs.contains(service.from) || hubs.contains(service.to) {
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
        if path.modeCount >= 2 { oneBillDocuments += 1 }
        if let journey = network.hub?.timedJourney, hubs.contains(lane.origin),
           network.place(lane.destination)?.country == journey.toCountry,
           path.passes.contains(where: { network.place($0)?.country == journey.throughCountry }) {
            laosThailandDays.append(hours / 24)
        }
    }

    func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    func result(engine: SimulationEngine, balance: TEUBalance) -> SimulationResult {
        let endHour = engine.endHour
        // The hub airport's international routes: destinations abroad served at ≥ 1 flight a week on average.
        var flights: [PlaceCode: Int] = [:]
        let airport = network.hub?.airport.flatMap { network.place($0) }
        for state in engine.services where state.service.mode == .air && state.service.from == airport?.code {
            guard let destination = network.place(state.service.to), destination.country != airport?.country else { continue }
            var count = 0
            var hour = state.phase
            while hour < engine.warmUpHours { hour += state.headway }
            while hour < endHour {
                if engine.capacityFactor(state.disruptions, at: hour) > 0 { count += 1 }
                hour += state.headway
            }
            flights[destination.code, default: 0] += count
        }
        let weeksRun = (endHour - engine.warmUpHours) / 168
        let ckgRoutes = flights.values.filter { Double($0) >= weeksRun.rounded(.down) }.count

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
        let transitShare = landSeaTEU > 0 ? landSeaTransitTEU / landSeaTEU : 0
        let laosDays = laosThailandDays.isEmpty ? 0 : laosThailandDays.reduce(0, +) / Double(laosThailandDays.count)
        /// The value of a KPI, and whether the run measured it at all (a mean over no shipment is not measured).
        func measure(_ kpi: SimulationKPI) -> (value: Double, isMeasured: Bool) {
            switch kpi {
            case .chinaEuropeTrains: (Double(chinaEuropeTrains), true)
            case .ckgInternationalRoutes: (Double(ckgRoutes), true)
            case .landSeaCorridorTEU: (landSeaTEU, true)
            case .landSeaTransitShare: (transitShare, true)
            case .hubMultimodalTEU: (hubMultimodalTEU, true)
            case .shipmentsArrived: (Double(arrived), true)
            case .shipmentsDelivered: (Double(delivered), true)
            case .onTimeRate: (delivered > 0 ? Double(onTime) / Double(delivered) : 0, true)
            case .oneBillDocuments: (Double(oneBillDocuments), true)
            case .chinaLaosThailandDays: (laosDays, !laosThailandDays.isEmpty)
            // Summed in a fixed order: dictionary order changes between processes, and so would the last bit.
            case .deliveredTEU: (Corridor.allCases.reduce(0) { $0 + (deliveredTEU[$1] ?? 0) }, true)
            case .strandedTEU: (strandedTEU, true)
            }
        }
        var kpis = Dictionary(uniqueKeysWithValues: SimulationKPI.allCases.map { ($0.rawValue, measure($0).value) })
        for (corridor, teu) in deliveredTEU { kpis["deliveredTEU.\(corridor.rawValue)"] = teu }

        let targets = network.targets.map { target in check(target, measured: measure(target.kpi)) }
        return SimulationResult(targets: targets, kpis: kpis, trainsPerWeek: trainsByRoute, queues: queues,
                                utilisation: utilisation, costPerTEU: cost, co2PerTEU: co2, bottleneck: bottleneck,
                                bottleneckDelayTEUHours: worst, bottlenecks: Array(delays.prefix(5)), events: engine.log, shipments: engine.shipments.count,
                                eventCount: engine.queue.eventsTaken, teuBalance: balance,
                                backlog: backlogReport(engine: engine))
    }

    /// Checks `target` against its KPI's measured value (for a relative target: growth over the baseline).
    func check(_ target: Target, measured: (value: Double, isMeasured: Bool)) -> TargetCheck {
        var value = measured.value
        var note = target.note
        if let baseline = target.baseline {
            value = value / baseline.value - 1
            let against = "against \(baseline.year)'s \(baseline.isEstimate ? "estimated " : "")\(Int(baseline.value)) \(baseline.unit)"
            note = note.map { "\($0), \(against)" } ?? against
        }
        if !measured.isMeasured, let unmeasured = target.unmeasuredNote {
            note = note.map { "\($0); \(unmeasured)" } ?? unmeasured
        }
        let met = switch target.comparison {
        case .atLeast: value >= target.value - 1e-9
        case .atMost: measured.isMeasured && value <= target.value + 1e-9
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
