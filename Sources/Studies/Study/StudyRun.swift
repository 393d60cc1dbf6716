import NetworkData
import Crypto
import Foundation
import BuildInfo

/// One run of a study: a scenario with one combination of the grid's values.
public struct StudyRun: Sendable {
    public var scenario: Scenario
    public var grid: GridAssignment
    /// `name` or `name[seed=2,demandFactor=1.25]`: unique in a study.
    public var key: String
    /// SHA-256 of everything the run's answer depends on: the tool version, the scenario file,
    /// the files it reads and the grid values.
    public var inputsHash: String
    /// The seed the simulation uses.
    public var seed: UInt64

    /// The runs of `scenarios` × every grid combination, in a stable order: scenarios by
    /// name (so the order of the files on the command line, e.g. a shell glob's locale-dependent
    /// order, does not change which shard runs what), then grid order.
    ///
    /// - Throws: ``StudyError/duplicateScenario(_:files:)`` when two files share a name.
    /// - Complexity: O(r · size of the files read) for r runs (each file is hashed once).
    public static func plan(_ scenarios: [Scenario], grid axes: [GridAxis]) throws(StudyError) -> [StudyRun] {
        var seen: [String: String] = [:]
        for scenario in scenarios {
            if let other = seen[scenario.name] { throw .duplicateScenario(scenario.name, files: [other, scenario.file]) }
            seen[scenario.name] = scenario.file
        }
        var fileHashes: [URL: String] = [:]
        func hash(of url: URL) -> String {
            if let known = fileHashes[url] { return known }
            let digest = (try? Data(contentsOf: url)).map { hex(SHA256.hash(data: $0)) } ?? "missing"
            fileHashes[url] = digest
            return digest
        }
        let combinations = GridAxis.combinations(axes)
        var runs: [StudyRun] = []
        for scenario in scenarios.sorted(by: { $0.name < $1.name }) {
            var base = "\(ToolVersion.current)\nscenario \(hash(of: scenario.url))\n"
            for file in scenario.referencedFiles() { base += "\(file.lastPathComponent) \(hash(of: file))\n" }
            for grid in combinations {
                let key = grid.values.isEmpty ? scenario.name : "\(scenario.name)[\(grid.label)]"
                let digest = hex(SHA256.hash(data: Data((base + "grid \(grid.label)\n").utf8)))
                let seed = grid[.seed].map { UInt64($0) } ?? scenario.seed
                runs.append(StudyRun(scenario: scenario, grid: grid, key: key, inputsHash: digest, seed: seed))
            }
        }
        return runs
    }

    /// The runs of shard `index` (0-based) of `count`: every `count`-th run from `index` on,
    /// so shards are disjoint, cover the study, and stay balanced.
    public static func shard(_ runs: [StudyRun], index: Int, of count: Int) -> [StudyRun] {
        runs.enumerated().filter { $0.offset % count == index }.map(\.element)
    }
}

/// A study that cannot start.
public enum StudyError: Error, CustomStringConvertible {
    case duplicateScenario(String, files: [String])

    public var description: String {
        switch self {
        case .duplicateScenario(let name, let files):
            "scenario name '\(name)' is used by \(files.joined(separator: " and ")); expected unique names in a study"
        }
    }
}

private func hex(_ digest: SHA256.Digest) -> String {
    digest.map { String(format: "%02x", $0) }.joined()
}
