import ArgumentParser
import Foundation
import NetworkData
import Reports

/// Output formats.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// `--network FILE`: the network manifest; the built-in network when absent.
struct NetworkOption: ParsableArguments {
    @Option(name: .long, help: "Network manifest (YAML). Default: the built-in network (networks/chongqing/network.yaml).")
    var network: String?

    /// Loads and validates the network, or fails with every problem (exit 2).
    func load() throws -> Network {
        try NetworkOption.load(path: network)
    }

    static func load(path: String?) throws -> Network {
        let url: URL
        if let path {
            url = URL(fileURLWithPath: path)
        } else {
            guard let builtIn = BuiltInNetwork.manifestURL() else {
                throw ToolFailure.invalidInput("error: the built-in network (\(BuiltInNetwork.relativePath)) was not found; pass --network FILE")
            }
            url = builtIn
        }
        do {
            return try NetworkLoader.load(manifest: url)
        } catch {
            let count = error.issues.count
            throw ToolFailure.invalidInput(error.description + "\nerror: the network is invalid (\(count) problem\(count == 1 ? "" : "s"))")
        }
    }
}

/// Resolves a place a planner typed, or fails listing candidates (exit 2).
func resolvePlace(_ text: String, in network: Network, flag: String) throws -> Place {
    switch PlaceDirectory(network: network).match(text) {
    case .found(let place):
        return place
    case .ambiguous(let places):
        let list = places.map { "  \($0.code)  \($0.name)\($0.nameZh.map { " \($0)" } ?? "") [\($0.kind.rawValue)]" }
        throw ToolFailure.invalidInput("error: \(flag) '\(text)' is ambiguous; it matches:\n" + list.joined(separator: "\n"))
    case .unknown(let closest):
        let hint = closest.isEmpty ? "" : "; closest:\n" + closest.map { "  \($0.code)  \($0.name)" }.joined(separator: "\n")
        throw ToolFailure.invalidInput("error: \(flag) '\(text)' is not a known place (code, IATA code, name or alias)\(hint)")
    }
}

/// Writes a contract as JSON to stdout (``ContractJSON``: keys sorted, pretty-printed).
func printJSON<T: Encodable>(_ value: T) throws {
    let data: Data
    do { data = try ContractJSON.data(value) } catch {
        throw ToolFailure(message: "error: cannot encode the answer as JSON: \(error)", exitCode: .internalError)
    }
    printJSON(data)
}

/// Writes encoded JSON to stdout with a final newline.
func printJSON(_ data: Data) {
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}
