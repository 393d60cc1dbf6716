import Foundation
import NetworkData
import TestFixtures
import Simulation
import Testing
@testable import Studies

/// A scratch folder with `files` written into it.
func scratchFolder(_ files: [String: String]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("studies-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
    return folder
}

let loader = ScenarioLoader { _ in builtInNetwork }

func load(_ text: String, name: String = "s.yaml") throws(InvalidInput) -> Scenario {
    let folder = try! scratchFolder([name: text])
    return try loader.load(folder.appendingPathComponent(name), shownAs: name)
}

@Suite("Scenario files")
struct ScenarioLoaderTests {
    static let everyEdit = """
        scenario: every-edit
        description: one edit of each kind
        demand: 2025
        engines: [simulate]
        days: 30
        seed: 7
        carbonPriceUSDPerTonne: 80
        edits:
          - close: {place: CNAKL}
            fromDay: 10
            toDay: 20
            source: "estimate: a test value, not a real figure"
          - restrict: {corridor: chinaEurope, mode: rail}
            capacityFactor: 0.5
            dwellFactor: 2
            source: "estimate: a test value, not a real figure"
          - scale: {servicesMatching: SUEZ}
            capacity: 2
            price: 0.5
            source: "estimate: a test value, not a real figure"
          - growDemand: {corridor: landSea, cargo: reefer}
            factor: 1.5
            source: "estimate: a test value, not a real figure"
          - addServices:
              services: []
          - disruptions: missing.yaml
        """

    @Test func readsEveryEditKind() throws {
        let scenario = try load(Self.everyEdit)
        #expect(scenario.name == "every-edit")
        #expect(scenario.demand == .year(2025))
        #expect(scenario.days == 30 && scenario.seed == 7)
        #expect(scenario.carbonPriceUSDPerTonne == 80)
        #expect(scenario.edits.count == 6)
        guard case .restrict(_, let selector, let from, let to, let factor, _) = scenario.edits[0] else {
            Issue.record("first edit should be a closure")
            return
        }
        #expect(selector.place == PlaceCode("CNAKL") && from == 10 && to == 20 && factor == 0)
        guard case .scale(let scaled, let capacity, let frequency, let price) = scenario.edits[2] else {
            Issue.record("third edit should scale")
            return
        }
        #expect(scaled.servicesMatching == "SUEZ" && capacity == 2 && frequency == 1 && price == 0.5)
    }

    /// Each malformed file: the line and field the first issue must name.
    static let malformed: [(text: String, line: Int, field: String)] = [
        ("description: no name\n", 1, "scenario"),
        ("scenario: a\ndays: 400\n", 2, "days"),
        ("scenario: a\nengines: [simulate, fly]\n", 2, "engines"),
        ("scenario: a\nedits:\n  - close: {place: CNAKX}\n    source: \"estimate: a test value, not a real figure\"\n", 3, "edits[0].close.place"),
        ("scenario: a\nedits:\n  - scale: {service: NOPE}\n    capacity: 2\n    source: \"estimate: a test value, not a real figure\"\n", 3, "edits[0].scale.service"),
        ("scenario: a\nedits:\n  - restrict: {place: CNAKL}\n    source: \"estimate: a test value, not a real figure\"\n", 3, "edits[0].capacityFactor"),
        ("scenario: a\nedits:\n  - close: {place: CNAKL}\n    fromDay: 20\n    toDay: 10\n    source: \"estimate: a test value, not a real figure\"\n", 5, "edits[0].toDay"),
        ("scenario: a\nedits:\n  - close: {place: CNAKL}\n", 3, "edits[0].source"),
        ("scenario: a\nedits:\n  - growDemand: {corridor: moon}\n    factor: 2\n    source: \"estimate: a test value, not a real figure\"\n", 3, "edits[0].growDemand.corridor"),
        ("scenario: a\nedits:\n  - grow: {}\n", 3, "edits[0].grow"),
        ("scenario: a\nedits:\n  - close: {place: CNAKL}\n    scale: {}\n    source: \"estimate: a test value, not a real figure\"\n", 3, "edits[0].close"),
        ("scenario: a\nengines: [plan]\n", 1, "plan"),
        ("scenario: a\nengines: [plan]\nplan: {shipments: x.csv}\nedits:\n  - growDemand: {corridor: air}\n    factor: 2\n    source: \"estimate: a test value, not a real figure\"\n", 5, "edits[0].growDemand.corridor"),
        ("scenario: a\nscale: 2\n", 2, "scale"),
        ("scenario: a b\n", 1, "scenario"),
        ("scenario: a\ndemand: 1999\n", 2, "demand"),
        ("scenario: a\nedits:\n  - scale: {corridor: air}\n    source: \"estimate: a test value, not a real figure\"\n", 3, "edits[0].scale"),
        ("scenario: a\nedits:\n  - hub: {minimumLoadFactor: 2}\n    source: \"estimate: a test value, not a real figure\"\n", 3, "edits[0].hub.minimumLoadFactor"),
        ("scenario: a\nedits:\n  - hub: {}\n    source: \"estimate: a test value, not a real figure\"\n", 3, "edits[0].hub"),
        ("scenario: a\nedits:\n  - hub: {oneBillAdoptionShare: 0.2}\n", 3, "edits[0].source"),
    ]

    @Test(arguments: malformed.indices)
    func malformedFileNamesLineAndField(_ index: Int) {
        let (text, line, field) = Self.malformed[index]
        do {
            _ = try load(text)
            Issue.record("expected an error for case \(index)")
        } catch {
            #expect(error.issues.contains { $0.location.line == line && $0.field == field },
                    "case \(index): \(error.description)")
            #expect(error.description.contains("s.yaml:\(line):"))
        }
    }

    @Test func reportsEveryProblemAtOnce() {
        do {
            _ = try load("scenario: a\ndays: 0\nseed: -1\nedits:\n  - close: {place: XXNOPE}\n")
            Issue.record("expected errors")
        } catch {
            let fields = Set(error.issues.map(\.field))
            #expect(fields.isSuperset(of: ["days", "seed", "edits[0].close.place", "edits[0].source"]), "\(error.description)")
        }
    }

    @Test func randomBytesNeverCrash() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<100 {
            let count = Int(generator.next() % 400)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let folder = try scratchFolder([:])
            let url = folder.appendingPathComponent("r.yaml")
            try Data(bytes).write(to: url)
            #expect(throws: InvalidInput.self) { try loader.load(url, shownAs: "r.yaml") }
        }
    }

    @Test func gridParsesAndCombines() throws {
        let seeds = try GridAxis(parsing: "seed=1,2,3")
        let demand = try GridAxis(parsing: "demandFactor=1,1.25")
        let runs = GridAxis.combinations([seeds, demand])
        #expect(runs.count == 6)
        #expect(Set(runs.map(\.label)).count == 6)
        #expect(runs.first?.label == "seed=1,demandFactor=1")
        #expect(runs.last?[.demandFactor] == 1.25)
        for bad in ["seed=1.5", "colour=1", "days=0", "demandFactor=", "seed", "capacityFactor=nan"] {
            #expect(throws: GridError.self) { try GridAxis(parsing: bad) }
        }
    }
}
