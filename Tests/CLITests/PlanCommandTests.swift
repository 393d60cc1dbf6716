import Foundation
import Testing

/// Validates every JSON file in `folder` against the shipped schema with Python's jsonschema
/// (a real JSON Schema validator, draft 2020-12, with format checks). Returns the failures.
/// Validates every one-bill document in `folder` with `schemas/validate_one_bill.py`: each against
/// the project's schema; a DCSA document (no `documentStandard`) against DCSA's own eBL 3.0.4
/// `TransportDocument` without its `x-routeplanner` extension; a document without a vessel must
/// miss nothing of DCSA's but the vessel. Returns the count, the failures, the DCSA documents and
/// the others by their `documentStandard`.
func validateBills(in folder: URL) throws -> (checked: Int, failures: String, dcsa: Int, others: [String: Int]) {
    struct Result: Decodable {
        var file: String
        var documentStandard: String?
        var project: [String]
        var dcsa: [String]
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", ToolRun.repository.appendingPathComponent("schemas/validate_one_bill.py").path, "--json",
                         folder.path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "the schema check itself failed")
    let results = (try? JSONDecoder().decode([Result].self, from: data)) ?? []
    var failures: [String] = [], dcsa = 0, others: [String: Int] = [:]
    for result in results {
        failures += result.project.prefix(1).map { "\(result.file): project schema: \($0)" }
        if let standard = result.documentStandard {
            others[standard, default: 0] += 1
            failures += result.dcsa.filter { $0 != "transports: 'vesselVoyages' is a required property" }.prefix(1)
                .map { "\(result.file): DCSA beyond the vessel: \($0)" }
        } else {
            dcsa += 1
            failures += result.dcsa.prefix(1).map { "\(result.file): DCSA: \($0)" }
        }
    }
    return (results.count, failures.joined(separator: "\n"), dcsa, others)
}

func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("plan and bill end to end")
struct PlanCommandTests {
    @Test func planTheExampleWithBills() throws {
        let folder = try temporaryFolder("rp-bills")
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = folder.appendingPathComponent("plan.json")
        let run = try ToolRun(["plan", "examples/shipments-2027.csv", "--format", "json",
                               "--bills", folder.appendingPathComponent("out").path, "--save", saved.path])
        #expect(run.status == 0, "\(run.stderr)")
        let plan = try run.json()
        let shipments = try #require(plan["shipments"] as? [[String: Any]])
        #expect(shipments.count >= 500)
        var parts = 0
        for shipment in shipments {
            let status = try #require(shipment["status"] as? String)
            #expect(["planned", "partial", "unmet"].contains(status))
            if status != "planned" { #expect(shipment["reason"] is String) }
            #expect(shipment["costUSD"] is Double && shipment["id"] is String)
            for route in try #require(shipment["routes"] as? [[String: Any]]) {
                parts += 1
                #expect(route["teu"] is Double)
                #expect(((route["legs"] as? [[String: Any]]) ?? []).allSatisfy { $0["mode"] is String && $0["from"] is String && $0["to"] is String && $0["service"] is String })
            }
        }
        #expect(plan["totalCostUSD"] is Double)
        for service in try #require(plan["services"] as? [[String: Any]]) {
            #expect(service["id"] is String && service["capacityTEU"] is Double && service["usedTEU"] is Double)
            let dual = try #require(service["dualUSDPerTEU"] as? Double)
            if dual > 0 { #expect(service["binding"] as? Bool == true, "a dual on a service that is not full") }
        }
        let (checked, failures, dcsa, others) = try validateBills(in: folder.appendingPathComponent("out"))
        #expect(checked == parts, "one document per planned route")
        #expect(failures.isEmpty, "\(failures)")
        // Both kinds occur: ocean (DCSA) documents and trains, trucks and flights that name their standard.
        #expect(dcsa > 0 && others.values.reduce(0, +) > 0, "\(dcsa) DCSA documents, others \(others)")
        #expect((others["CIM/SMGS"] ?? 0) > 0, "China-Europe trains declare the CIM/SMGS note: \(others)")

        // `bill` rebuilds the same document from the saved plan.
        let first = try #require(shipments.first { ($0["routes"] as? [[String: Any]])?.isEmpty == false })
        let id = try #require(first["id"] as? String)
        let reference = try #require(((first["routes"] as? [[String: Any]])?.first?["bill"]) as? String)
        let again = try ToolRun(["bill", id, "--plan", saved.path, "--out", folder.appendingPathComponent("again").path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\(reference).json") && again.stdout.contains("\(reference).html"))
        let original = try Data(contentsOf: folder.appendingPathComponent("out/\(reference).json"))
        let rebuilt = try Data(contentsOf: folder.appendingPathComponent("again/\(reference).json"))
        #expect(original == rebuilt, "the same plan gives the same document")
        let missing = try ToolRun(["bill", "NO-SUCH-ID", "--plan", saved.path])
        #expect(missing.status == 2)
    }

    @Test func shrinkingARailServiceMovesOrCutsShipments() throws {
        let folder = try temporaryFolder("rp-shrink")
        defer { try? FileManager.default.removeItem(at: folder) }
        var csv = "id,origin,destination,teu,cargo,ready,deadline\n"
        for i in 0..<30 { csv += "R\(i),CNCQD,DEDUI,40,general,2027-03-01,24d\n" }
        let list = folder.appendingPathComponent("rail.csv")
        try csv.write(to: list, atomically: true, encoding: .utf8)
        let base = try ToolRun(["plan", list.path, "--format", "json"])
        #expect(base.status == 0, "\(base.stderr)")
        let network = try copyOfBuiltInNetwork()
        defer { try? FileManager.default.removeItem(at: network) }
        let file = network.appendingPathComponent("china-europe.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        let start = try #require(text.range(of: "id: CE-CQD-AKL\n"))
        let capacity = try #require(text.range(of: #"capacityTEUPerDeparture: \d+"#, options: .regularExpression, range: start.upperBound..<text.endIndex))
        text.replaceSubrange(capacity, with: "capacityTEUPerDeparture: 10")
        // Keep the minimum train load within the new capacity (the loader checks it).
        let restart = try #require(text.range(of: "id: CE-CQD-AKL\n"))
        if let load = text.range(of: #"minimumLoadTEU: \d+"#, options: .regularExpression, range: restart.upperBound..<text.endIndex) {
            text.replaceSubrange(load, with: "minimumLoadTEU: 5")
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let shrunk = try ToolRun(["plan", list.path, "--format", "json", "--network", network.appendingPathComponent("network.yaml").path])
        #expect(shrunk.status == 0, "\(shrunk.stderr)")

        func usesAlashankou(_ run: ToolRun) throws -> Double {
            let shipments = try #require(try run.json()["shipments"] as? [[String: Any]])
            return shipments.flatMap { ($0["routes"] as? [[String: Any]]) ?? [] }
                .filter { (($0["legs"] as? [[String: Any]]) ?? []).contains { $0["service"] as? String == "CE-CQD-AKL" } }
                .compactMap { $0["teu"] as? Double }.reduce(0, +)
        }
        let before = try usesAlashankou(base), after = try usesAlashankou(shrunk)
        #expect(before > 160)
        #expect(after <= 160 * 4 + 1e-6, "10 TEU × 16 departures a week, over the weeks the window allows")
        let shipments = try #require(try shrunk.json()["shipments"] as? [[String: Any]])
        let moved = shipments.contains { shipment in
            ((shipment["routes"] as? [[String: Any]]) ?? []).contains { route in
                !((route["legs"] as? [[String: Any]]) ?? []).contains { $0["service"] as? String == "CE-CQD-AKL" }
            }
        }
        let cut = shipments.filter { $0["status"] as? String != "planned" }
        #expect(moved || !cut.isEmpty)
        for shipment in cut { #expect((shipment["reason"] as? String)?.hasPrefix("capacity:") == true, "\(shipment)") }
        let services = try #require(try shrunk.json()["services"] as? [[String: Any]])
        let akl = services.first { $0["id"] as? String == "CE-CQD-AKL" }
        #expect(akl?["binding"] as? Bool == true)
        #expect((akl?["dualUSDPerTEU"] as? Double ?? 0) > 0)
    }

    @Test func malformedShipmentsExitTwoWithRowAndColumn() throws {
        let folder = try temporaryFolder("rp-badcsv")
        defer { try? FileManager.default.removeItem(at: folder) }
        let list = folder.appendingPathComponent("bad.csv")
        try """
        id,origin,destination,teu,cargo,ready,deadline
        A1,Chongqing,Duisburg,4,general,2027-03-01,30d
        A2,Atlantis,Duisburg,x,general,2027-13-01,30d
        A3,Chongqing,Duisburg,2,frozen,2027-03-01,2027-02-01
        """.write(to: list, atomically: true, encoding: .utf8)
        let run = try ToolRun(["plan", list.path])
        #expect(run.status == 2)
        for expected in ["bad.csv:3: column origin", "bad.csv:3: column teu", "bad.csv:3: column ready",
                         "bad.csv:4: column cargo", "bad.csv:4: column deadline"] {
            #expect(run.stderr.contains(expected), "missing '\(expected)' in \(run.stderr)")
        }
        #expect(run.stderr.contains("5 problems"))
    }
}
