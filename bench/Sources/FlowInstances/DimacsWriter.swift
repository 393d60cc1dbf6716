import Foundation

/// Writes a `FlowInstance` as a DIMACS minimum-cost flow file (`p min`, `n id supply` for the
/// nodes with a supply, `a tail head low cap cost`, 1-based ids), formatting the numbers into a
/// byte buffer that is flushed every megabyte.
struct DimacsWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(1 << 20 + 256)
    }

    /// Writes the whole instance and closes the file.
    /// - Complexity: O(n + m).
    mutating func write(_ instance: FlowInstance) throws {
        for comment in instance.comments {
            append("c \(comment)\n")
        }
        append("p min \(instance.nodeCount) \(instance.arcCount)\n")
        for (node, supply) in instance.supply.enumerated() where supply != 0 {
            byte(UInt8(ascii: "n")); space(); number(node + 1); space(); number(supply); newline()
            try flushIfFull()
        }
        for arc in 0..<instance.arcCount {
            byte(UInt8(ascii: "a")); space()
            number(Int(instance.tail[arc]) + 1); space()
            number(Int(instance.head[arc]) + 1); space()
            number(instance.lower[arc]); space()
            number(instance.capacity[arc]); space()
            number(instance.cost[arc]); newline()
            try flushIfFull()
        }
        try flush()
        try handle.close()
    }

    private mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }
    private mutating func byte(_ value: UInt8) { buffer.append(value) }
    private mutating func space() { buffer.append(0x20) }
    private mutating func newline() { buffer.append(0x0A) }

    private mutating func number(_ value: Int) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude < 10 {
            buffer.append(0x30 + UInt8(magnitude))
            return
        }
        let start = buffer.count
        while magnitude > 0 {
            buffer.append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        }
        buffer[start...].reverse()
    }

    private mutating func flushIfFull() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    private mutating func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
