import Foundation

/// Reads an input file after checking what it is: only a regular file (or a link to one) is read,
/// and only up to a size limit, so a FIFO never hangs the tool, a device never feeds it without
/// end, and the message says what was found instead of a misleading "permission" error.
public enum InputFile {
    /// Why a file was not read, for the caller's message (file, line 1).
    public struct Refusal: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The contents of `path`, at most `limit` bytes.
    public static func read(_ path: String, limit: Int) throws(Refusal) -> Data {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            throw Refusal(message: "cannot read the file: \(reason.lowercased())")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Refusal(message: "is a folder; expected a file")
        case S_IFIFO: throw Refusal(message: "is a FIFO; expected a regular file (reading it could wait forever)")
        case S_IFCHR, S_IFBLK: throw Refusal(message: "is a device; expected a regular file")
        default: throw Refusal(message: "is not a regular file; expected a regular file")
        }
        guard Int64(status.st_size) <= Int64(limit) else {
            throw Refusal(message: "file is \(status.st_size) bytes; expected at most \(limit / (1024 * 1024)) MiB")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Refusal(message: "cannot open the file for reading")
        }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else {
                throw Refusal(message: "file is larger than \(limit / (1024 * 1024)) MiB; expected at most that")
            }
            return data
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw Refusal(message: "cannot read the file: \(error.localizedDescription)")
        }
    }
}

/// Numbers as the input files and flags write them: decimal digits with an optional sign,
/// fraction and exponent (`12`, `-0.5`, `1.2e3`). Hexadecimal (`0x10`), `inf`, `nan` and
/// surrounding text are refused, though Swift's `Double(_:)` accepts several of them.
public enum DecimalText {
    /// The value of `text`, or nil when it is not a finite decimal number.
    public static func number(_ text: String) -> Double? {
        var scalars = text.unicodeScalars[...]
        func digits() -> Int {
            var count = 0
            while let c = scalars.first, ("0"..."9").contains(c) { scalars.removeFirst(); count += 1 }
            return count
        }
        if let c = scalars.first, c == "+" || c == "-" { scalars.removeFirst() }
        var mantissa = digits()
        if scalars.first == "." {
            scalars.removeFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return nil }
        if let c = scalars.first, c == "e" || c == "E" {
            scalars.removeFirst()
            if let s = scalars.first, s == "+" || s == "-" { scalars.removeFirst() }
            guard digits() > 0 else { return nil }
        }
        guard scalars.isEmpty, let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
