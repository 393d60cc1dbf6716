import Foundation
import Testing
import TestFixtures
@testable import NetworkData

/// The small network with a hub and two targets (one relative to a baseline); tests edit one line to break it.
let networkWithTargets = smallNetwork + """

hub:
  name: Chongqing
  cities: [CNCQI]
  source: "estimate: test hub of one city"
targets:
  - id: trains
    description: China-Europe trains in the year
    kpi: chinaEuropeTrains
    comparison: atLeast
    year: 2027
    value: 5500
    unit: trains/year
    source: "estimate: test target"
  - id: growth
    description: Hub volume growth over 2024
    kpi: hubMultimodalTEU
    comparison: atLeast
    year: 2027
    value: 0.25
    unit: share
    baseline: {year: 2024, value: 625661, unit: TEU, source: "estimate: test baseline value"}
    note: test note
    source: "https://example.org/plan"

"""

/// Replaces the first occurrence of `old` in ``networkWithTargets``.
func networkWithTargets(replacing old: String, with new: String) -> String {
    networkWithTargets.replacingFirst(old, with: new)
}

@Suite("Hub and targets in the network data")
struct TargetLoadingTests {
    @Test func loadsHubAndTargets() throws {
        let network = try NetworkLoader.load(yaml: networkWithTargets, file: "net.yaml")
        let hub = try #require(network.hub)
        #expect(hub.cities == ["CNCQI"] && hub.airport == nil && hub.timedJourney == nil)
        #expect(network.hubPlaces() == ["CNCQI", "CNCQD"], "the city and its terminal, not the border")
        #expect(network.targets.map(\.id) == ["trains", "growth"])
        #expect(network.targets.map(\.kpi) == [.chinaEuropeTrains, .hubMultimodalTEU])
        #expect(network.targets.allSatisfy { $0.comparison == .atLeast })
        #expect(network.targets[0].baseline == nil)
        let baseline = try #require(network.targets[1].baseline)
        #expect(baseline.year == 2024 && baseline.value == 625_661 && baseline.unit == "TEU" && baseline.isEstimate)
        #expect(network.targets[1].note == "test note")
        #expect(network.targets[1].location.line == networkWithTargets.prefix(upTo: networkWithTargets.range(of: "- id: growth")!.lowerBound)
            .filter { $0 == "\n" }.count + 1)
    }

    /// Each row breaks one field; the error must name the line (of `anchor`, last occurrence), the field and what is expected.
    @Test(arguments: [
        ("kpi: chinaEuropeTrains", "kpi: chinaEuropeTrain", "kpi: chinaEuropeTrain", "targets[0].kpi",
         "value 'chinaEuropeTrain' is unknown; expected one of chinaEuropeTrains, ckgInternationalRoutes"),
        ("    kpi: chinaEuropeTrains\n", "", "- id: trains", "targets[0].kpi", "missing; expected one of chinaEuropeTrains"),
        ("comparison: atLeast", "comparison: more", "comparison: more", "targets[0].comparison",
         "value 'more' is unknown; expected one of atLeast, atMost"),
        ("id: growth", "id: trains", "- id: trains", "targets[trains].id", "is already used by the target at net.yaml:"),
        ("id: trains", "id: 9trains", "id: 9trains", "targets[0].id", "starting with a letter"),
        ("value: 5500", "value: -5", "value: -5", "targets[0].value", "is negative"),
        ("    unit: share\n", "    unit: share\n    threshold: 3\n", "threshold", "targets[1].threshold", "unknown field"),
        ("year: 2024", "year: 2030", "baseline:", "targets[1].baseline.year", "not before the target's year 2027"),
        ("value: 625661", "value: 0", "baseline:", "targets[1].baseline.value", "out of range"),
        ("source: \"estimate: test baseline value\"", "source: \"a guess\"", "baseline:", "targets[1].baseline.source",
         "no URL and no 'estimate:'"),
        ("kpi: chinaEuropeTrains", "kpi: ckgInternationalRoutes", "kpi: ckgInternationalRoutes", "targets[trains].kpi",
         "expected a hub with an airport"),
        ("kpi: chinaEuropeTrains", "kpi: chinaLaosThailandDays", "kpi: chinaLaosThailandDays", "targets[trains].kpi",
         "expected a hub with a timedJourney"),
        ("hub:\n  name: Chongqing\n  cities: [CNCQI]\n  source: \"estimate: test hub of one city\"\n", "",
         "kpi: chinaEuropeTrains", "targets[trains].kpi", "which names none of it; expected a hub"),
        ("cities: [CNCQI]", "cities: [CNCQX]", "cities:", "hub.cities", "unknown place 'CNCQX' (closest: CNCQD, CNCQI)"),
        ("cities: [CNCQI]", "cities: [CNCQD]", "cities:", "hub.cities", "'CNCQD' is a railTerminal; expected a place of kind city"),
        ("cities: [CNCQI]", "cities: []", "cities:", "hub.cities", "empty list"),
        ("  cities: [CNCQI]\n", "  cities: [CNCQI]\n  airport: CNAKL\n", "airport: CNAKL", "hub.airport",
         "'CNAKL' is a borderCrossing; expected a place of kind airport"),
        ("  cities: [CNCQI]\n", "  cities: [CNCQI]\n  timedJourney: {toCountry: Thailand, throughCountry: LA}\n", "timedJourney",
         "hub.timedJourney.toCountry", "expected an ISO 3166-1 alpha-2 code"),
        ("hub:\n  name: Chongqing\n", "hub:\n  name: Chongqing\n  hubs: 2\n", "hubs: 2", "hub.hubs", "unknown field"),
        ("  cities: [CNCQI]\n", "  cities: [CNCQI]\n  airRoutes: {minimumLoadFactor: 0.4, minimumShareOfWeeks: 0.5, source: \"estimate: test rule of the test hub\"}\n",
         "airRoutes", "hub.airRoutes", "the hub names no airport"),
        ("  cities: [CNCQI]\n", "  cities: [CNCQI]\n  airRoutes: {minimumLoadFactor: 1.5, minimumShareOfWeeks: 0.5, source: \"estimate: test rule of the test hub\"}\n",
         "airRoutes", "hub.airRoutes.minimumLoadFactor", "out of range"),
        ("  cities: [CNCQI]\n", "  cities: [CNCQI]\n  oneBill: {source: \"estimate: test share of the test hub\"}\n",
         "oneBill", "hub.oneBill.adoptionShare", "missing"),
        ("  cities: [CNCQI]\n", "  cities: [CNCQI]\n  oneBill: {adoptionShare: 0.1, source: \"a guess\"}\n",
         "oneBill", "hub.oneBill.source", "no URL and no 'estimate:'"),
        ("    unit: trains/year\n", "    unit: trains/year\n    cumulative: {fromYear: 2030}\n", "cumulative",
         "targets[0].cumulative.fromYear", "after the target's year 2027"),
        ("    unit: trains/year\n",
         "    unit: trains/year\n    cumulative: {fromYear: 2025, actuals: [{year: 2024, value: 5, unit: trains, source: \"estimate: test actual for 2024\"}]}\n",
         "cumulative", "targets[0].cumulative.actuals[0].year", "outside the summed years 2025–2027"),
        ("    note: test note\n", "    note: test note\n    cumulative: {fromYear: 2025}\n", "cumulative", "targets[1].cumulative",
         "given with a baseline"),
    ] as [(String, String, String, String, String)])
    func reportsBadField(old: String, new: String, anchor: String, field: String, fragment: String) throws {
        let yaml = networkWithTargets(replacing: old, with: new)
        let anchorRange = try #require(yaml.range(of: anchor, options: .backwards))
        let line = yaml[..<anchorRange.lowerBound].filter { $0 == "\n" }.count + 1
        let error = #expect(throws: InvalidInput.self) { try NetworkLoader.load(yaml: yaml, file: "net.yaml") }
        let issues = try #require(error).issues
        let match = issues.first { $0.field == field && $0.message.contains(fragment) }
        #expect(match != nil, "no issue for \(field) containing '\(fragment)' in:\n\(issues.map(\.description).joined(separator: "\n"))")
        #expect(match?.location == NetworkData.SourceLocation(file: "net.yaml", line: line))
    }

    /// Targets and the hub may live in an included file; errors name that file and line, and a
    /// second hub is an error naming the first.
    @Test func includedFileNamesItsOwnLines() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rp-targets-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = networkWithTargets.replacingOccurrences(of: "network: test\n", with: "network: test\ninclude: [plan.yaml]\n")
        try Data(manifest.utf8).write(to: directory.appendingPathComponent("network.yaml"))
        let plan = """
            description: test plan file
            hub:
              name: Second
              cities: [CNCQI]
              source: "estimate: a second hub in another file"
            targets:
              - id: routes
                description: Routes
                kpi: airRoutes
                comparison: atLeast
                year: 2027
                value: 55
                unit: routes
                source: "estimate: test target"

            """
        try Data(plan.utf8).write(to: directory.appendingPathComponent("plan.yaml"))
        let error = #expect(throws: InvalidInput.self) { try NetworkLoader.load(manifest: directory.appendingPathComponent("network.yaml")) }
        let issues = try #require(error).issues
        let unknown = try #require(issues.first { $0.field == "targets[0].kpi" })
        #expect(unknown.location.file.hasSuffix("plan.yaml") && unknown.location.line == 9, "\(unknown)")
        #expect(unknown.message.contains("value 'airRoutes' is unknown"))
        let second = try #require(issues.first { $0.field == "hub" })
        #expect(second.location.file.hasSuffix("plan.yaml") && second.location.line == 3, "\(second)")
        #expect(second.message.contains("a second hub (the first is at ") && second.message.contains("network.yaml:"))
        #expect(issues.count == 2, "\(issues)")
    }

    @Test func builtInNetworkDefinesItsHubAndTargetsAsData() throws {
        let url = try #require(BuiltInNetwork.manifestURL())
        let network = try NetworkLoader.load(manifest: url)
        let hub = try #require(network.hub)
        #expect(network.files.contains { $0.hasSuffix("targets.yaml") })
        #expect(network.place(try #require(hub.airport))?.kind == .airport)
        // Hub places: the hub's cities and their terminals, nothing else.
        let places = network.hubPlaces()
        #expect(!places.isEmpty)
        for code in places {
            let place = try #require(network.place(code))
            #expect(hub.cities.contains(code) || place.city.map(hub.cities.contains) == true, "\(code)")
        }
        #expect(hub.cities.allSatisfy(places.contains))
        // Every target names its KPI and a source; the relative one has its baseline year before its own.
        #expect(network.targets.count >= 7)
        #expect(Set(network.targets.map(\.id)).count == network.targets.count)
        for target in network.targets {
            #expect(target.source.contains("http") || target.source.contains("estimate:"), "\(target.id)")
            if let baseline = target.baseline { #expect(baseline.year < target.year && !baseline.source.isEmpty, "\(target.id)") }
        }
        #expect(network.targets.contains { $0.baseline != nil })
    }
}

@Suite("Target ids")
struct TargetModelTests {
    @Test func wellFormedIds() {
        #expect(Target.isWellFormed(id: "chinaEuropeTrainsPerYear"))
        #expect(Target.isWellFormed(id: "landSeaTransitShare2025"))
        #expect(!Target.isWellFormed(id: ""))
        #expect(!Target.isWellFormed(id: "2025share"))
        #expect(!Target.isWellFormed(id: "share 2025"))
        #expect(!Target.isWellFormed(id: String(repeating: "a", count: 61)))
    }
}
