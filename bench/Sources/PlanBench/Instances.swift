import NetworkData
import Routing
import Simulation

/// The `capacity` instance: random place pairs where freight starts or ends (cities, hubs,
/// terminals, ports, airports; not borders, gauge-change stations or locks), kept only if the
/// network has a route for the cargo; Chongqing's export mix (mostly general containers, then
/// vehicles from its car plants, reefers and some dangerous goods); 1–40 TEU at 10 t a TEU; all
/// ready on 2027-03-01 with a deadline a year later.
func capacityInstance(count: Int, network: Network, random: inout SplitMix64) -> [Shipment] {
    let router = Router(network: network)
    let places = network.places.filter { ![.borderCrossing, .gaugeChange, .lock].contains($0.kind) }.map(\.code)
    let cargoMix: [(CargoClass, Int)] = [(.general, 75), (.vehicles, 10), (.reefer, 8), (.dangerous(9), 3),
                                         (.dangerous(3), 2), (.dangerous(8), 2)]
    var hasRoute: [String: Bool] = [:]
    var shipments: [Shipment] = []
    let ready = CalendarDay(iso: "2027-03-01")!
    while shipments.count < count {
        let origin = places[Int(random.next() % UInt64(places.count))]
        let destination = places[Int(random.next() % UInt64(places.count))]
        guard origin != destination else { continue }
        var pick = Int(random.next() % 100)
        let cargo = cargoMix.first { pick -= $0.1; return pick < 0 }!.0
        let key = "\(origin)|\(destination)|\(cargo)"
        let routable = hasRoute[key] ?? {
            let query = RouteQuery(origin: origin, destination: destination, cargo: cargo, alternatives: 1)
            if case .found = try? router.routes(for: query, paretoFront: false) { return true }
            return false
        }()
        hasRoute[key] = routable
        guard routable else { continue }
        let teu = Double(1 + random.next() % 40)
        shipments.append(Shipment(id: ShipmentID("B\(shipments.count + 1)"), origin: origin, destination: destination,
                                  teu: teu, tonnes: 10 * teu, cargo: cargo, ready: ready, deadline: ready.adding(days: 365)))
    }
    return shipments
}

/// Days from ready to deadline a lane's shipments get, as in the example batch
/// (examples/shipments-2027.md, "Deadlines"): air 3–10; China-Europe rail 25–40, or 20–35 to and
/// from Russia, Belarus and Central Asia; Land-Sea Corridor 8–25 within ASEAN and China, 24–45 to
/// the Gulf and India, 25–40 on to Europe and Russia. Yangtze and domestic lanes are not in that
/// table (estimate: 10–25 days for the river, which takes 6–14 days between Chongqing and
/// Shanghai by the network's services; 3–10 for domestic rail and road).
func deadlineWindowDays(_ lane: DemandLane) -> ClosedRange<Int> {
    let countries = [lane.origin.rawValue.prefix(2), lane.destination.rawValue.prefix(2)]
    let russiaOrCentralAsia: Set<Substring> = ["RU", "BY", "KZ", "UZ", "KG", "TJ", "TM"]
    let europe: Set<Substring> = ["DE", "NL", "PL", "HU", "AT", "BE", "CZ", "FR", "IT", "ES", "TR", "GB"]
    switch lane.corridor {
    case .air: return 3...10
    case .chinaEurope: return countries.contains(where: russiaOrCentralAsia.contains) ? 20...35 : 25...40
    case .landSea:
        if countries.contains(where: { ["AE", "IN"].contains($0) }) { return 24...45 }
        if countries.contains(where: { europe.contains($0) || russiaOrCentralAsia.contains($0) }) { return 25...40 }
        return 8...25
    case .yangtze: return 10...25
    default: return 3...10
    }
}

/// The `deadlines` instance: `count` shipments drawn from demand `lanes` in proportion to each
/// lane's yearly shipments (TEU a year ÷ mean shipment TEU), at the lane's mean size and tonnes
/// per TEU; ready on a day of the 52 weeks from Monday 2027-01-04, drawn by the lane's monthly
/// profile; deadline = ready + a draw from ``deadlineWindowDays(_:)``.
/// - Returns: the shipments and their share of the table's yearly shipments.
func deadlineInstance(count: Int, lanes: [DemandLane], random: inout SplitMix64) -> (shipments: [Shipment], share: Double) {
    let perYear = lanes.map { $0.teuPerYear / $0.shipmentTEU }
    let total = perYear.reduce(0, +)
    var cumulative: [Double] = []
    var sum = 0.0
    for rate in perYear {
        sum += rate
        cumulative.append(sum)
    }
    let firstDay = CalendarDay(iso: "2027-01-04")!
    var shipments: [Shipment] = []
    while shipments.count < count {
        let pick = random.unit() * total
        let lane = lanes[min(lanes.count - 1, cumulative.firstIndex { $0 > pick } ?? lanes.count - 1)]
        // A day of the 364, accepted with the probability of its month's factor (rejection).
        let peak = lane.seasonality.max() ?? 1
        var ready = firstDay
        repeat { ready = firstDay.adding(days: Int(random.next() % 364)) } while random.unit() * peak > lane.seasonality[ready.month - 1]
        let window = deadlineWindowDays(lane)
        let days = window.lowerBound + Int(random.next() % UInt64(window.count))
        shipments.append(Shipment(id: ShipmentID("D\(shipments.count + 1)"), origin: lane.origin,
                                  destination: lane.destination, teu: lane.shipmentTEU,
                                  tonnes: lane.shipmentTEU * lane.tonnesPerTEU, cargo: lane.cargo, ready: ready,
                                  deadline: ready.adding(days: days)))
    }
    return (shipments, Double(count) / total)
}

/// The `generated` instance's network: `placeCount` inland hubs scattered over a 60° × 30° box of
/// China-like latitudes, linked both ways (a snake through them, then nearest neighbours) by rail or road until
/// there are `serviceCount` services (hours from distance at 40 km/h by rail, 60 by road; prices
/// and capacities drawn from the built-in network's ranges). Every number is `estimate:` as the
/// network format requires; it measures the planner's scaling, not a real network.
func generatedNetworkYAML(placeCount: Int, serviceCount: Int, random: inout SplitMix64) -> String {
    func code(_ i: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return "CN" + String([letters[i / 676 % 26], letters[i / 26 % 26], letters[i % 26]])
    }
    var lon: [Double] = [], lat: [Double] = []
    var yaml = """
    network: generated-\(placeCount)
    tonnesPerTEU: 10
    defaults: {handling: {hours: 2, costUSDPerTEU: 20}, connectionHours: 1}
    source: "estimate: generated benchmark network"
    places:

    """
    for i in 0..<placeCount {
        lon.append(70 + 60 * random.unit())
        lat.append(20 + 30 * random.unit())
        yaml += "  - {code: \(code(i)), name: Hub \(i), country: CN, lonLat: [\(String(format: "%.4f", lon[i])), \(String(format: "%.4f", lat[i]))], kind: inlandHub, source: \"estimate: generated place\"}\n"
    }
    yaml += "services:\n"
    // Nearest neighbours by a grid of 1° cells, widening the search until enough are found.
    var cells: [Int: [Int]] = [:]
    func cell(_ x: Int, _ y: Int) -> Int { x * 1000 + y }
    for i in 0..<placeCount { cells[cell(Int(lon[i]), Int(lat[i])), default: []].append(i) }
    // A snake through 1° latitude bands (east in even bands, west in odd) links consecutive
    // places, so the network is connected; nearest-neighbour links fill up to `serviceCount`.
    let snake = (0..<placeCount).sorted { a, b in
        let bandA = Int(lat[a]), bandB = Int(lat[b])
        if bandA != bandB { return bandA < bandB }
        return bandA % 2 == 0 ? lon[a] < lon[b] : lon[a] > lon[b]
    }
    var pairs: [(Int, Int)] = []
    var seen: Set<Int> = []
    for (a, b) in zip(snake, snake.dropFirst()) {
        seen.insert(min(a, b) * placeCount + max(a, b))
        pairs.append((a, b))
    }
    // Each place's 8 nearest, then the k-th nearest of every place in turn, k = 1, 2, …
    var nearest: [[Int]] = []
    for i in 0..<placeCount {
        var radius = 1
        var near: [(distance: Double, place: Int)] = []
        while near.count < 9 && radius < 60 {
            near = []
            for x in (Int(lon[i]) - radius)...(Int(lon[i]) + radius) {
                for y in (Int(lat[i]) - radius)...(Int(lat[i]) + radius) {
                    for j in cells[cell(x, y)] ?? [] where j != i {
                        near.append(((lon[i] - lon[j]) * (lon[i] - lon[j]) + (lat[i] - lat[j]) * (lat[i] - lat[j]), j))
                    }
                }
            }
            radius *= 2
        }
        nearest.append(near.sorted { $0.distance < $1.distance }.prefix(8).map(\.place))
    }
    fill: for k in 0..<8 {
        for i in 0..<placeCount where k < nearest[i].count {
            guard pairs.count * 2 < serviceCount else { break fill }
            let j = nearest[i][k]
            guard seen.insert(min(i, j) * placeCount + max(i, j)).inserted else { continue }
            pairs.append((i, j))
        }
    }
    var id = 0
    for (a, b) in pairs {
        let km = max(5, 111 * ((lon[a] - lon[b]) * (lon[a] - lon[b]) * 0.75 + (lat[a] - lat[b]) * (lat[a] - lat[b])).squareRoot())
        let rail = random.next() % 2 == 0
        let hours = km / (rail ? 40 : 60)
        let capacity = rail ? 40 + Double(random.next() % 60) : 2 + Double(random.next() % 20)
        let perTEUKm = rail ? 0.6 + 0.4 * random.unit() : 1.2 + 0.8 * random.unit()
        for (from, to) in [(a, b), (b, a)] {
            yaml += "  - {id: G\(id), name: Link \(id), mode: \(rail ? "rail" : "road"), corridor: domestic, from: \(code(from)), to: \(code(to)), distanceKm: \(Int(km)), transitHours: {mean: \(String(format: "%.2f", hours)), p90: \(String(format: "%.2f", hours * 1.3))}, departuresPerWeek: \(rail ? 7 : 42), capacityTEUPerDeparture: \(capacity), priceUSDPerTEU: \(Int(km * perTEUKm + 50)), co2eGramsPerTonneKm: \(rail ? 20 : 80), cargo: [general], source: \"estimate: generated link\"}\n"
            id += 1
        }
    }
    return yaml
}

/// The `generated` instance's shipments: random pairs of the generated network with a route,
/// 1–40 TEU at 10 t a TEU, general cargo, ready on 2027-03-01, deadline a year later.
func generatedShipments(count: Int, network: Network, random: inout SplitMix64) -> [Shipment] {
    let router = Router(network: network)
    let places = network.places.map(\.code)
    let ready = CalendarDay(iso: "2027-03-01")!
    var shipments: [Shipment] = []
    while shipments.count < count {
        let origin = places[Int(random.next() % UInt64(places.count))]
        let destination = places[Int(random.next() % UInt64(places.count))]
        guard origin != destination else { continue }
        let query = RouteQuery(origin: origin, destination: destination, cargo: .general, alternatives: 1)
        guard case .found = try? router.routes(for: query, paretoFront: false) else { continue }
        let teu = Double(1 + random.next() % 40)
        shipments.append(Shipment(id: ShipmentID("G\(shipments.count + 1)"), origin: origin, destination: destination,
                                  teu: teu, tonnes: 10 * teu, cargo: .general, ready: ready, deadline: ready.adding(days: 365)))
    }
    return shipments
}
