import Foundation
import NetworkData
import Testing
import TestFixtures
@testable import MinCostFlow
@testable import GLPKSolver
@testable import Simulation

/// The classic 4-node network of `MinCostFlowTests` in DIMACS form (optimum 14).
let classicDIMACS = """
    c the classic network: ship 4 units from 1 to 4
    p min 4 5
    n 1 4
    n 4 -4
    a 1 2 0 4 2
    a 1 3 0 2 2
    a 2 3 0 2 1
    a 2 4 0 3 3
    a 3 4 0 5 1

    """

/// The issues' descriptions, or the network if `text` parses.
func dimacsIssues(_ text: String) -> [String] {
    dimacsIssues(Array(text.utf8))
}

func dimacsIssues(_ bytes: [UInt8]) -> [String] {
    do {
        _ = try DIMACSFormat.parse(bytes, file: "bad.min")
        return []
    } catch {
        return error.issues.map(\.description)
    }
}

@Suite("DIMACS min-cost flow format")
struct DIMACSTests {
    @Test("reads the classic network; the network simplex finds 14")
    func readsClassic() throws {
        let network = try DIMACSFormat.parse(Array(classicDIMACS.utf8), file: "classic.min")
        #expect(network.nodeCount == 4)
        #expect(network.supply == [4, 0, 0, -4])
        #expect(network.arcs[3] == FlowArc(tail: 1, head: 3, lower: 0, capacity: 3, unitCost: 3))
        let solution = try #require(try network.solve(using: .networkSimplex).optimalSolution)
        #expect(solution.cost == 14)
        #expect(certificateViolations(network, solution, tolerance: 0) == [])
    }

    @Test("tabs, CRLF line ends, blank lines, leading blanks, signs and a missing final newline are accepted")
    func lenientWhitespace() throws {
        let text = "c x\r\n\r\n  p\tmin 3 2\r\nn 1 +2\r\n\tn 3 -2\r\na 1 2 -1 5 -3\r\na 2\t3 0 5 +4"
        let network = try DIMACSFormat.parse(Array(text.utf8), file: "crlf.min")
        #expect(network == FlowNetwork(nodeCount: 3, arcs: [FlowArc(tail: 0, head: 1, lower: -1, capacity: 5, unitCost: -3),
                                                               FlowArc(tail: 1, head: 2, lower: 0, capacity: 5, unitCost: 4)],
                                      supply: [2, 0, -2]))
    }

    @Test("write then read gives the same network", arguments: 0..<40 as Range<UInt64>)
    func roundTrip(seed: UInt64) throws {
        var network = seed < 20 ? randomNetwork(seed: seed) : randomTransportNetwork(seed: seed, nodes: 5...80)
        for k in network.arcs.indices where network.arcs[k].capacity == .infinity {
            network.arcs[k].capacity = 1_000_000  // DIMACS has no uncapacitated arcs
        }
        let text = try DIMACSFormat.write(network, comments: ["seed \(seed)", "two\nlines"])
        #expect(text.hasPrefix("c seed \(seed)\nc two\nc lines\np min \(network.nodeCount) \(network.arcs.count)\n"))
        let back = try DIMACSFormat.parse(Array(text.utf8), file: "round.min")
        #expect(back == network, "seed \(seed)")
    }

    @Test("the writer refuses what DIMACS cannot say")
    func writerRefuses() {
        let uncapacitated = FlowNetwork(nodeCount: 2, arcs: [FlowArc(tail: 0, head: 1, unitCost: 1)])
        #expect(throws: FlowError.notIntegral("arc 0 (0→1): capacity is inf; DIMACS has no uncapacitated arcs (give a finite capacity)")) {
            try DIMACSFormat.write(uncapacitated)
        }
        let fractional = FlowNetwork(nodeCount: 2, arcs: [FlowArc(tail: 0, head: 1, capacity: 2, unitCost: 1.5)])
        #expect(throws: FlowError.notIntegral("arc 0 (0→1): unit cost is 1.5; DIMACS numbers are integers")) {
            try DIMACSFormat.write(fractional)
        }
    }

    static let malformed: [(String, String, [String])] = [
        ("arc head out of range", "p min 5 1\nn 1 1\nn 5 -1\na 1 0 0 1 1\n",
         ["bad.min:4: arc line: head 0 is out of range 1...5"]),
        ("tail and head both out of range", "p min 2 1\na 3 -1 0 1 1\n",
         ["bad.min:2: arc line: tail 3 is out of range 1...2", "bad.min:2: arc line: head -1 is out of range 1...2"]),
        ("no problem line", "c nothing\nn 1 1\na 1 2 0 1 1\n",
         ["bad.min:1: no problem line; a DIMACS min-cost flow file needs 'p min NODES ARCS' before its n and a lines",
          "bad.min:2: node line: comes before the problem line; put 'p min NODES ARCS' first",
          "bad.min:3: arc line: comes before the problem line; put 'p min NODES ARCS' first"]),
        ("empty file", "", ["bad.min:1: the file is empty; expected a 'p min NODES ARCS' line, then 'n' and 'a' lines"]),
        ("only comments", "c a\nc b\n",
         ["bad.min:1: no problem line; a DIMACS min-cost flow file needs 'p min NODES ARCS' before its n and a lines"]),
        ("second problem line", "p min 2 0\np min 3 0\n",
         ["bad.min:2: problem line: a second problem line (the first is line 1); give exactly one"]),
        ("problem type", "p max 2 0\n",
         ["bad.min:1: problem line: problem type 'max' is not 'min'; this reader takes min-cost flow problems"]),
        ("short problem line", "p min 2\n", ["bad.min:1: problem line: expected 'p min NODES ARCS', found 2 fields after 'p'"]),
        ("no nodes", "p min 0 0\n", ["bad.min:1: problem line: nodes 0 is out of range 1...10000000"]),
        // Issue #14: 19 bytes that took 8.8 GB.
        ("a hundred million nodes", "p min 100000000 0\n", ["bad.min:1: problem line: nodes 100000000 is out of range 1...10000000"]),
        ("fewer arcs than declared", "p min 2 3\na 1 2 0 1 1\na 2 1 0 1 1\n",
         ["bad.min:1: problem line: declares 3 arcs but the file has 2 arc lines"]),
        ("more arcs than declared", "p min 2 1\na 1 2 0 1 1\na 2 1 0 1 1\n",
         ["bad.min:1: problem line: declares 1 arc but the file has 2 arc lines"]),
        ("truncated arc line", "p min 2 1\na 1 2 0\n",
         ["bad.min:2: arc line: expected 'a TAIL HEAD LOW CAP COST' (5 numbers), found 3 fields after 'a'"]),
        ("extra field", "p min 2 1\na 1 2 0 1 1 7\n",
         ["bad.min:2: arc line: expected 'a TAIL HEAD LOW CAP COST' (5 numbers), found 6 fields after 'a'"]),
        ("truncated node line", "p min 2 0\nn 1\n",
         ["bad.min:2: node line: expected 'n ID SUPPLY' (2 numbers), found 1 field after 'n'"]),
        ("non-integer", "p min 2 1\na 1 2 0 1.5 3\n", ["bad.min:2: arc line: cap '1.5' is not an integer"]),
        ("exponent", "p min 2 1\na 1 2 0 1e3 3\n", ["bad.min:2: arc line: cap '1e3' is not an integer"]),
        ("huge number", "p min 2 1\na 1 2 0 99999999999999999999 3\n",
         ["bad.min:2: arc line: cap 99999999999999999999 exceeds 2^53 in magnitude"]),
        ("just above 2^53", "p min 2 1\na 1 2 0 1 -9007199254740993\n",
         ["bad.min:2: arc line: cost -9007199254740993 exceeds 2^53 in magnitude"]),
        ("low above cap", "p min 2 1\na 1 2 5 3 1\n", ["bad.min:2: arc line: low 5 exceeds cap 3"]),
        ("unknown line kind", "p min 2 0\nx 1 2\narc 1 2\n",
         ["bad.min:2: unknown line kind 'x'; expected c (comment), p (problem), n (node) or a (arc)",
          "bad.min:3: unknown line kind 'arc'; expected c (comment), p (problem), n (node) or a (arc)"]),
        ("supplies not summing to zero", "p min 3 0\nn 1 3\nn 2 -1\n",
         ["bad.min:1: supplies sum to 2 (nodes send 3, receive 1); they must sum to 0"]),
        ("second node line", "p min 3 0\nn 2 1\nn 3 -1\nn 2 1\n",
         ["bad.min:4: node line: node 2 already has a node line (line 2); give one per node"]),
        ("node out of range", "p min 3 0\nn 4 1\n", ["bad.min:2: node line: node 4 is out of range 1...3"]),
        ("every problem, in line order",
         "p min 3 2\nn 1 5\na 1 2 0 4 x\nz\na 1 9 0 1 1\nn 3 -4\n",
         ["bad.min:1: supplies sum to 1 (nodes send 5, receive 4); they must sum to 0",
          "bad.min:3: arc line: cost 'x' is not an integer",
          "bad.min:4: unknown line kind 'z'; expected c (comment), p (problem), n (node) or a (arc)",
          "bad.min:5: arc line: head 9 is out of range 1...3"]),
    ]

    @Test("malformed files list every problem with its line", arguments: malformed)
    func malformedFile(label: String, text: String, expected: [String]) {
        #expect(dimacsIssues(text) == expected, "\(label)")
    }

    @Test("bytes that are not UTF-8 are shown escaped")
    func nonUTF8() {
        let bytes = Array("p min 2 1\na 1 2 0 ".utf8) + [0xFF, 0x00, 0xC3] + Array(" 1\n\u{1}\n".utf8)
        #expect(dimacsIssues(bytes) == [
            "bad.min:2: arc line: cap '\\xFF\\x00\\xC3' is not an integer",
            "bad.min:3: unknown line kind '\\x01'; expected c (comment), p (problem), n (node) or a (arc)",
        ])
    }

    @Test("more than 100 problems: the first 100 are listed, the rest counted")
    func manyProblems() {
        let text = "p min 2 250\n" + String(repeating: "a 1 3 0 1 1\n", count: 250)
        let issues = dimacsIssues(text)
        #expect(issues.count == 101)
        #expect(issues.first == "bad.min:2: arc line: head 3 is out of range 1...2")
        #expect(issues.last == "bad.min:102: 150 more problems from this line on are not listed (only the first 100 are)")
    }

    @Test("a missing file is one issue")
    func missingFile() {
        do {
            _ = try DIMACSFormat.read(contentsOf: URL(fileURLWithPath: "/nonexistent/x.min"), displayName: "x.min")
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.map(\.description) == ["x.min:1: file 'x.min' does not exist; expected a DIMACS min-cost flow file (.min)"])
        }
    }

    @Test("random bytes and damaged files never crash; every issue names a line")
    func randomBytes() throws {
        var random = SeededGenerator(seed: 2026)
        let good = Array(classicDIMACS.utf8)
        let alphabet = Array("pminac 0123456789-+\n\t\r.x".utf8)
        for round in 0..<1_500 {
            var bytes: [UInt8]
            switch round % 3 {
            case 0:  // arbitrary bytes
                bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1:  // DIMACS-like tokens in random order
                bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                bytes = Array("p min 4 3\n".utf8) + bytes
            default:  // the good file, truncated and with a few bytes changed
                bytes = Array(good.prefix(Int.random(in: 0...good.count, using: &random)))
                for _ in 0..<Int.random(in: 0...3, using: &random) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            do {
                let network = try DIMACSFormat.parse(bytes, file: "r.min")
                try network.validate()
            } catch let error as InvalidInput {
                #expect(!error.issues.isEmpty)
                #expect(error.issues.allSatisfy { $0.location.line >= 1 && $0.location.file == "r.min" })
            }
        }
    }
}
