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
    /// Each place's names, normalised once (a lookup used to normalise every name of every place).
    private let normalisedNames: [[String]]
    /// The same names for the questions an unknown query asks: which contain it, which are close.
    private let names: NameIndex

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
        normalisedNames = places.map { place in
            ([place.code.rawValue, place.name] + place.aliases + [place.iata, place.nameZh].compactMap { $0 }).map(Self.normalise)
        }
        names = NameIndex(normalisedNames.enumerated().flatMap { place, names in names.map { (owner: place, name: $0) } })
    }

    static func normalise(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased()
            .folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// The fewest letters a part of a name must have to pick a place by it.
    static let shortestPartialName = 4

    /// Looks `query` up.
    /// - Complexity: O(1) for an exact match; otherwise the candidates ``NameIndex`` yields (names
    ///   sharing the query's trigrams, or enough of its bigrams), each checked in O(limit · L).
    public func match(_ query: String) -> PlaceMatch {
        let key = Self.normalise(query)
        guard !key.isEmpty else { return .unknown(closest: []) }
        if let hits = exact[key] {
            let zones = Self.collapsedToCities(hits.map { places[$0] })
            return zones.count == 1 ? .found(zones[0]) : .ambiguous(zones)
        }
        if key.count >= 3 {
            let partial = Self.collapsedToCities(names.owners(containing: key).map { places[$0] })
            // Three letters are a code, not part of a name: "new" is not taken for New York JFK
            // unasked; the names that contain it are offered instead.
            if key.count < Self.shortestPartialName, !partial.isEmpty {
                return .unknown(closest: Array(rankedByName(partial, key).prefix(5)))
            }
            if partial.count == 1 { return .found(partial[0]) }
            if partial.count > 1 { return .ambiguous(Array(rankedByName(partial, key).prefix(8))) }
        }
        // Only the names the index yields are measured, each in a band of the limit's width (a long
        // unknown name, which no name is near in length, costs nothing).
        let limit = max(2, key.count / 3)
        var closest = names.owners(within: limit, of: key).map { (place: places[$0.owner], distance: $0.distance) }
        closest.sort { ($0.distance, $0.place.code) < ($1.distance, $1.place.code) }
        return .unknown(closest: closest.prefix(5).map(\.place))
    }

    /// `candidates` with every terminal dropped whose city is itself a candidate, in their order.
    /// - Complexity: O(c) for c candidates.
    static func collapsedToCities(_ candidates: [Place]) -> [Place] {
        let cities = Set(candidates.filter { $0.kind == .city }.map(\.code))
        return candidates.filter { place in place.city.map { !cities.contains($0) } ?? true }
    }

    /// The edit distance of `a` and `b` when it is at most `limit`, else nil; O(limit · |a|).
    static func boundedDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int? {
        guard abs(a.count - b.count) <= limit else { return nil }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let big = limit + 1
        var previous = (0...b.count).map { $0 <= limit ? $0 : big }
        var current = Array(repeating: big, count: b.count + 1)
        for i in 1...a.count {
            let low = max(1, i - limit), high = min(b.count, i + limit)
            current[0] = i <= limit ? i : big
            if low > 1 { current[low - 1] = big }
            var best = current[0]
            for j in low...max(low, high) where j <= high {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                let value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                current[j] = min(value, big)
                best = min(best, current[j])
            }
            if high < b.count { current[high + 1] = big }
            if best > limit { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }

    /// `candidates` by their closest name's edit distance to `key`, then code; each distance once.
    private func rankedByName(_ candidates: [Place], _ key: String) -> [Place] {
        let wanted = Set(candidates.map(\.code))
        var distance: [PlaceCode: Int] = [:]
        for (i, place) in places.enumerated() where wanted.contains(place.code) {
            distance[place.code] = normalisedNames[i].map { editDistance($0, key) }.min() ?? .max
        }
        return candidates.sorted { (distance[$0.code] ?? .max, $0.code) < (distance[$1.code] ?? .max, $1.code) }
    }
}
