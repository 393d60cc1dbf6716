import Foundation

/// Writes an output file so that a killed run never leaves it half-written and a path that is not
/// a plain file is never replaced.
///
/// - A regular file, or a new path: written to a temporary file beside it, then renamed over it.
/// - A symbolic link: followed; its final target is written as above (the link stays a link).
/// - A character device (such as `/dev/null`): written through, never replaced.
/// - A FIFO, socket, directory or block device: refused, since writing could hang or destroy it.
public enum OutputFile {
    /// Why an output could not be written: its path and what went wrong.
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Writes `data` to `path` (see ``OutputFile``).
    public static func write(_ data: Data, to path: String) throws(Failure) {
        let target = resolvedTarget(of: path)
        var status = stat()
        if lstat(target, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFCHR:
                try writeThrough(data, to: target, shownAs: path)
                return
            case S_IFDIR: throw Failure(path: path, reason: "is a folder; expected a file name")
            case S_IFIFO: throw Failure(path: path, reason: "is a FIFO; expected a regular file (writing could wait forever for a reader)")
            default: throw Failure(path: path, reason: "is not a regular file; expected a regular file or a new path")
            }
        }
        do {
            try data.write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            throw Failure(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// The final target of `path` when it is a symbolic link (chains followed, relative targets
    /// taken from the link's folder); `path` itself otherwise, or when the chain is longer than 32.
    static func resolvedTarget(of path: String) -> String {
        var current = path
        for _ in 0..<32 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = destination.hasPrefix("/")
                ? destination
                : (URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(destination).path)
        }
        return path
    }

    private static func writeThrough(_ data: Data, to target: String, shownAs path: String) throws(Failure) {
        guard let handle = FileHandle(forWritingAtPath: target) else {
            throw Failure(path: path, reason: "cannot open the device for writing")
        }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: data) } catch {
            throw Failure(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
