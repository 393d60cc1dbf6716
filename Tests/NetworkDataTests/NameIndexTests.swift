@testable import NetworkData
import Testing

/// The name index answers exactly what a pass over every name answers, on seeded random names
/// and queries (it replaced that pass so that thousands of unknown names stay cheap).
@Suite("Name index")
struct NameIndexTests {
    struct Words {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        mutating func word(_ letters: [Character], length: Int) -> String {
            String((0..<length).map { _ in letters[next(letters.count)] })
        }
    }

    @Test func containmentEqualsAScan() {
        var words = Words(state: 0x2545_F491_4F6C_DD1D)
        let letters = Array("abcdé上")
        let named = (0..<400).map { (owner: $0 / 3, name: words.word(letters, length: 1 + words.next(9))) }
        let index = NameIndex(named)
        var nonEmpty = 0
        for _ in 0..<2_000 {
            let key = words.word(letters, length: 3 + words.next(4))
            let scanned = Set(named.filter { $0.name.contains(key) }.map(\.owner)).sorted()
            #expect(index.owners(containing: key) == scanned, "'\(key)'")
            if !scanned.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 100 && nonEmpty < 1_900, "\(nonEmpty) queries found something: the sample does not exercise both sides")
    }

    @Test func closenessEqualsAScan() {
        var words = Words(state: 0x9E37_79B9_7F4A_7C15)
        let letters = Array("abcdeé上")
        let named = (0..<300).map { (owner: $0 / 2, name: words.word(letters, length: words.next(14))) }
        let index = NameIndex(named)
        var answered = 0, filtered = 0
        for _ in 0..<1_500 {
            let key = words.word(letters, length: words.next(16))
            let limit = max(2, key.count / 3)
            var scanned: [Int: Int] = [:]
            for (owner, name) in named {
                if let distance = PlaceDirectory.boundedDistance(Array(key), Array(name), limit: limit) {
                    scanned[owner] = min(scanned[owner] ?? .max, distance)
                }
            }
            let indexed = Dictionary(uniqueKeysWithValues: index.owners(within: limit, of: key).map { ($0.owner, $0.distance) })
            #expect(indexed == scanned, "'\(key)' limit \(limit)")
            if !scanned.isEmpty { answered += 1 }
            if Set(Array(key).indices.dropLast().map { "\(Array(key)[$0])\(Array(key)[$0 + 1])" }).count > 2 * limit { filtered += 1 }
        }
        #expect(answered > 100 && answered < 1_400, "\(answered) queries had close names")
        #expect(filtered > 100, "\(filtered) queries went through the bigram filter: too few to test it")
    }
}
