import NetworkData
import PropertyBased

/// A small random network for property tests: domestic rail services (general cargo, one way
/// each) between rail terminals CNAAA, CNAAB, …. Only the largest connected part is kept (the
/// one with the lowest place first among equals), as the loader refuses unreachable places.
public struct RandomNetwork: Sendable, CustomStringConvertible {
    /// One service: ends as place indices, then its timetable, capacity, price and transit.
    public struct Service: Sendable {
        public var from: Int
        public var to: Int
        public var departuresPerWeek: Int
        public var teuPerDeparture: Double
        public var priceUSDPerTEU: Int
        public var transitHours: Int
    }

    public var places: Int
    public var services: [Service]

    /// The code of place `index`: CNAAA, CNAAB, …
    public static func code(_ index: Int) -> PlaceCode {
        PlaceCode("CNAA" + String(UnicodeScalar(UInt8(65 + index))))
    }

    /// The indices of the places in the network: the largest connected set of places (at least two).
    public var kept: [Int] {
        var part = Array(0..<places)   // union-find over the places
        func root(_ i: Int) -> Int { part[i] == i ? i : root(part[i]) }
        for s in services { part[root(s.from)] = root(s.to) }
        let touched = Set(services.flatMap { [$0.from, $0.to] })
        let sizes = Dictionary(grouping: touched, by: root)
        let largest = sizes.values.max { $0.count < $1.count || ($0.count == $1.count && $0.min()! > $1.min()!) }!
        return largest.sorted()
    }

    /// The codes of the places in the network.
    public var codes: [PlaceCode] { kept.map(Self.code) }

    /// The indices of the services in the network: those between kept places.
    public var keptServices: [Int] {
        let kept = Set(kept)
        return services.indices.filter { kept.contains(services[$0].from) }
    }

    /// Place `index` modulo the places in the network, and a different place (the next one)
    /// for `destination`: the ends of a random shipment or demand lane.
    public func pair(_ origin: Int, _ destination: Int) -> (PlaceCode, PlaceCode) {
        let codes = codes
        let from = origin % codes.count
        var to = destination % codes.count
        if to == from { to = (from + 1) % codes.count }
        return (codes[from], codes[to])
    }

    /// The ids of the services in the network: S0, S1, … (the index in `services`).
    public var serviceIDs: [ServiceID] { keptServices.map { ServiceID("S\($0)") } }

    /// The network in the network format (docs/network-format.md).
    public var yaml: String {
        var text = """
            network: random
            tonnesPerTEU: 10
            defaults:
              handling: {hours: 2, costUSDPerTEU: 20}
              connectionHours: 1
            source: "estimate: random test network"
            places:

            """
        for code in codes {
            let i = Int(code.rawValue.unicodeScalars.last!.value) - 65
            text += "  - {code: \(code), name: Place \(i), country: CN, lonLat: [\(100 + i), \(30 + i % 3)], "
                + "kind: railTerminal, source: \"estimate: random test value\"}\n"
        }
        text += "services:\n"
        for k in keptServices {
            let s = services[k]
            text += "  - {id: S\(k), name: Service \(k), mode: rail, corridor: domestic, from: \(Self.code(s.from)), "
                + "to: \(Self.code(s.to)), distanceKm: \(10 * s.transitHours), transitHours: {mean: \(s.transitHours), "
                + "p90: \(s.transitHours + s.transitHours / 4)}, departuresPerWeek: \(s.departuresPerWeek), "
                + "capacityTEUPerDeparture: \(s.teuPerDeparture), priceUSDPerTEU: \(s.priceUSDPerTEU), "
                + "co2eGramsPerTonneKm: 20, cargo: [general], source: \"estimate: random test value\"}\n"
        }
        return text
    }

    /// The loaded network.
    /// - Throws: the loader's error (a bug of the generator) with the YAML.
    public func load() throws -> Network {
        do { return try NetworkLoader.load(yaml: yaml, file: "random.yaml") } catch {
            throw InvalidRandomNetwork(message: "\(error)\n\(yaml)")
        }
    }

    /// The loader refused a random network.
    public struct InvalidRandomNetwork: Error, CustomStringConvertible {
        public var description: String { message }
        let message: String
    }

    /// One line per service, for failure messages: `S0 CNAAA→CNAAB 7×20 TEU $300 12 h`.
    public var description: String {
        keptServices.map { k in
            let s = services[k]
            return "S\(k) \(Self.code(s.from))→\(Self.code(s.to)) \(s.departuresPerWeek)×\(s.teuPerDeparture) TEU $\(s.priceUSDPerTEU) \(s.transitHours) h"
        }.joined(separator: "; ")
    }
}

/// Random networks of 2–6 places and 1–10 services (1–14 departures a week of 1–60 TEU,
/// $100–900 a TEU, 5–100 hours), from shrinkable parts: shrinking drops services and moves
/// every number towards its range's lower end. A service's ends are taken modulo the place
/// count; one that would be a loop goes to the next place instead.
public let randomNetworks = zip(
    Gen.int(in: 2...6),
    zip(Gen.int(in: 0...5), Gen.int(in: 0...5), Gen.int(in: 1...14), Gen.int(in: 1...60), Gen.int(in: 100...900),
        Gen.int(in: 5...100)).array(of: 1...10)
).map { places, services in
    RandomNetwork(places: places, services: services.map { from, to, departures, teu, price, hours in
        let tail = from % places
        var head = to % places
        if head == tail { head = (tail + 1) % places }
        return RandomNetwork.Service(from: tail, to: head, departuresPerWeek: departures, teuPerDeparture: Double(teu),
                                     priceUSDPerTEU: price, transitHours: hours)
    })
}
