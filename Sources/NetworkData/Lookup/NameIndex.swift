/// Names indexed for the two questions a lookup asks when a query is no name: which names
/// contain it, and which are within a few edits of it.
///
/// Containment uses trigram postings (a name containing the query contains each of its
/// trigrams). Closeness uses the q-gram count filter with bigrams: `k` edits destroy at most
/// `2k` of the query's bigram positions, so a name within `k` edits shares at least
/// `distinct bigrams of the query − 2k` of them; when that bound says nothing (short queries),
/// only the names whose length is within `k` are measured. Either way an unknown name costs the
/// candidates the index yields, not a pass over every name.
struct NameIndex: Sendable {
    /// Each indexed name (already normalised) and the place it belongs to.
    private let names: [[Character]]
    private let texts: [String]
    private let owners: [Int]
    /// Name ids, ascending, by the trigrams and bigrams they contain.
    private let trigrams: [Gram: [Int32]]
    private let bigrams: [Gram: [Int32]]
    /// Name ids by length in characters.
    private let byLength: [[Int32]]

    /// Two or three characters of a name.
    private struct Gram: Hashable {
        var first: Character
        var second: Character
        var third: Character?
    }

    /// Indexes `names`, each given with the owner it stands for.
    /// - Complexity: O(n · L) for n names of length L.
    init(_ named: [(owner: Int, name: String)]) {
        names = named.map { Array($0.name) }
        texts = named.map(\.name)
        owners = named.map(\.owner)
        var trigrams: [Gram: [Int32]] = [:], bigrams: [Gram: [Int32]] = [:]
        var byLength: [[Int32]] = []
        for (id, name) in names.enumerated() {
            let id32 = Int32(id)
            for gram in Self.grams(name, size: 3) { trigrams[gram, default: []].append(id32) }
            for gram in Self.grams(name, size: 2) { bigrams[gram, default: []].append(id32) }
            while byLength.count <= name.count { byLength.append([]) }
            byLength[name.count].append(id32)
        }
        self.trigrams = trigrams
        self.bigrams = bigrams
        self.byLength = byLength
    }

    /// The distinct grams of `size` (2 or 3) in `text`.
    private static func grams(_ text: [Character], size: Int) -> Set<Gram> {
        guard text.count >= size else { return [] }
        var found: Set<Gram> = []
        for start in 0...(text.count - size) {
            found.insert(Gram(first: text[start], second: text[start + 1], third: size == 3 ? text[start + 2] : nil))
        }
        return found
    }

    /// The owners of the names that contain `key` (three characters or more), ascending.
    /// - Complexity: O(g · P) for g trigrams in `key` and postings of length P, then one
    ///   containment check per name holding all of them.
    func owners(containing key: String) -> [Int] {
        let characters = Array(key)
        guard characters.count >= 3 else { return [] }
        var lists: [[Int32]] = []
        for gram in Self.grams(characters, size: 3) {
            guard let list = trigrams[gram] else { return [] }
            lists.append(list)
        }
        lists.sort { $0.count < $1.count }
        var candidates = Set(lists[0])
        for list in lists.dropFirst() where !candidates.isEmpty {
            candidates.formIntersection(list)
        }
        return Set(candidates.filter { texts[Int($0)].contains(key) }.map { owners[Int($0)] }).sorted()
    }

    /// Every owner with a name within `limit` edits of `key`, with its smallest distance.
    /// - Complexity: O(b · P) for b bigrams in `key`, then O(limit · |key|) per candidate name.
    func owners(within limit: Int, of key: String) -> [(owner: Int, distance: Int)] {
        let characters = Array(key)
        let shortest = max(0, characters.count - limit), longest = min(byLength.count - 1, characters.count + limit)
        guard shortest <= longest else { return [] }
        let keyBigrams = Self.grams(characters, size: 2)
        let required = keyBigrams.count - 2 * limit
        var candidates: [Int32] = []
        if required >= 1 {
            var shared: [Int32: Int] = [:]
            for gram in keyBigrams {
                for id in bigrams[gram] ?? [] { shared[id, default: 0] += 1 }
            }
            candidates = shared.compactMap { id, count in
                count >= required && (shortest...longest).contains(names[Int(id)].count) ? id : nil
            }
        } else {
            for length in shortest...longest { candidates += byLength[length] }
        }
        var best: [Int: Int] = [:]
        for id in candidates {
            guard let distance = PlaceDirectory.boundedDistance(characters, names[Int(id)], limit: limit) else { continue }
            let owner = owners[Int(id)]
            best[owner] = min(best[owner] ?? .max, distance)
        }
        return best.map { (owner: $0.key, distance: $0.value) }
    }
}
