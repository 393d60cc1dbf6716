import Foundation
@testable import NetworkData
import Testing
import TestFixtures

/// Rows of issue #14's table of hostile inputs that the readers of CSV files now refuse (or take,
/// where the docs say so), each named after its row.
@Suite("Hostile inputs to the readers")
struct HostileInputTests {
    static func file(_ name: String, _ text: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("routeplanner-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static let demandHeader = "origin,destination,cargo,teuPerYear,tonnesPerYear,shipmentSize,seasonality,corridor,transit,source\n"
    static func demandRow(size: String = "6", seasonality: String = "") -> String {
        "CNCQI,DEDUI,general,1000,,\(size),\(seasonality),chinaEurope,false,estimate: test row\n"
    }

    static func issues(_ body: () throws -> Void) -> [InputIssue] {
        do { try body(); return [] } catch let error as InvalidInput { return error.issues } catch { return [] }
    }

    @Test(arguments: [("12", 12.0), ("-0.5", -0.5), ("1.2e3", 1200.0), ("3.", 3.0), (".5", 0.5), ("+7E-1", 0.7)])
    func decimalNumbersAreRead(text: String, value: Double) {
        #expect(DecimalText.number(text) == value)
    }

    @Test(arguments: ["0x10", "inf", "nan", "Infinity", "1e", "e5", "", " 1", "1 ", "1,5", "0x1p3", "--1", "1e400"])
    func hexInfinityAndTextAreNotDecimalNumbers(text: String) {
        #expect(DecimalText.number(text) == nil, "'\(text)' was taken as \(String(describing: DecimalText.number(text)))")
    }

    /// `teu` written `0x10` (CSV): accepted silently as 16 before.
    @Test func shipmentsCSVRefusesHexadecimalTEU() throws {
        let csv = "id,origin,destination,teu,cargo,ready,deadline\nS1,CNCQI,DEDUI,0x10,general,2027-03-01,2027-04-30\n"
        let found = Self.issues { _ = try ShipmentList.parse(Data(csv.utf8), file: "s.csv", network: builtInNetwork) }
        #expect(found.contains { $0.location.line == 2 && $0.field == "column teu" && $0.message.contains("decimal") }, "\(found)")
    }

    /// A UTF-8 BOM before a scenario (or network) YAML: "did not find expected <document start>" at line 2.
    @Test func yamlWithAByteOrderMarkIsRead() throws {
        let network = try NetworkLoader.load(yaml: "\u{FEFF}" + Self.tinyYAML)
        #expect(network.services.count == 1)
        let url = try Self.file("s.yaml", "\u{FEFF}scenario: bom\ndemand: 2025\ndays: 5\n")
        let scenario = try ScenarioLoader(baseNetwork: { _ in builtInNetwork }).load(url, shownAs: "s.yaml")
        #expect(scenario.name == "bom" && scenario.days == 5)
    }

    /// A 64 MB shipments CSV of empty rows: 91 s, 13.8 GB and 31 million error lines before.
    @Test func aShipmentListOfMillionsOfEmptyRowsIsRefusedAtOnce() throws {
        let rows = ShipmentList.maximumRows + 1
        var data = Data("id,origin,destination,teu,cargo,ready,deadline\n".utf8)
        data.append(contentsOf: repeatElement(UInt8(ascii: "\n"), count: rows))
        let found = Self.issues { _ = try ShipmentList.parse(data, file: "s.csv", network: builtInNetwork) }
        #expect(found.count == 1 && found[0].message.contains("expected at most \(ShipmentList.maximumRows) rows"), "\(found.prefix(2))")
    }

    /// NUL bytes in CSV fields: accepted silently before.
    @Test func aNULInACSVFieldIsRefusedWithItsLine() throws {
        let csv = "id,origin,destination,teu,cargo,ready,deadline\nS1,CNCQI,DEDUI,2,general,2027-03-01,2027-04-30\nS\u{0}2,CNCQI,DEDUI,2,general,2027-03-01,2027-04-30\n"
        let found = Self.issues { _ = try ShipmentList.parse(Data(csv.utf8), file: "s.csv", network: builtInNetwork) }
        #expect(found.contains { $0.location.line == 3 && $0.message.contains("NUL") }, "\(found)")
    }

    /// Blank lines before a CSV header: "unknown column" before, though the docs say blank lines are ignored.
    @Test func blankLinesBeforeTheHeaderAreIgnored() throws {
        let csv = "\n\n  \nid,origin,destination,teu,cargo,ready,deadline\nS1,CNCQI,DEDUI,2,general,2027-03-01,2027-04-30\n"
        let shipments = try ShipmentList.parse(Data(csv.utf8), file: "s.csv", network: builtInNetwork)
        #expect(shipments.map(\.teu) == [2])
    }

    /// A UTF-8 BOM before a demand table's header: "unknown column \u{feff}origin" before.
    @Test func demandTableWithAByteOrderMarkIsRead() throws {
        let url = try Self.file("d.csv", "\u{FEFF}" + Self.demandHeader + Self.demandRow())
        let lanes = try DemandTable.load(url, network: builtInNetwork)
        #expect(lanes.count == 1 && lanes[0].teuPerYear == 1000)
    }

    /// Demand `shipmentSize` 1e-9: the simulator never finished, even with --days 1.
    @Test func demandShipmentSizeBelowTheLimitIsRefused() throws {
        let url = try Self.file("d.csv", Self.demandHeader + Self.demandRow(size: "1e-9"))
        let found = Self.issues { _ = try DemandTable.load(url, network: builtInNetwork) }
        #expect(found.contains { $0.location.line == 2 && $0.field == "column shipmentSize" && $0.message.contains("at least 0.001 TEU") },
                "\(found)")
    }

    /// Demand seasonality `inf`: accepted silently before.
    @Test func demandSeasonalityInfinityIsRefused() throws {
        let url = try Self.file("d.csv", Self.demandHeader + Self.demandRow(seasonality: "inf;1;1;1;1;1;1;1;1;1;1;1"))
        let found = Self.issues { _ = try DemandTable.load(url, network: builtInNetwork) }
        #expect(found.contains { $0.field == "column seasonality" }, "\(found)")
    }

    /// `/dev/zero`, FIFOs and `/dev/null` as inputs: "You don't have permission" even as root, or a hang.
    @Test func devicesAndFIFOsAreRefusedForWhatTheyAre() throws {
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("routeplanner-fifo-\(UUID().uuidString)")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        defer { try? FileManager.default.removeItem(at: fifo) }
        for (path, expected) in [("/dev/null", "is a device"), ("/dev/zero", "is a device"), (fifo.path, "is a FIFO")] {
            let shipments = Self.issues { _ = try ShipmentList.load(URL(fileURLWithPath: path), network: builtInNetwork) }
            let demand = Self.issues { _ = try DemandTable.load(URL(fileURLWithPath: path), network: builtInNetwork) }
            #expect(shipments.first?.message.contains(expected) == true, "\(path): \(shipments)")
            #expect(demand.first?.message.contains(expected) == true, "\(path): \(demand)")
        }
    }

    /// A network with `departuresPerWeek` 1e-15 passed `network validate`, then trapped in `simulate`.
    @Test func aServiceRarerThanOnceAYearIsRefused() throws {
        let yaml = Self.tinyYAML.replacingOccurrences(of: "departuresPerWeek: 7", with: "departuresPerWeek: 1e-15")
        let found = Self.issues { _ = try NetworkLoader.load(yaml: yaml) }
        #expect(found.contains { $0.field.contains("departuresPerWeek") && $0.message.contains("0.02") }, "\(found)")
        #expect(Self.issues { _ = try NetworkLoader.load(yaml: Self.tinyYAML) }.isEmpty)
    }

    /// A 4 MB network YAML reusing one anchor 500,000 times: 36 s, 900 MB and a million error
    /// lines before (each alias read as its own place). Refused at once, naming the file and the limit.
    @Test func aNetworkReusingOneAnchorHalfAMillionTimesIsRefused() throws {
        let lines = ["network: bomb", "tonnesPerTEU: 10", "defaults: &d {hours: 6, costUSDPerTEU: 45}", "places:"]
            + Array(repeating: "  - *d", count: 500_000)
        let url = try Self.file("bomb.yaml", lines.joined(separator: "\n") + "\n")
        let found = Self.issues { _ = try NetworkLoader.load(manifest: url) }
        #expect(found.count == 1, "\(found.prefix(3))")
        #expect(found.first?.location.file.hasSuffix("bomb.yaml") == true && found.first?.location.line == 1, "\(found.prefix(1))")
        #expect(found.first?.message.contains("at most \(YAMLDocument.maximumNodes)") == true, "\(found.prefix(1))")
    }

    /// Anchors nested in anchors (ten lists of ten, nine deep: a billion values) are refused
    /// after counting a million, and the scenario and disruption readers share the limit.
    @Test func nestedAnchorsAreRefusedByEveryYAMLReader() throws {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        let text = lines.joined(separator: "\n") + "\n"
        let network = Self.issues { _ = try NetworkLoader.load(yaml: "network: laughs\n" + text, file: "laughs.yaml") }
        let scenario = Self.issues {
            _ = try ScenarioLoader(baseNetwork: { _ in builtInNetwork }).load(try Self.file("s.yaml", "scenario: laughs\n" + text), shownAs: "s.yaml")
        }
        let disruption = Self.issues { _ = try Disruption.load(try Self.file("d.yaml", "disruptions: []\n" + text), network: builtInNetwork, displayName: "d.yaml") }
        for (file, found) in [("laughs.yaml", network), ("s.yaml", scenario), ("d.yaml", disruption)] {
            #expect(found.count == 1 && found[0].location.file == file && found[0].message.contains("aliases"), "\(found.prefix(2))")
        }
    }

    /// The limit leaves room: every shipped network part stays under a tenth of it, and a few
    /// aliases still read as copies of their anchors.
    @Test func shippedFilesAndOrdinaryAliasesAreWithinTheNodeLimit() throws {
        let folder = try #require(BuiltInNetwork.manifestURL()).deletingLastPathComponent()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".yaml") {
            var issues: [InputIssue] = []
            let node = try #require(YAMLDocument.parse(try Data(contentsOf: folder.appendingPathComponent(name)), file: name, issues: &issues))
            #expect(YAMLDocument.nodeCount(node, atMost: YAMLDocument.maximumNodes) < YAMLDocument.maximumNodes / 10, "\(name)")
        }
        let aliased = Self.tinyYAML.replacingOccurrences(of: "  handling: {hours: 6, costUSDPerTEU: 45}", with: "  handling: &h {hours: 6, costUSDPerTEU: 45}")
            .replacingOccurrences(of: "kind: city,", with: "kind: city, handling: *h,")
        let network = try NetworkLoader.load(yaml: aliased)
        #expect(network.places.count == 2)
    }

    static let tinyYAML = [
        "network: tiny", "tonnesPerTEU: 10", "defaults:", "  handling: {hours: 6, costUSDPerTEU: 45}", "  connectionHours: 2",
        "source: \"estimate: hand-made test network\"", "places:",
        "  - {code: CNAAA, name: Alpha, country: CN, lonLat: [106, 29], kind: city, source: \"estimate: hand-made test value\"}",
        "  - {code: PLDST, name: Delta, country: PL, lonLat: [21, 52], kind: city, source: \"estimate: hand-made test value\"}",
        "services:",
        "  - {id: S1, name: Train, mode: rail, corridor: chinaEurope, from: CNAAA, to: PLDST, distanceKm: 9000,",
        "     transitHours: {mean: 300, p90: 340}, departuresPerWeek: 7, capacityTEUPerDeparture: 10, priceUSDPerTEU: 1000,",
        "     co2eGramsPerTonneKm: 20, cargo: [general], source: \"estimate: hand-made test value\"}",
    ].joined(separator: "\n") + "\n"

    /// A place typed `new`: silently resolved to New York JFK before; three letters are a code.
    @Test func threeLettersDoNotPickAPlaceByPartOfItsName() {
        let directory = PlaceDirectory(network: builtInNetwork)
        guard case .unknown(let closest) = directory.match("new") else {
            Issue.record("'new' was resolved: \(directory.match("new"))")
            return
        }
        #expect(closest.contains { $0.code == "USJFK" }, "JFK is offered, not taken")
        if case .found(let place) = directory.match("Duisburg") { #expect(place.code == "DEDUI") } else { Issue.record("Duisburg") }
    }
}

/// The lookup's bounded edit distance agrees with the full one wherever it answers, on seeded
/// random words (it exists so that 20,000 unknown names, or 500 long ones, do not take minutes).
@Suite("Bounded edit distance")
struct BoundedDistanceTests {
    @Test func agreesWithTheFullDistanceWithinItsLimit() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let letters = Array("abcdeé上海")
        var checked = 0, answered = 0
        for _ in 0..<3_000 {
            let a = String((0..<next(12)).map { _ in letters[next(letters.count)] })
            let b = String((0..<next(12)).map { _ in letters[next(letters.count)] })
            let limit = next(6)
            let full = editDistance(a, b)
            let bounded = PlaceDirectory.boundedDistance(Array(a.lowercased()), Array(b.lowercased()), limit: limit)
            #expect(bounded == (full <= limit ? full : nil), "'\(a)' '\(b)' limit \(limit): \(String(describing: bounded)) vs \(full)")
            checked += 1
            if bounded != nil { answered += 1 }
        }
        #expect(checked == 3_000 && answered > 100 && answered < 2_900, "\(answered) answered: the sample does not exercise both sides")
    }
}
