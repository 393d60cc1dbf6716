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
    public func match(_ query: String) -> PlaceMatch {
        let key = Self.normalise(query)
        guard !key.isEmpty else { return .unknown(closest: []) }
        if let hits = exact[key] {
            return hits.count == 1 ? .found(places[hits[0]]) : .ambiguous(hits.map { places[$0] })
        }
        if key.count >= 3 {
            let partial = places.filter { place in
                names(of: place).contains { $0.hasPrefix(key) || $0.contains(key) }
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
