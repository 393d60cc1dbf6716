import Foundation
import Testing

/// Runs the built `routeplanner` executable and captures its output and exit status.
struct ToolRun {
    var status: Int32
    var stdout: String
    var stderr: String
    var crashed: Bool

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var executable: URL {
        let beside = Bundle.main.bundleURL.appendingPathComponent("routeplanner")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return repository.appendingPathComponent(".build/debug/routeplanner")
    }

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.currentDirectoryURL = Self.repository
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        crashed = process.terminationReason == .uncaughtSignal
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errData, as: UTF8.self)
    }

    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    }
}

/// A copy of the built-in network in a temporary folder, to break on purpose.
func copyOfBuiltInNetwork() throws -> URL {
    let source = ToolRun.repository.appendingPathComponent("networks/chongqing")
    let target = FileManager.default.temporaryDirectory.appendingPathComponent("rp-net-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: source, to: target)
    return target
}

@Suite("routeplanner end to end")
struct CommandLineTests {
    @Test func routeChongqingToDuisburgAsJSON() throws {
        let run = try ToolRun(["route", "--from", "Chongqing", "--to", "Duisburg", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let alternatives = try #require(try run.json()["alternatives"] as? [[String: Any]])
        #expect(alternatives.count >= 3)
        var kinds: Set<String> = []
        for alternative in alternatives {
            let cost = try #require(alternative["costUSD"] as? Double)
            let hours = try #require(alternative["transitHours"] as? Double)
            let co2 = try #require(alternative["co2eKg"] as? Double)
            #expect(cost > 0 && hours > 0 && co2 > 0)
            let legs = try #require(alternative["legs"] as? [[String: Any]])
            let modes = Set(legs.compactMap { $0["mode"] as? String })
            #expect(modes.isSubset(of: ["rail", "sea", "inlandWater", "road", "air"]))
            for leg in legs { #expect(leg["from"] is String && leg["to"] is String && leg["service"] is String) }
            if modes == ["road", "rail"] || modes == ["rail"] {
                kinds.insert("rail")
                #expect((12 * 24...20 * 24).contains(hours), "China-Europe rail should take 12–20 days, took \(hours / 24)")
            }
            if modes.contains("sea") { kinds.insert("ocean") }
            if modes.contains("air") { kinds.insert("air") }
        }
        #expect(kinds == ["rail", "ocean", "air"])
    }

    @Test func tableShowsLegsAndParetoFront() throws {
        let run = try ToolRun(["route", "--from", "重庆", "--to", "DEDUI", "--alternatives", "3"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Chongqing (CNCQI) → "))
        #expect(run.stdout.contains("#3 "))
        #expect(run.stdout.contains("Pareto front"))
        #expect(run.stdout.contains("gauge 1435/1520") || run.stdout.contains("gauge 1520/1435"))
    }

    @Test func volumeAboveOneDepartureIsSplitByGLPK() throws {
        let run = try ToolRun(["route", "--from", "Chongqing", "--to", "Duisburg", "--teu", "600", "--format", "json"])
        #expect(run.status == 0)
        let split = try #require(try run.json()["volumeSplit"] as? [String: Any])
        let routes = try #require(split["routes"] as? [[String: Any]])
        #expect(routes.count > 1)
        let carried = routes.compactMap { $0["teu"] as? Double }.reduce(0, +)
        #expect(abs(carried + (split["unmetTEU"] as? Double ?? 0) - 600) < 0.01)
        #expect(!((split["bindingServices"] as? [[String: Any]]) ?? []).isEmpty)
    }

    @Test func infeasibleConstraintsExitThreeWithReasons() throws {
        let run = try ToolRun(["route", "--from", "Chongqing", "--to", "Duisburg", "--deadline", "2d", "--cargo", "vehicles"])
        #expect(run.status == 3)
        #expect(run.stdout.contains("No feasible route"))
        #expect(run.stdout.contains("deadline: takes"))
        #expect(run.stdout.contains("does not accept vehicles"))
    }

    @Test(arguments: [
        (["route", "--from", "Atlantis", "--to", "Duisburg"], "is not a known place"),
        (["route", "--from", "Duisberg", "--to", "Chongqing"], "DEDUI"),
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--teu", "-1"], "--teu"),
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--teu", "nan"], "--teu"),
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--cargo", "frozen"], "--cargo"),
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--cargo", "dangerous:11"], "--cargo"),
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--deadline", "soon"], "--deadline"),
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--objective", "fast"], "objective"),
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--teu", "1", "--tonnes", "5"], "not both"),
        (["route", "--from", "Chongqing", "--to", "Chongqing"], "both"),
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--network", "/nonexistent.yaml"], "does not exist"),
        (["network", "show", "Nowhere"], "is not a known place"),
        (["network", "export"], "--geojson"),
        (["route", "--to", "Duisburg"], "--from"),
        // Issue #14's hostile flags: accepted silently before.
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--teu", "0x10"], "--teu"),
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--teu", "1e-300"], "--teu"),
        (["route", "--from", "Chongqing", "--to", "Duisburg", "--deadline", "5"], "with its unit"),
        (["route", "--from", "Chongqing", "--to", "new"], "closest"),
        (["plan", "examples/shipments-2027.csv", "--bills", ""], "--bills"),
    ] as [([String], String)])
    func badInputExitsTwo(arguments: [String], fragment: String) throws {
        let run = try ToolRun(arguments)
        #expect(run.status == 2, "\(arguments): status \(run.status), stderr \(run.stderr)")
        #expect(!run.crashed)
        #expect(run.stderr.contains(fragment), "\(arguments): \(run.stderr)")
    }

    @Test func validateBuiltInNetwork() throws {
        let run = try ToolRun(["network", "validate"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("valid: "))
    }

    @Test func validateMisspelledCode() throws {
        let folder = try copyOfBuiltInNetwork()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("china-europe.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        let range = try #require(text.range(of: "to: CNAKL"))
        let line = text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        text.replaceSubrange(range, with: "to: CNAKX")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let run = try ToolRun(["network", "validate", folder.appendingPathComponent("network.yaml").path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("china-europe.yaml:\(line): "), "\(run.stderr)")
        #expect(run.stderr.contains("unknown place 'CNAKX' (closest: CNAKL)"))
    }

    @Test func validateTruncatedFile() throws {
        let folder = try copyOfBuiltInNetwork()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("land-sea.yaml")
        let data = try Data(contentsOf: file)
        try data.prefix(data.count / 2 + 17).write(to: file)
        let run = try ToolRun(["network", "validate", folder.appendingPathComponent("network.yaml").path])
        #expect(run.status == 2)
        #expect(!run.crashed)
        #expect(run.stderr.range(of: #"land-sea\.yaml:\d+: "#, options: .regularExpression) != nil, "\(run.stderr)")
    }

    @Test func validateRandomBytes() throws {
        var state: UInt64 = 42
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rp-bytes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for round in 0..<20 {
            var bytes: [UInt8] = []
            for _ in 0..<(512 + round * 97) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(UInt8(truncatingIfNeeded: state >> 33))
            }
            let file = directory.appendingPathComponent("random-\(round).yaml")
            try Data(bytes).write(to: file)
            let run = try ToolRun(["network", "validate", file.path])
            #expect(run.status == 2 && !run.crashed, "round \(round): \(run.status)")
            #expect(run.stderr.contains("random-\(round).yaml:"), "round \(round): \(run.stderr)")
        }
    }

    /// A network reusing one anchor 500,000 times: 36 s and 900 MB before; exit 2 naming the file and the limit.
    @Test func networkValidateRefusesAnAliasBomb() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rp-alias-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bomb.yaml")
        let lines = ["network: bomb", "tonnesPerTEU: 10", "defaults: &d {hours: 6, costUSDPerTEU: 45}", "places:"]
            + Array(repeating: "  - *d", count: 500_000)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let run = try ToolRun(["network", "validate", file.path])
        #expect(run.status == 2 && !run.crashed, "\(run.status)")
        #expect(run.stderr.contains("bomb.yaml:1:") && run.stderr.contains("at most 1000000"), "\(run.stderr.prefix(300))")
    }

    @Test func exportGeoJSON() throws {
        let run = try ToolRun(["network", "export", "--geojson"])
        #expect(run.status == 0)
        let collection = try run.json()
        #expect(collection["type"] as? String == "FeatureCollection")
        let features = try #require(collection["features"] as? [[String: Any]])
        var points = 0, lines = 0, split = 0
        for feature in features {
            #expect(feature["type"] as? String == "Feature")
            let geometry = try #require(feature["geometry"] as? [String: Any])
            let properties = try #require(feature["properties"] as? [String: Any])
            switch geometry["type"] as? String {
            case "Point":
                points += 1
                let c = try #require(geometry["coordinates"] as? [Double])
                #expect(c.count == 2 && abs(c[0]) <= 180 && abs(c[1]) <= 90)
            case "LineString":
                lines += 1
                #expect(properties["mode"] is String && properties["corridor"] is String)
                let c = try #require(geometry["coordinates"] as? [[Double]])
                #expect(abs(c[0][0] - c[1][0]) <= 180, "a LineString must not jump across the antimeridian")
            case "MultiLineString":
                lines += 1
                split += 1
                let parts = try #require(geometry["coordinates"] as? [[[Double]]])
                #expect(parts.count == 2 && abs(parts[0][1][0]) == 180 && parts[0][1][0] == -parts[1][0][0])
            default:
                Issue.record("unexpected geometry \(geometry)")
            }
        }
        #expect(points >= 120)
        #expect(lines >= 350)
        #expect(split > 0, "trans-Pacific services must be split at the antimeridian")
    }

    @Test func showPlace() throws {
        let run = try ToolRun(["network", "show", "CKG"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("CNCKG "))
        #expect(run.stdout.contains("IATA CKG"))
    }

    @Test func helpExitsZero() throws {
        let run = try ToolRun(["route", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("--deadline"))
    }
}
