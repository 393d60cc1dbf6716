import NetworkData

/// A node of the mode-expanded graph.
public struct NodeID: Hashable, Sendable, Comparable {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: NodeID, b: NodeID) -> Bool { a.rawValue < b.rawValue }
}

/// An arc of the mode-expanded graph.
public struct ArcID: Hashable, Sendable, Comparable {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: ArcID, b: ArcID) -> Bool { a.rawValue < b.rawValue }
}

/// What an arc stands for.
public enum ArcRole: Hashable, Sendable {
    /// Riding a service (wait for the departure, then transit).
    case service(ServiceID)
    /// Changing service or mode at a place (handling, connection, dwell, gauge change).
    case transfer(at: PlaceCode, from: TransportMode, to: TransportMode)
    /// From the shipment's origin onto a departure: a city's first-mile road leg, or none.
    case origin(PlaceCode, via: PlaceCode?)
    /// From an arrival to the destination: a city's last-mile road leg, or none.
    case destination(PlaceCode, via: PlaceCode?)
}

/// Per-unit attributes of an arc; the weight for a shipment is computed from these.
public struct ArcAttributes: Sendable {
    /// Hours spent waiting for a departure.
    public var waitHours: Double = 0
    /// Hours moving.
    public var transitHours: Double = 0
    /// Hours of handling, connection, customs, border or gauge change.
    public var dwellHours: Double = 0
    public var costUSDPerTEU: Double = 0
    public var costUSDPerTonne: Double = 0
    public var co2eKgPerTonne: Double = 0
    public var distanceKm: Double = 0
    public var hours: Double { waitHours + transitHours + dwellHours }
}

/// The mode-expanded graph: each place splits into an arrival and a departure node per mode;
/// services join departure to arrival nodes, transfers join arrivals to departures at a place
/// (a change of mode costs handling; staying on rail through a border adds its dwell and gauge
/// change), and shipments enter and leave through origin and destination arcs built per query.
///
/// Node layout: `arrive(p, m)` and `depart(p, m)` exist for each mode m with a service to or
/// from p; origin and destination nodes are appended per query by ``RouteGraph``.
public struct ModeGraph: Sendable {
    public let network: Network
    public private(set) var tails: [Int] = []
    public private(set) var heads: [Int] = []
    public private(set) var roles: [ArcRole] = []
    public private(set) var attributes: [ArcAttributes] = []
    /// The mode of each service arc; nil for transfers and endpoints.
    public private(set) var arcMode: [TransportMode?] = []
    /// Cargo accepted per arc (transfers accept everything).
    public private(set) var acceptance: [CargoAcceptance?] = []
    /// Arc indices leaving each node.
    public private(set) var outgoing: [[Int]] = []
    /// Arc indices entering each node.
    public private(set) var incoming: [[Int]] = []
    public private(set) var arriveNode: [PlaceCode: [TransportMode: Int]] = [:]
    public private(set) var departNode: [PlaceCode: [TransportMode: Int]] = [:]
    /// Which place each node belongs to.
    public private(set) var nodePlace: [PlaceCode] = []
    /// The arc of each service.
    public private(set) var serviceArc: [ServiceID: Int] = [:]

    public var nodeCount: Int { outgoing.count }
    public var arcCount: Int { tails.count }

    /// Builds the graph of `network` for shipments in `month` (1–12; nil = no seasonal change).
    /// - Complexity: O(s + Σ_p m_p²) for s services and m_p modes at place p.
    public init(network: Network, month: Int? = nil, closedServices: Set<ServiceID> = []) {
        self.network = network
        for service in network.services where !closedServices.contains(service.id) {
            let tail = node(arrival: false, service.from, service.mode)
            let head = node(arrival: true, service.to, service.mode)
            let factor = month.flatMap { service.adjustment(inMonth: $0)?.transitFactor } ?? 1
            var a = ArcAttributes()
            a.waitHours = network.place(service.from).map(Self.isPassThrough) == true ? 0 : service.headwayHours / 2
            a.transitHours = service.transit.meanHours * factor
            a.distanceKm = service.distanceKm
            a.co2eKgPerTonne = service.distanceKm * service.co2eGramsPerTonneKm / 1000
            if let perTEU = service.priceUSDPerTEU { a.costUSDPerTEU = perTEU }
            if let perKg = service.priceUSDPerKg { a.costUSDPerTonne = perKg * 1000 }
            serviceArc[service.id] = addArc(tail, head, .service(service.id), a, service.cargo)
        }
        for place in network.places {
            guard let arrivals = arriveNode[place.code], let departures = departNode[place.code] else { continue }
            let handling = network.handling(at: place.code)
            // The expected wait for a slot shared with background traffic (0 without it), see ``SharedQueue``.
            let queueWait = SharedQueue.expectedWaitHours(at: place, month: month)
            for (inMode, inNode) in arrivals.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                for (outMode, outNode) in departures.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    // An airport's trucks are road feeders for flights, not a road relay.
                    if place.kind == .airport && inMode != .air && outMode != .air { continue }
                    var a = ArcAttributes()
                    a.dwellHours = place.dwell?.meanHours ?? 0
                    if inMode == .rail || inMode == .inlandWater { a.dwellHours += queueWait }
                    if inMode == outMode {
                        a.dwellHours += Self.isPassThrough(place) ? 0 : network.defaults.connectionHours
                        if inMode == .rail, let gauge = place.gaugeChange {
                            a.dwellHours += gauge.hours
                            a.costUSDPerTEU += gauge.costUSDPerTEU
                        }
                    } else {
                        a.dwellHours += handling.hours
                        a.costUSDPerTEU += handling.costUSDPerTEU
                    }
                    addArc(inNode, outNode, .transfer(at: place.code, from: inMode, to: outMode), a, nil)
                }
            }
        }
    }

    /// Borders, gauge-change stations and locks are passed through: onward services are timed to
    /// the arrivals (the place's dwell is the wait), so there is no departure wait and no
    /// connection time for staying on the same mode.
    package static func isPassThrough(_ place: Place) -> Bool {
        [.borderCrossing, .gaugeChange, .lock].contains(place.kind)
    }

    private mutating func node(arrival: Bool, _ place: PlaceCode, _ mode: TransportMode) -> Int {
        if let existing = (arrival ? arriveNode : departNode)[place]?[mode] { return existing }
        let id = outgoing.count
        outgoing.append([])
        incoming.append([])
        nodePlace.append(place)
        if arrival { arriveNode[place, default: [:]][mode] = id } else { departNode[place, default: [:]][mode] = id }
        return id
    }

    /// Adds a node for a query endpoint.
    package mutating func addNode(place: PlaceCode) -> Int {
        let id = outgoing.count
        outgoing.append([])
        incoming.append([])
        nodePlace.append(place)
        return id
    }

    @discardableResult
    package mutating func addArc(_ tail: Int, _ head: Int, _ role: ArcRole, _ a: ArcAttributes, _ cargo: CargoAcceptance?) -> Int {
        let id = tails.count
        tails.append(tail)
        heads.append(head)
        roles.append(role)
        attributes.append(a)
        acceptance.append(cargo)
        if case .service(let id) = role { arcMode.append(network.service(id)?.mode) } else { arcMode.append(nil) }
        outgoing[tail].append(id)
        incoming[head].append(id)
        return id
    }
}
