import Foundation

/// Finds the built-in network (`networks/chongqing/network.yaml`) shipped with the repository.
public enum BuiltInNetwork {
    /// The manifest path inside a checkout.
    public static let relativePath = "networks/chongqing/network.yaml"

    /// The built-in manifest: beside the running executable's checkout, the working directory's,
    /// or the checkout this module was compiled from. Nil when none exists.
    public static func manifestURL() -> URL? { repositoryFile(relativePath) }

    /// A file shipped with the repository (`networks/…`), looked for as the manifest is.
    /// - Complexity: O(depth) file-existence checks.
    public static func repositoryFile(_ relativePath: String) -> URL? {
        var starts: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            starts.append(executable.deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        starts.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        for start in starts {
            var directory = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = directory.appendingPathComponent(relativePath)
                if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }
}
