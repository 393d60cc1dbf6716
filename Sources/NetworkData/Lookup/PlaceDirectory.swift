/// What a place query found.
public enum PlaceMatch: Sendable {
    case found(Place)
    /// Several places fit equally well.
    case ambiguous([Place])
    /// Nothing fits; the closest places by spelling.
    case unknown(closest: [Place])
}

/// Finds places by UN/LOCODE, IATA code, English or Chinese name, or alias, case-insensitively.
///
/// Exact matches win; then a unique name that starts with or contains the query; otherwise the
/// closest names are offered. `CNCKG` is Chongqing's airport, `CNCQI` the city.
///
/// A city and its own terminals are one zone: when the places a query fits are a city and
/// terminals whose `city` it is (`Almaty` names the city and its rail terminal), the city wins,
/// since routing from the city reaches each terminal by its first/last-mile leg. A query is
/// ambiguous only when it fits places of different zones; the candidates then list each zone
/// once, by its city.
public struct PlaceDirectory: Sendable {
    private let places: [Place]
    private let exact: [String: [Int]]

    /// Indexes the places of `network`.
    /// - Complexity: O(p · a) for p places with a names each.
    public init(network: Network) {
        places = network.places
        var index: [String: [Int]] = [:]
        for (i, place) in places.enumerated() {
            var keys = [place.code.rawValue, place.name] + place.aliases
            if let iata = place.iata { keys.append(iata) }
            if let zh = place.nameZh { keys.append(zh) }
            for key in Set(keys.map(Self.normalise)) { index[key, default: []].append(i) }
        }
        exact = index
    }

    static func normalise(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased()
            .folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// Looks `query` up.
    /// - Complexity: O(1) for an exact match, else O(p · L²) for p places and names of length L.
    /// The fewest letters a part of a name must have to pick a place by it.
    static let shortestPartialName = 4

    public func match(_ query: String) -> PlaceMatch {
        let key = Self.normalise(query)
        guard !key.isEmpty else { return .unknown(closest: []) }
        if let hits = exact[key] {
            let zones = Self.collapsedToCities(hits.map { places[$0] })
            return zones.count == 1 ? .found(zones[0]) : .ambiguous(zones)
        }
        if key.count >= 3 {
            let partial = Self.collapsedToCities(places.filter { place in
                names(of: place).contains { $0.hasPrefix(key) || $0.contains(key) }
            })
            // Three letters are a code, not part of a name: "new" is not taken for New York JFK
            // unasked; the names that contain it are offered instead.
            if key.count < Self.shortestPartialName, !partial.isEmpty {
                return .unknown(closest: Array(rankedByName(partial, key).prefix(5)))
            }
            if partial.count == 1 { return .found(partial[0]) }
            if partial.count > 1 { return .ambiguous(Array(rankedByName(partial, key).prefix(8))) }
        }
        let closest = places.map { place in (place, names(of: place).map { editDistance($0, key) }.min() ?? .max) }
            .filter { $0.1 <= max(2, key.count / 3) }
            .sorted { ($0.1, $0.0.code) < ($1.1, $1.0.code) }
            .prefix(5).map(\.0)
        return .unknown(closest: Array(closest))
    }

    /// `candidates` with every terminal dropped whose city is itself a candidate, in their order.
    /// - Complexity: O(c) for c candidates.
    static func collapsedToCities(_ candidates: [Place]) -> [Place] {
        let cities = Set(candidates.filter { $0.kind == .city }.map(\.code))
        return candidates.filter { place in place.city.map { !cities.contains($0) } ?? true }
    }

    private func names(of place: Place) -> [String] {
        ([place.code.rawValue, place.name] + place.aliases + [place.iata, place.nameZh].compactMap { $0 })
            .map(Self.normalise)
    }

    private func rankedByName(_ candidates: [Place], _ key: String) -> [Place] {
        candidates.sorted { a, b in
            let da = names(of: a).map { editDistance($0, key) }.min() ?? .max
            let db = names(of: b).map { editDistance($0, key) }.min() ?? .max
            return (da, a.code) < (db, b.code)
        }
    }
}
