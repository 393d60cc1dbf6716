import Foundation
import Testing
@testable import NetworkData

/// The small network with Alashankou given a throughput and `extra` lines after it.
func backgroundNetwork(throughput: String = "    throughput: {unitsPerDay: 22, peakUnitsPerDay: 30, unit: trains, teuPerUnit: 100}\n",
                       _ extra: String) -> String {
    let gauge = "    gaugeChange: {gaugesMm: [1435, 1520], hours: 1.5, costUSDPerTEU: 60}\n"
    return smallNetwork(replacing: gauge, with: gauge + throughput + extra)
}

@Suite("Background traffic loading")
struct BackgroundTrafficLoadingTests {
    @Test func readsBackgroundTraffic() throws {
        let factors = "[0.8, 0.8, 1, 1, 1, 1, 1.1, 1.1, 1.1, 1.1, 1, 1]"
        let yaml = backgroundNetwork("    backgroundTraffic: {vehiclesPerDay: 15.6, byMonth: \(factors), source: \"https://example.org/akl\"}\n")
        let network = try NetworkLoader.load(yaml: yaml, file: "net.yaml")
        let background = try #require(network.place("CNAKL")?.backgroundTraffic)
        #expect(background.vehiclesPerDay == 15.6)
        #expect(background.byMonth == [0.8, 0.8, 1, 1, 1, 1, 1.1, 1.1, 1.1, 1.1, 1, 1])
        #expect(abs(background.vehiclesPerDay(inMonth: 1) - 15.6 * 0.8) < 1e-12)
        #expect(background.vehiclesPerDay(inMonth: nil) == 15.6)
        #expect(network.place("CNCQD")?.backgroundTraffic == nil)
    }

    @Test func byMonthDefaultsToAFlatYear() throws {
        let yaml = backgroundNetwork("    backgroundTraffic: {vehiclesPerDay: 10, source: \"estimate: a flat test stream\"}\n")
        let background = try #require(try NetworkLoader.load(yaml: yaml).place("CNAKL")?.backgroundTraffic)
        #expect(background.byMonth == Array(repeating: 1, count: 12))
    }

    /// Each row breaks one field; the error names the line of `anchor`, the field and what is expected.
    @Test(arguments: [
        ("    backgroundTraffic: {vehiclesPerDay: -3, source: \"https://example.org/a\"}\n", "vehiclesPerDay: -3",
         "places[2].backgroundTraffic.vehiclesPerDay", "out of range"),
        ("    backgroundTraffic: {vehiclesPerDay: 0, source: \"https://example.org/a\"}\n", "vehiclesPerDay: 0",
         "places[2].backgroundTraffic.vehiclesPerDay", "out of range"),
        ("    backgroundTraffic: {vehiclesPerDay: many, source: \"https://example.org/a\"}\n", "vehiclesPerDay: many",
         "places[2].backgroundTraffic.vehiclesPerDay", "value 'many'"),
        ("    backgroundTraffic: {vehiclesPerDay: 22, source: \"https://example.org/a\"}\n", "vehiclesPerDay: 22",
         "places[2].backgroundTraffic.vehiclesPerDay", "not below throughput.unitsPerDay 22"),
        ("    backgroundTraffic: {vehiclesPerDay: 10, byMonth: [1, 1, 1], source: \"https://example.org/a\"}\n", "byMonth",
         "places[2].backgroundTraffic.byMonth", "a list of 3 values; expected a list of 12 numbers"),
        ("    backgroundTraffic: {vehiclesPerDay: 10, byMonth: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], source: \"https://example.org/a\"}\n",
         "byMonth", "places[2].backgroundTraffic.byMonth", "factors average 2; expected twelve factors averaging 1"),
        ("    backgroundTraffic: {vehiclesPerDay: 10, byMonth: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1], source: \"https://example.org/a\"}\n",
         "byMonth", "places[2].backgroundTraffic.byMonth[11]", "out of range"),
        ("    backgroundTraffic: {vehiclesPerDay: 10}\n", "backgroundTraffic",
         "places[2].backgroundTraffic.source", "missing"),
        ("    backgroundTraffic: {vehiclesPerDay: 10, source: \"a friend said\"}\n", "a friend said",
         "places[2].backgroundTraffic.source", "no URL and no 'estimate:'"),
        ("    backgroundTraffic: {vehiclesPerDay: 10, trainsPerDay: 3, source: \"https://example.org/a\"}\n", "trainsPerDay",
         "places[2].backgroundTraffic.trainsPerDay", "unknown field"),
        ("    backgroundTraffic: 12\n", "backgroundTraffic: 12",
         "places[2].backgroundTraffic", "expected a mapping {vehiclesPerDay, byMonth, source}"),
    ] as [(String, String, String, String)])
    func reportsBadBackgroundTraffic(extra: String, anchor: String, field: String, fragment: String) throws {
        try expectIssue(backgroundNetwork(extra), anchor: anchor, field: field, fragment: fragment)
    }

    @Test func readsTheObservedThroughput() throws {
        let observed = "    throughput: {unitsPerDay: 22, unit: trains, teuPerUnit: 100, observedUnitsPerDay: 21}\n"
        let throughput = try #require(try NetworkLoader.load(yaml: backgroundNetwork(throughput: observed, "")).place("CNAKL")?.throughput)
        #expect(throughput.observedUnitsPerDay == 21)
        #expect(abs((throughput.observedShare ?? 0) - 21.0 / 22) < 1e-12)
        let plain = try #require(try NetworkLoader.load(yaml: backgroundNetwork("")).place("CNAKL")?.throughput)
        #expect(plain.observedShare == nil)
    }

    @Test(arguments: [
        ("    throughput: {unitsPerDay: 22, unit: trains, observedUnitsPerDay: 23}\n", "places[2].throughput.observedUnitsPerDay",
         "above unitsPerDay 22"),
        ("    throughput: {unitsPerDay: 22, unit: trains, observedUnitsPerDay: 0}\n", "places[2].throughput.observedUnitsPerDay",
         "out of range"),
    ] as [(String, String, String)])
    func reportsAnObservedThroughputAboveCapacity(throughput: String, field: String, fragment: String) throws {
        try expectIssue(backgroundNetwork(throughput: throughput, ""), anchor: "observedUnitsPerDay", field: field, fragment: fragment)
    }

    @Test func backgroundTrafficNeedsAThroughput() throws {
        let yaml = backgroundNetwork(throughput: "", "    backgroundTraffic: {vehiclesPerDay: 10, source: \"https://example.org/a\"}\n")
        try expectIssue(yaml, anchor: "backgroundTraffic", field: "places[2].backgroundTraffic",
                        fragment: "the place has no throughput")
    }

    func expectIssue(_ yaml: String, anchor: String, field: String, fragment: String) throws {
        let anchorRange = try #require(yaml.range(of: anchor, options: .backwards))
        let line = yaml[..<anchorRange.lowerBound].filter { $0 == "\n" }.count + 1
        let error = #expect(throws: InvalidInput.self) { try NetworkLoader.load(yaml: yaml, file: "net.yaml") }
        let issues = try #require(error).issues
        let match = issues.first { $0.field == field && $0.message.contains(fragment) }
        #expect(match != nil, "no issue for \(field) containing '\(fragment)' in:\n\(issues.map(\.description).joined(separator: "\n"))")
        #expect(match?.location == SourceLocation(file: "net.yaml", line: line))
    }
}
