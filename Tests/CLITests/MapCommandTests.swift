import Foundation
import Testing

/// `network map` and `route --svg`: the map files the CLI writes, and their flags' errors.
@Suite("network map and route --svg")
struct MapCommandTests {
    @Test func theMapOfChosenLayersHidesTheOthers() throws {
        let folder = try temporaryFolder("map")
        let out = folder.appendingPathComponent("map.svg").path
        let run = try ToolRun(["network", "map", "--layers", "chinaEurope,hubs", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("id=\"layer-air\" data-layer=\"air\" display=\"none\""))
        #expect(svg.contains("id=\"layer-chinaEurope\" data-layer=\"chinaEurope\">"))
    }

    @Test func aRouteQueryDrawsEachAlternative() throws {
        let folder = try temporaryFolder("map")
        let out = folder.appendingPathComponent("route.svg").path
        let run = try ToolRun(["route", "--from", "Chongqing", "--to", "Duisburg", "--alternatives", "3", "--svg", out])
        #expect(run.status == 0, "\(run.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.components(separatedBy: "class=\"route-line\"").count - 1 == 3)
        // The legend repeats each alternative's cost as the table printed it.
        for line in run.stdout.split(separator: "\n") where line.hasPrefix("#") {
            let cost = line.split(separator: " ", omittingEmptySubsequences: true)[1]
            #expect(svg.contains("\(cost) USD"), "\(cost) is not in the legend")
        }
    }

    @Test func badLayersOrPathsExitTwo() throws {
        for arguments in [["network", "map", "--layers", "rail"], ["network", "map", "--out", ""],
                          ["route", "--from", "Chongqing", "--to", "Duisburg", "--svg", ""],
                          ["network", "map", "--out", "/proc/version"]] {
            let run = try ToolRun(arguments)
            #expect(run.status == 2 && !run.crashed, "\(arguments): \(run.status) \(run.stderr)")
            #expect(!run.stderr.isEmpty)
        }
    }
}
