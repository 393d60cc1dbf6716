import ArgumentParser
import Foundation
import NetworkData
import Cartography

/// `routeplanner network validate|show|export`.
struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Validate, inspect and export networks.",
        subcommands: [Validate.self, Show.self, Export.self, MapDrawing.self]
    )

    /// `network validate [FILE]`: every problem with file:line, exit 2 when any.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a network and report every problem with file, line and field (exit 2 when invalid).")
        @Argument(help: "Network manifest (YAML). Default: the built-in network.") var file: String?
        @Option(help: "Output format: table or json.") var format: OutputFormat = .table

        struct Summary: Encodable {
            var valid: Bool
            var network: String?
            var files: [String]
            var places: Int
            var services: Int
            var targets: Int
            var issues: [InputIssue]
        }

        func run() throws {
            do {
                let network = try NetworkOption.load(path: file)
                let summary = Summary(valid: true, network: network.name, files: network.files, places: network.places.count,
                                      services: network.services.count, targets: network.targets.count, issues: [])
                switch format {
                case .json: try printJSON(summary)
                case .table:
                    print("valid: \(network.name): \(network.places.count) places, \(network.services.count) services, \(network.targets.count) targets in \(network.files.count) files")
                    var byMode: [String: Int] = [:]
                    for service in network.services { byMode[service.mode.rawValue, default: 0] += 1 }
                    print("services by mode: " + byMode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                }
            } catch let failure as ToolFailure where format == .json {
                let issues = failure.message.split(separator: "\n").map(String.init)
                struct Invalid: Encodable { var valid = false; var issues: [String] }
                try printJSON(Invalid(issues: issues))
                throw ExitCode(ToolExit.invalidInput.rawValue)
            }
        }
    }

    /// `network show PLACE`: a place and the services at it.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a place: codes, names, handling, dwell and its services.")
        @OptionGroup var networkOption: NetworkOption
        @Argument(help: "A place: code, IATA code, name or alias.") var place: String

        func run() throws {
            let network = try networkOption.load()
            let found = try resolvePlace(place, in: network, flag: "place")
            print("\(found.code)  \(found.name)\(found.nameZh.map { "  \($0)" } ?? "")")
            print("  kind \(found.kind.rawValue), country \(found.country), lon/lat \(found.longitude), \(found.latitude)")
            if let iata = found.iata { print("  IATA \(iata)") }
            if !found.aliases.isEmpty { print("  aliases: \(found.aliases.joined(separator: ", "))") }
            if let city = found.city, let access = found.cityAccess {
                print(String(format: "  serves city %@: first/last mile %.0f km, %.1f h, %@ USD/TEU", city.rawValue,
                             access.distanceKm, access.hours, money(access.costUSDPerTEU)))
            }
            let terminals = network.terminals(ofCity: found.code)
            if !terminals.isEmpty { print("  terminals: " + terminals.map { "\($0.code) (\($0.kind.rawValue))" }.joined(separator: ", ")) }
            let handling = network.handling(at: found.code)
            print(String(format: "  mode change: %.1f h, %@ USD/TEU%@", handling.hours, money(handling.costUSDPerTEU),
                         found.handling == nil ? " (network default)" : ""))
            if let dwell = found.dwell { print(String(format: "  dwell: mean %.1f h, p90 %.1f h", dwell.meanHours, dwell.p90Hours)) }
            if let gauge = found.gaugeChange {
                print(String(format: "  gauge change %@ mm: %.1f h, %@ USD/TEU",
                             gauge.gaugesMm.map(String.init).joined(separator: "/"), gauge.hours, money(gauge.costUSDPerTEU)))
            }
            if let t = found.throughput {
                print(String(format: "  throughput: %g %@/day%@", t.unitsPerDay, t.unit, t.peakUnitsPerDay.map { String(format: ", peak %g", $0) } ?? ""))
            }
            print("  source: \(found.source)")
            print("  defined at \(found.location)")
            let services = network.services.filter { $0.from == found.code || $0.to == found.code }
            print("\n\(services.count) services:")
            let rows = services.map { s -> [String] in
                [s.id.rawValue, s.mode.rawValue, "\(s.from)→\(s.to)", String(format: "%.0f", s.distanceKm),
                 String(format: "%.0f", s.transit.meanHours), String(format: "%g", s.departuresPerWeek),
                 s.priceUSDPerTEU.map { money($0) + "/TEU" } ?? s.priceUSDPerKg.map { String(format: "%.2f/kg", $0) } ?? ""]
            }
            print(TextTable(header: ["service", "mode", "from→to", "km", "hours", "per week", "price USD"], rows: rows,
                            rightAligned: [3, 4, 5]).render(indent: "  "), terminator: "")
        }
    }

    /// `network export --geojson`: RFC 7946 FeatureCollection on stdout.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the network as GeoJSON (RFC 7946): places as Points, services as LineStrings.")
        @OptionGroup var networkOption: NetworkOption
        @Flag(help: "Write an RFC 7946 GeoJSON FeatureCollection to stdout.") var geojson = false

        func validate() throws {
            if !geojson { throw ValidationError("choose an export format: --geojson") }
        }

        func run() throws {
            let network = try networkOption.load()
            FileHandle.standardOutput.write(try GeoJSONExport.json(of: network))
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }

    /// `network map --out FILE.svg`: the network over the land, layer by layer.
    struct MapDrawing: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "map",
            abstract: "Draw the network as SVG over a Natural Earth land outline: one switchable layer per corridor, borders and hubs.")
        @OptionGroup var networkOption: NetworkOption
        @Option(help: "The SVG file to write (default: standard output).") var out: String?
        @Option(help: ArgumentHelp("Layers to show, comma-separated (default all): \(MapLayer.allCases.map(\.rawValue).joined(separator: ", ")).",
                                   valueName: "LAYER,…"))
        var layers: String?

        func validate() throws {
            _ = try parsedLayers()
            if let out, out.isEmpty { throw ValidationError("--out: expected a file path") }
        }

        func parsedLayers() throws -> Set<MapLayer> {
            guard let layers else { return Set(MapLayer.allCases) }
            var chosen: Set<MapLayer> = []
            for name in layers.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let layer = MapLayer(rawValue: name) else {
                    throw ValidationError("--layers: '\(name.prefix(40))' is not a layer; expected some of \(MapLayer.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                chosen.insert(layer)
            }
            return chosen
        }

        func run() throws {
            let network = try networkOption.load()
            let map = NetworkMap(network: network, land: try loadLand(), layers: try parsedLayers())
            try writeOrPrint(Data(map.svg().utf8), to: out)
        }
    }
}

/// The shipped land outline, or exit 2 naming it.
func loadLand() throws -> LandOutline {
    do { return try LandOutline.builtIn() } catch {
        throw ToolFailure.invalidInput(error.description + "\nerror: the map's land outline cannot be read")
    }
}

/// Writes to `path` (atomically, as every output file) or to standard output when nil.
func writeOrPrint(_ data: Data, to path: String?) throws {
    if let path { try writeFile(data, to: URL(fileURLWithPath: path)) } else { FileHandle.standardOutput.write(data) }
}
