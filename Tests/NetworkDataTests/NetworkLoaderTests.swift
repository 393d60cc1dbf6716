import Foundation
import Testing
import TestFixtures
@testable import NetworkData

/// A small valid network; tests edit one line of it to break it.
let smallNetwork = """
network: test
tonnesPerTEU: 10
defaults:
  handling: {hours: 6, costUSDPerTEU: 45}
  connectionHours: 2
source: "estimate: test defaults for unit tests"
places:
  - code: CNCQI
    name: Chongqing
    nameZh: 重庆
    country: CN
    lonLat: [106.55, 29.56]
    kind: city
    aliases: [Chongqing, Chungking]
    source: "estimate: test place"
  - code: CNCQD
    name: Tuanjiecun
    country: CN
    lonLat: [106.39, 29.55]
    kind: railTerminal
    city: CNCQI
    cityAccess: {distanceKm: 25, hours: 1.5, costUSDPerTEU: 80}
    source: "estimate: test place"
  - code: CNAKL
    name: Alashankou
    country: CN
    lonLat: [82.57, 45.17]
    kind: borderCrossing
    dwell: {meanHours: 10, p90Hours: 24}
    gaugeChange: {gaugesMm: [1435, 1520], hours: 1.5, costUSDPerTEU: 60}
    source: "https://example.org/alashankou"
services:
  - id: CE-CQD-AKL
    name: Chongqing–Alashankou
    mode: rail
    corridor: chinaEurope
    from: CNCQD
    to: CNAKL
    distanceKm: 3490
    transitHours: {mean: 72, p90: 96}
    departuresPerWeek: 14
    capacityTEUPerDeparture: 100
    priceUSDPerTEU: 900
    co2eGramsPerTonneKm: 22
    cargo: [general, reefer, dangerous:9]
    bothWays: true
    back: {departuresPerWeek: 10}
    source: "estimate: test service"
"""

/// Replaces the first occurrence of `old` in the small network.
func smallNetwork(replacing old: String, with new: String) -> String {
    smallNetwork.replacingFirst(old, with: new)
}

@Suite("Network loading")
struct NetworkLoaderTests {
    @Test func loadsTheSmallNetwork() throws {
        let network = try NetworkLoader.load(yaml: smallNetwork)
        #expect(network.places.count == 3)
        #expect(network.services.count == 2)
        let back = try #require(network.service("CE-CQD-AKL.back"))
        #expect(back.from == "CNAKL" && back.to == "CNCQD")
        #expect(back.departuresPerWeek == 10)
        #expect(back.isReverse)
        #expect(network.service("CE-CQD-AKL")?.cargo.accepts(.dangerous(9)) == true)
        #expect(network.service("CE-CQD-AKL")?.cargo.accepts(.dangerous(3)) == false)
        #expect(network.place("CNAKL")?.gaugeChange?.gaugesMm == [1435, 1520])
        #expect(network.terminals(ofCity: "CNCQI").map(\.code) == ["CNCQD"])
    }

    /// Trains are re-formed at a change of gauge and at terminals, not at a border crossing
    /// without a gauge change, unless the place says otherwise.
    @Test func whereTrainsAreReformed() throws {
        let network = try NetworkLoader.load(yaml: smallNetwork)
        #expect(network.place("CNAKL")?.reformsTrains == true)
        #expect(network.place("CNCQD")?.reformsTrains == true)
        let noGaugeChange = try NetworkLoader.load(
            yaml: smallNetwork(replacing: "    gaugeChange: {gaugesMm: [1435, 1520], hours: 1.5, costUSDPerTEU: 60}\n", with: ""))
        #expect(noGaugeChange.place("CNAKL")?.reformsTrains == false)
        let declared = try NetworkLoader.load(
            yaml: smallNetwork(replacing: "    gaugeChange: {gaugesMm: [1435, 1520], hours: 1.5, costUSDPerTEU: 60}\n",
                               with: "    reformsTrains: true\n"))
        #expect(declared.place("CNAKL")?.reformsTrains == true)
        let throughTerminal = try NetworkLoader.load(
            yaml: smallNetwork(replacing: "    kind: railTerminal\n", with: "    kind: railTerminal\n    reformsTrains: false\n"))
        #expect(throughTerminal.place("CNCQD")?.reformsTrains == false)
    }

    /// Each row breaks one field; the error must name the line (of `anchor`), the field and what is expected.
    @Test(arguments: [
        ("to: CNAKL", "to: CNAKX", "to: CNAKX", "services[CE-CQD-AKL].to", "unknown place 'CNAKX' (closest: CNAKL)"),
        ("distanceKm: 3490", "distanceKm: -5", "distanceKm", "services[0].distanceKm", "out of range"),
        ("distanceKm: 3490", "distanceKm: .nan", "distanceKm", "services[0].distanceKm", "not a finite number"),
        ("distanceKm: 3490", "distanceKm: 1e9", "distanceKm", "services[0].distanceKm", "out of range"),
        ("distanceKm: 3490", "distanceKm: far", "distanceKm", "services[0].distanceKm", "value 'far'"),
        ("p90: 96", "p90: 50", "p90: 50", "services[0].transitHours.p90", "below mean"),
        ("mode: rail", "mode: train", "mode: train", "services[0].mode", "unknown; expected one of rail, sea, inlandWater, road, air"),
        ("cargo: [general,", "cargo: [frozen,", "cargo:", "services[0].cargo", "value 'frozen' is unknown"),
        ("dangerous:9]", "dangerous:12]", "cargo:", "services[0].cargo", "dangerous:N with N from 1 to 9"),
        ("kind: borderCrossing", "kind: border", "kind: border", "places[2].kind", "unknown"),
        ("lonLat: [82.57, 45.17]", "lonLat: [82.57, 145.17]", "145.17", "places[2].lonLat", "latitude 145.17 is out of range"),
        ("p90Hours: 24", "p90Hours: 2", "p90Hours: 2", "places[2].dwell.p90Hours", "below meanHours"),
        ("    departuresPerWeek: 14\n", "    departuresPerWeek: 14\n    departurePerWeek: 3\n", "departurePerWeek", "services[0].departurePerWeek", "unknown field (did you mean 'departuresPerWeek'?)"),
        ("    priceUSDPerTEU: 900\n", "", "- id: CE-CQD-AKL", "services[0].priceUSDPerTEU", "missing"),
        ("source: \"https://example.org/alashankou\"", "source: \"from a friend\"", "from a friend", "places[2].source", "no URL and no 'estimate:'"),
        ("code: CNAKL", "code: CNCQD", "- code: CNCQD", "places[CNCQD].code", "already used by the place at net.yaml:16"),
        ("city: CNCQI", "city: CNAKL", "- code: CNCQD", "places[CNCQD].city", "is a borderCrossing; expected a place of kind city"),
        ("city: CNCQI", "city: CNCQX", "city: CNCQX", "places[CNCQD].city", "unknown place 'CNCQX' (closest: CNCQD, CNCQI)"),
        ("    source: \"https://example.org/alashankou\"", "    reformsTrains: false\n    source: \"https://example.org/alashankou\"",
         "reformsTrains: false", "places[2].reformsTrains", "false at a change of gauge"),
        ("    source: \"https://example.org/alashankou\"", "    reformsTrains: sometimes\n    source: \"https://example.org/alashankou\"",
         "reformsTrains: sometimes", "places[2].reformsTrains", "expected true or false"),
    ] as [(String, String, String, String, String)])
    func reportsBadField(old: String, new: String, anchor: String, field: String, fragment: String) throws {
        let yaml = smallNetwork(replacing: old, with: new)
        let anchorRange = try #require(yaml.range(of: anchor, options: .backwards))
        let line = yaml[..<anchorRange.lowerBound].filter { $0 == "\n" }.count + 1
        let error = #expect(throws: InvalidInput.self) { try NetworkLoader.load(yaml: yaml, file: "net.yaml") }
        let issues = try #require(error).issues
        let match = issues.first { $0.field == field && $0.message.contains(fragment) }
        #expect(match != nil, "no issue for \(field) containing '\(fragment)' in:\n\(issues.map(\.description).joined(separator: "\n"))")
        #expect(match?.location == SourceLocation(file: "net.yaml", line: line))
    }

    @Test func collectsEveryProblemAtOnce() throws {
        var yaml = smallNetwork(replacing: "to: CNAKL", with: "to: CNXXX")
        yaml = yaml.replacingOccurrences(of: "p90Hours: 24", with: "p90Hours: 2")
        yaml = yaml.replacingOccurrences(of: "source: \"estimate: test place\"\n  - code: CNAKL", with: "source: \"from a friend\"\n  - code: CNAKL")
        let error = #expect(throws: InvalidInput.self) { try NetworkLoader.load(yaml: yaml, file: "net.yaml") }
        let fields = Set(try #require(error).issues.map(\.field))
        #expect(fields == ["services[CE-CQD-AKL].to", "places[2].dwell.p90Hours", "places[1].source"])
    }

    /// Nested aliases ("billion laughs") are not expanded: the file is refused at once, after
    /// counting a million values (docs/limits.md), before any record is read.
    @Test func nestedAliasesDoNotExpand() throws {
        var yaml = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...12 { yaml += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "network: laughs\nplaces: *l12\n"
        let error = #expect(throws: InvalidInput.self) { try NetworkLoader.load(yaml: yaml, file: "laughs.yaml") }
        let issues = try #require(error).issues
        #expect(issues.count == 1 && issues[0].location.line == 1 && issues[0].message.contains("aliases"), "\(issues)")
    }

    @Test func reportsUnreachablePlaces() throws {
        let island = """
              - code: DEDUI
                name: Duisburg
                country: DE
                lonLat: [6.76, 51.43]
                kind: railTerminal
                source: "estimate: a place no service reaches"
            services:

            """
        let yaml = smallNetwork(replacing: "services:\n", with: island)
        let error = #expect(throws: InvalidInput.self) { try NetworkLoader.load(yaml: yaml, file: "net.yaml") }
        let issue = try #require(error).issues.first { $0.message.contains("unreachable") }
        #expect(issue?.field == "places[DEDUI]")
        #expect(issue?.message.contains("no service or city link touches it") == true)
    }

    @Test(arguments: [
        ("network: [unclosed", "malformed YAML"),
        ("", "file is empty"),
        ("network: a\nnetwork: b\n", "duplicated key"),
        ("- just\n- a list\n", "expected a mapping"),
        ("network: test\n\tsource: x", "malformed YAML"),
    ])
    func rejectsMalformedDocuments(yaml: String, fragment: String) throws {
        let error = #expect(throws: InvalidInput.self) { try NetworkLoader.load(yaml: yaml, file: "bad.yaml") }
        let messages = try #require(error).issues.map(\.message)
        #expect(messages.contains { $0.contains(fragment) }, "\(messages)")
    }

    @Test func truncatedFileGivesLineNumbers() throws {
        let cut = String(smallNetwork.prefix(smallNetwork.count * 2 / 3))
        let error = #expect(throws: InvalidInput.self) { try NetworkLoader.load(yaml: cut, file: "cut.yaml") }
        let issues = try #require(error).issues
        #expect(!issues.isEmpty)
        #expect(issues.allSatisfy { $0.location.file == "cut.yaml" && $0.location.line >= 1 })
    }

    /// Random bytes, seeded: never a crash, always an issue with a file and line.
    @Test func randomBytesNeverCrash() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rp-random-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for round in 0..<200 {
            let length = Int(next() % 4096)
            var bytes = [UInt8](repeating: 0, count: length)
            for i in 0..<length {
                // Half the files are mostly printable YAML-ish characters, half raw bytes.
                let raw = UInt8(truncatingIfNeeded: next())
                let alphabet = Array(" \n:-[]{}#'\"abcdefgh0123456789,&*!|>".utf8)
                bytes[i] = round % 2 == 0 ? raw : alphabet[Int(raw) % alphabet.count]
            }
            let url = directory.appendingPathComponent("random-\(round).yaml")
            try Data(bytes).write(to: url)
            do {
                _ = try NetworkLoader.load(manifest: url)
                Issue.record("random bytes loaded as a network (round \(round))")
            } catch {
                #expect(!error.issues.isEmpty)
                #expect(error.issues.allSatisfy { $0.location.line >= 1 && $0.location.file.hasSuffix("random-\(round).yaml") || $0.location.file.hasSuffix(".yaml") })
            }
        }
    }

    @Test func reportsMissingIncludeWithItsLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rp-include-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("network.yaml")
        try (smallNetwork + "\ninclude:\n  - missing.yaml\n").write(to: manifest, atomically: true, encoding: .utf8)
        let error = #expect(throws: InvalidInput.self) { try NetworkLoader.load(manifest: manifest) }
        let issue = try #require(error?.issues.first { $0.message.contains("missing.yaml") })
        #expect(issue.location.line == smallNetwork.split(separator: "\n", omittingEmptySubsequences: false).count + 2)
    }
}
