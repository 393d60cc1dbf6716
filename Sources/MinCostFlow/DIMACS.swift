import Foundation
import NetworkData

/// The DIMACS min-cost flow format (`.min`), read into and written from a ``FlowNetwork``.
///
/// ```
/// c a comment line, anywhere
/// p min NODES ARCS          exactly one, before any n or a line
/// n ID SUPPLY               optional, at most one per node; positive supplies send
/// a TAIL HEAD LOW CAP COST  exactly ARCS of them
/// ```
///
/// Node ids are 1-based in the file and 0-based in the network. Every number is a decimal
/// integer (optional sign) of at most 2^53 in magnitude; fields are separated by spaces or
/// tabs; `\r` before a line end and blank lines are accepted. The reader checks every line and
/// reports every problem with its line (see ``read(contentsOf:displayName:)``).
public enum DIMACSFormat {
    /// The most issues listed one by one; the rest are counted in a last issue.
    public static let maximumListedIssues = 100

    /// Reads a DIMACS min-cost flow file.
    ///
    /// - Parameter displayName: the file's name in messages; the path by default.
    /// - Throws: ``InvalidInput`` with every problem found, each as `file:line: kind line: message`
    ///   (a missing or unreadable file is one issue at line 1).
    /// - Complexity: O(b + n) for a file of b bytes and n nodes.
    public static func read(contentsOf url: URL, displayName: String? = nil) throws(InvalidInput) -> FlowNetwork {
        let name = displayName ?? url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw InvalidInput(issues: [InputIssue(location: .init(file: name, line: 1), field: "",
                                                   message: "file '\(name)' does not exist; expected a DIMACS min-cost flow file (.min)")])
        }
        guard !isDirectory.boolValue else {
            throw InvalidInput(issues: [InputIssue(location: .init(file: name, line: 1), field: "",
                                                   message: "'\(name)' is a directory; expected a DIMACS min-cost flow file (.min)")])
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw InvalidInput(issues: [InputIssue(location: .init(file: name, line: 1), field: "",
                                                   message: "cannot read '\(name)': \(error.localizedDescription)")])
        }
        return try parse(data, file: name)
    }

    /// Parses DIMACS min-cost flow text given as bytes (any bytes: the reader never traps).
    ///
    /// Checked: one `p min` line before any `n` or `a` line; the number of fields per line;
    /// every number an integer of at most 2^53 in magnitude; node ids in `1...NODES`; at most one
    /// `n` line per node; `LOW ≤ CAP`; as many `a` lines as the `p` line declares; supplies
    /// summing to 0; no other line kinds. The first ``maximumListedIssues`` problems are listed.
    ///
    /// - Throws: ``InvalidInput`` with the problems in line order.
    /// - Complexity: O(b + n) for b bytes and n nodes.
    public static func parse<Bytes: ContiguousBytes>(_ bytes: Bytes, file: String) throws(InvalidInput) -> FlowNetwork {
        var reader = DIMACSLineReader(file: file)
        bytes.withUnsafeBytes { reader.read($0) }
        if !reader.issues.isEmpty || reader.omittedIssues > 0 {
            var issues = reader.issues
            if reader.omittedIssues > 0 {
                issues.append(InputIssue(location: .init(file: file, line: reader.firstOmittedLine), field: "",
                                         message: "\(reader.omittedIssues) more problems from this line on are not listed (only the first \(maximumListedIssues) are)"))
            }
            throw InvalidInput(issues: issues)
        }
        return FlowNetwork(nodeCount: reader.nodeCount, arcs: reader.arcs, supply: reader.supply)
    }

    /// The network as DIMACS text: comment lines, the `p` line, an `n` line per node with
    /// non-zero supply, then one `a` line per arc in order.
    ///
    /// - Parameter comments: written first as `c` lines (line breaks inside become new `c` lines).
    /// - Throws: ``FlowError/invalidInput(_:)`` if ``FlowNetwork/validate()`` fails;
    ///   ``FlowError/notIntegral(_:)`` for a number that is not an integer, including an
    ///   infinite capacity (DIMACS has no uncapacitated arcs).
    /// - Complexity: O(n + m).
    public static func write(_ network: FlowNetwork, comments: [String] = []) throws(FlowError) -> String {
        try network.validate()
        func integer(_ value: Double, _ what: @autoclosure () -> String) throws(FlowError) -> Int64 {
            guard value.isFinite else {
                throw .notIntegral("\(what()) is \(value); DIMACS has no uncapacitated arcs (give a finite capacity)")
            }
            guard value.rounded(.towardZero) == value else {
                throw .notIntegral("\(what()) is \(value); DIMACS numbers are integers")
            }
            return Int64(value)
        }
        var out: [UInt8] = []
        out.reserveCapacity(64 + 16 * network.nodeCount / 8 + 32 * network.arcs.count)
        func put(_ text: String) { out.append(contentsOf: text.utf8) }
        func put(_ value: Int64) {
            if value < 0 { out.append(UInt8(ascii: "-")) }
            var magnitude = value.magnitude
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &digits) { buffer in
                repeat {
                    buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                    count += 1
                } while magnitude > 0
                for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
            }
        }
        for comment in comments {
            for line in comment.split(separator: "\n", omittingEmptySubsequences: false) {
                put(line.isEmpty ? "c\n" : "c \(line)\n")
            }
        }
        put("p min \(network.nodeCount) \(network.arcs.count)\n")
        for (i, value) in network.supply.enumerated() where value != 0 {
            let supply = try integer(value, "node \(i): supply")
            put("n \(i + 1) ")
            put(supply)
            put("\n")
        }
        for (k, arc) in network.arcs.enumerated() {
            let label = "arc \(k) (\(arc.tail)→\(arc.head))"
            let lower = try integer(arc.lower, "\(label): lower bound")
            let capacity = try integer(arc.capacity, "\(label): capacity")
            let cost = try integer(arc.unitCost, "\(label): unit cost")
            put("a ")
            put(Int64(arc.tail + 1))
            put(" ")
            put(Int64(arc.head + 1))
            put(" ")
            put(lower)
            put(" ")
            put(capacity)
            put(" ")
            put(cost)
            put("\n")
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The line-by-line reader behind ``DIMACSFormat/parse(_:file:)``: a fast path for well-formed
/// lines (integers parsed by hand from the bytes), a slow path that tokenizes a line to name
/// what is wrong with it.
private struct DIMACSLineReader {
    let file: String
    var issues: [InputIssue] = []
    var omittedIssues = 0
    var firstOmittedLine = 0

    var problemLine = 0  // 0: none yet
    var nodeCount = 0
    var declaredArcs = 0
    var arcLines = 0
    var arcs: [FlowArc] = []
    /// The n lines read: 0-based node, supply, line. Checked for duplicates at the end, so a
    /// bogus NODES costs no memory before the file is known to be valid.
    var nodeLines: [(node: Int32, supply: Int64, line: Int32)] = []
    var supply: [Double] = []
    var byteCount = 0

    static let magnitudeLimit: Int64 = 1 << 53
    static let countLimit = 100_000_000  // FlowNetwork's (GLPK's) limit on arcs
    /// Nodes a file may declare: each costs about 90 bytes of solver arrays, so 10 million is
    /// about 1 GB; `p min 100000000 0` (19 bytes) used to take 8.8 GB.
    static let nodeLimit = 10_000_000

    init(file: String) { self.file = file }

    mutating func report(_ line: Int, _ field: String, _ message: String) {
        guard issues.count < DIMACSFormat.maximumListedIssues else {
            if omittedIssues == 0 { firstOmittedLine = line }
            omittedIssues += 1
            return
        }
        issues.append(InputIssue(location: .init(file: file, line: line), field: field, message: message))
    }

    /// An issue about the whole file, always listed.
    mutating func reportFile(_ line: Int, _ message: String) {
        issues.append(InputIssue(location: .init(file: file, line: line), field: "", message: message))
    }

    @inline(__always) static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    mutating func read(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            reportFile(1, "the file is empty; expected a 'p min NODES ARCS' line, then 'n' and 'a' lines")
            return
        }
        let count = bytes.count
        byteCount = count
        var i = 0
        var line = 0
        while i < count {
            line += 1
            let start = i
            while i < count && Self.isBlank(base[i]) { i += 1 }
            if i == count { break }
            let kind = base[i]
            if kind == 0x0A {  // blank line
                i += 1
                continue
            }
            let next: UInt8 = i + 1 < count ? base[i + 1] : 0x0A
            let separated = next == 0x0A || Self.isBlank(next)
            if kind == UInt8(ascii: "c") {
                i = Self.lineEnd(base, from: i, count: count) + 1
                continue
            }
            if kind == UInt8(ascii: "n") && separated && problemLine > 0 {
                var id: Int64 = 0
                var value: Int64 = 0
                var p = i + 1
                if Self.integer(base, &p, count, &id) && Self.integer(base, &p, count, &value) {
                    while p < count && Self.isBlank(base[p]) { p += 1 }
                    if p == count || base[p] == 0x0A {
                        node(line, id, value)
                        i = p + 1
                        continue
                    }
                }
            }
            if kind == UInt8(ascii: "a") && separated && problemLine > 0 {
                // Fast path: five integers, nothing else.
                var values: (Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0)
                var p = i + 1
                if Self.integer(base, &p, count, &values.0) && Self.integer(base, &p, count, &values.1)
                    && Self.integer(base, &p, count, &values.2) && Self.integer(base, &p, count, &values.3)
                    && Self.integer(base, &p, count, &values.4) {
                    while p < count && Self.isBlank(base[p]) { p += 1 }
                    if p == count || base[p] == 0x0A {
                        arc(line, values.0, values.1, values.2, values.3, values.4)
                        i = p + 1
                        continue
                    }
                }
            }
            let end = Self.lineEnd(base, from: i, count: count)
            slowLine(line, UnsafeBufferPointer(start: base + start, count: end - start))
            i = end + 1
        }
        finish(lastLine: max(line, 1))
    }

    @inline(__always) static func lineEnd(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        if let found = memchr(base + from, 0x0A, count - from) {
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        return count
    }

    /// Skips blanks and reads `[+-]digits` (at most 18 digits) ending at a blank, a line end or
    /// the end of the bytes; `false` for anything else (the slow path then says what).
    @inline(__always) static func integer(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ count: Int, _ value: inout Int64) -> Bool {
        var i = p
        while i < count && isBlank(base[i]) { i += 1 }
        guard i < count else { return false }
        var negative = false
        if base[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        } else if base[i] == UInt8(ascii: "+") {
            i += 1
        }
        let first = i
        var result: Int64 = 0
        while i < count {
            let digit = base[i] &- 0x30
            guard digit < 10 else { break }
            result = result &* 10 &+ Int64(digit)
            i += 1
        }
        let digits = i - first
        guard digits > 0, digits <= 18 else { return false }
        if i < count && !(base[i] == 0x0A || isBlank(base[i])) { return false }
        value = negative ? 0 &- result : result
        p = i
        return true
    }

    // MARK: Checks shared by both paths

    mutating func arc(_ line: Int, _ tail: Int64, _ head: Int64, _ low: Int64, _ cap: Int64, _ cost: Int64) {
        arcLines += 1
        var ok = true
        if !(1...Int64(nodeCount)).contains(tail) { report(line, "arc line", "tail \(tail) is out of range 1...\(nodeCount)"); ok = false }
        if !(1...Int64(nodeCount)).contains(head) { report(line, "arc line", "head \(head) is out of range 1...\(nodeCount)"); ok = false }
        if low.magnitude > Self.magnitudeLimit || cap.magnitude > Self.magnitudeLimit || cost.magnitude > Self.magnitudeLimit {
            for (name, value) in [("low", low), ("cap", cap), ("cost", cost)] where value.magnitude > Self.magnitudeLimit {
                report(line, "arc line", "\(name) \(value) exceeds 2^53 in magnitude")
            }
            ok = false
        }
        if low > cap { report(line, "arc line", "low \(low) exceeds cap \(cap)"); ok = false }
        if ok && arcLines <= declaredArcs && issues.isEmpty {
            arcs.append(FlowArc(tail: Int(tail) - 1, head: Int(head) - 1, lower: Double(low), capacity: Double(cap), unitCost: Double(cost)))
        }
    }

    mutating func node(_ line: Int, _ id: Int64, _ value: Int64) {
        guard (1...Int64(nodeCount)).contains(id) else {
            report(line, "node line", "node \(id) is out of range 1...\(nodeCount)")
            return
        }
        guard value.magnitude <= Self.magnitudeLimit else {
            report(line, "node line", "supply \(value) exceeds 2^53 in magnitude")
            return
        }
        nodeLines.append((Int32(id - 1), value, Int32(clamping: line)))
    }

    // MARK: Slow path

    /// Splits a line into blank-separated tokens.
    static func tokens(_ line: UnsafeBufferPointer<UInt8>) -> [UnsafeBufferPointer<UInt8>] {
        var result: [UnsafeBufferPointer<UInt8>] = []
        var i = 0
        while i < line.count {
            while i < line.count && isBlank(line[i]) { i += 1 }
            let start = i
            while i < line.count && !isBlank(line[i]) { i += 1 }
            if i > start { result.append(UnsafeBufferPointer(rebasing: line[start..<i])) }
        }
        return result
    }

    /// A token for a message: printable ASCII as is, other bytes as `\xNN`, at most 24 bytes.
    static func show(_ token: UnsafeBufferPointer<UInt8>) -> String {
        var text = ""
        for byte in token.prefix(24) {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "'") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return token.count > 24 ? text + "…" : text
    }

    enum Number { case value(Int64), notInteger, tooLarge }

    /// A strict decimal integer: `[+-]digits`, at most 2^53 in magnitude (leading zeros allowed).
    static func number(_ token: UnsafeBufferPointer<UInt8>) -> Number {
        var i = 0
        var negative = false
        if i < token.count && (token[i] == UInt8(ascii: "-") || token[i] == UInt8(ascii: "+")) {
            negative = token[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < token.count else { return .notInteger }
        var result: Int64 = 0
        var large = false
        while i < token.count {
            let digit = token[i] &- 0x30
            guard digit < 10 else { return .notInteger }
            if !large {
                result = result * 10 + Int64(digit)
                if result > magnitudeLimit { large = true }
            }
            i += 1
        }
        if large { return .tooLarge }
        return .value(negative ? -result : result)
    }

    /// Parses the numeric fields `tokens[1...]` named `names`, reporting each bad one.
    mutating func numbers(_ line: Int, _ field: String, _ tokens: [UnsafeBufferPointer<UInt8>], _ names: [String]) -> [Int64]? {
        var values: [Int64] = []
        var ok = true
        for (index, name) in names.enumerated() {
            switch Self.number(tokens[index + 1]) {
            case .value(let value): values.append(value)
            case .notInteger:
                report(line, field, "\(name) '\(Self.show(tokens[index + 1]))' is not an integer")
                ok = false
            case .tooLarge:
                report(line, field, "\(name) \(Self.show(tokens[index + 1])) exceeds 2^53 in magnitude")
                ok = false
            }
        }
        return ok ? values : nil
    }

    mutating func slowLine(_ line: Int, _ text: UnsafeBufferPointer<UInt8>) {
        let tokens = Self.tokens(text)
        guard let first = tokens.first else { return }
        let kind = first.count == 1 ? first[0] : 0
        switch kind {
        case UInt8(ascii: "p"):
            problem(line, tokens)
        case UInt8(ascii: "n"):
            guard problemLine > 0 else {
                if problemLine == 0 { report(line, "node line", "comes before the problem line; put 'p min NODES ARCS' first") }
                return
            }
            guard tokens.count == 3 else {
                report(line, "node line", "expected 'n ID SUPPLY' (2 numbers), found \(tokens.count - 1) field\(tokens.count == 2 ? "" : "s") after 'n'")
                return
            }
            if let values = numbers(line, "node line", tokens, ["id", "supply"]) { node(line, values[0], values[1]) }
        case UInt8(ascii: "a"):
            guard problemLine > 0 else {
                if problemLine == 0 { report(line, "arc line", "comes before the problem line; put 'p min NODES ARCS' first") }
                return
            }
            guard tokens.count == 6 else {
                arcLines += 1
                report(line, "arc line", "expected 'a TAIL HEAD LOW CAP COST' (5 numbers), found \(tokens.count - 1) field\(tokens.count == 2 ? "" : "s") after 'a'")
                return
            }
            if let values = numbers(line, "arc line", tokens, ["tail", "head", "low", "cap", "cost"]) {
                arc(line, values[0], values[1], values[2], values[3], values[4])
            } else {
                arcLines += 1
            }
        default:
            report(line, "", "unknown line kind '\(Self.show(first))'; expected c (comment), p (problem), n (node) or a (arc)")
        }
    }

    mutating func problem(_ line: Int, _ tokens: [UnsafeBufferPointer<UInt8>]) {
        guard problemLine == 0 else {
            report(line, "problem line", "a second problem line (the first is line \(abs(problemLine))); give exactly one")
            return
        }
        guard tokens.count == 4 else {
            report(line, "problem line", "expected 'p min NODES ARCS', found \(tokens.count - 1) field\(tokens.count == 2 ? "" : "s") after 'p'")
            problemLine = -line  // seen, but unusable: later n and a lines are not checked
            return
        }
        guard Array(tokens[1]) == Array("min".utf8) else {
            report(line, "problem line", "problem type '\(Self.show(tokens[1]))' is not 'min'; this reader takes min-cost flow problems")
            problemLine = -line
            return
        }
        guard let values = numbers(line, "problem line", Array(tokens.dropFirst()), ["nodes", "arcs"]) else {
            problemLine = -line
            return
        }
        let (n, m) = (values[0], values[1])
        var ok = true
        if !(1...Int64(Self.nodeLimit)).contains(n) {
            report(line, "problem line", "nodes \(n) is out of range 1...\(Self.nodeLimit)")
            ok = false
        }
        if !(0...Int64(Self.countLimit)).contains(m) {
            report(line, "problem line", "arcs \(m) is out of range 0...\(Self.countLimit)")
            ok = false
        }
        guard ok else {
            problemLine = -line
            return
        }
        problemLine = line
        nodeCount = Int(n)
        declaredArcs = Int(m)
        arcs.reserveCapacity(min(declaredArcs, byteCount / 12))  // an arc line has at least 12 bytes
    }

    mutating func finish(lastLine: Int) {
        if problemLine == 0 {
            reportFile(1, "no problem line; a DIMACS min-cost flow file needs 'p min NODES ARCS' before its n and a lines")
            return
        }
        guard problemLine > 0 else { return }
        if arcLines != declaredArcs {
            reportFile(problemLine, "problem line: declares \(declaredArcs) arc\(declaredArcs == 1 ? "" : "s") but the file has \(arcLines) arc lines")
        }
        // One n line per node: sorted by node (then line), a repeat is a later line.
        nodeLines.sort { ($0.node, $0.line) < ($1.node, $1.line) }
        var sent: Int64 = 0
        var received: Int64 = 0
        var overflow = false
        for (index, entry) in nodeLines.enumerated() {
            if index > 0 && nodeLines[index - 1].node == entry.node {
                report(Int(entry.line), "node line", "node \(entry.node + 1) already has a node line (line \(nodeLines[index - 1].line)); give one per node")
                continue
            }
            let amount = entry.supply
            if amount > 0 {
                let (sum, o) = sent.addingReportingOverflow(amount)
                sent = sum
                overflow = overflow || o
            } else {
                let (sum, o) = received.addingReportingOverflow(-amount)
                received = sum
                overflow = overflow || o
            }
        }
        if overflow {
            reportFile(problemLine, "supplies: the total supply exceeds 2^63")
        } else if sent != received {
            reportFile(problemLine, "supplies sum to \(sent - received) (nodes send \(sent), receive \(received)); they must sum to 0")
        }
        if issues.isEmpty && omittedIssues == 0 {
            supply = [Double](repeating: 0, count: nodeCount)
            for entry in nodeLines { supply[Int(entry.node)] = Double(entry.supply) }
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}
