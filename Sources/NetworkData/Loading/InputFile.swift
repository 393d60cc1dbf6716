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

    /// What `path` is when it exists and is not a regular file ("a FIFO", "a device", "a folder",
    /// "not a regular file"); nil for a regular file or a path that does not exist.
    public static func nonRegularKind(at path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        let kind = kind(of: status)
        return kind.isEmpty ? nil : kind
    }

    /// "" for a regular file, else what the file is.
    private static func kind(of status: stat) -> String {
        switch status.st_mode & S_IFMT {
        case S_IFREG: ""
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFCHR, S_IFBLK: "a device"
        default: "not a regular file"
        }
    }

    /// The contents of `path`, at most `limit` bytes.
    public static func read(_ path: String, limit: Int) throws(Refusal) -> Data {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            throw Refusal(message: "cannot read the file: \(reason.lowercased())")
        }
        let kind = kind(of: status)
        if !kind.isEmpty {
            throw Refusal(message: "is \(kind); expected a regular file" + (status.st_mode & S_IFMT == S_IFIFO ? " (reading it could wait forever)" : ""))
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
