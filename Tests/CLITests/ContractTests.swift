import Foundation
import Testing
import TestFixtures

/// The schema errors of one document, or the validator's failure as the only error.
func schemaErrors(_ json: String, schema: String) -> [String] {
    do { return try JSONSchemaCheck.errors([Data(json.utf8)], schema: schema).first ?? ["no result"] } catch {
        return ["\(error)"]
    }
}

/// The keys of every leg (and every transfer) in a route or plan document.
func legKeys(_ document: Any) -> (legs: Set<[String]>, transfers: Set<[String]>) {
    var legs: Set<[String]> = [], transfers: Set<[String]> = []
    func visit(_ value: Any) {
        if let object = value as? [String: Any] {
            if let list = object["legs"] as? [[String: Any]] {
                for leg in list {
                    legs.insert(leg.keys.sorted())
                    if let transfer = leg["transfer"] as? [String: Any] { transfers.insert(transfer.keys.sorted()) }
                }
            }
            object.values.forEach(visit)
        } else if let array = value as? [Any] {
            array.forEach(visit)
        }
    }
    visit(document)
    return (legs, transfers)
}

/// A plan of the first 30 shipments of the example, saved once per test process.
enum SmallPlan {
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-contract-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()
    static let shipments = folder.appendingPathComponent("small.csv")
    static let saved = folder.appendingPathComponent("plan.json")
    static let bills = folder.appendingPathComponent("bills")

    /// Plans the shipments (with documents) and returns the run; the saved plan is at ``saved``.
    static let run: ToolRun? = {
        guard let text = try? String(contentsOf: ToolRun.repository.appendingPathComponent("examples/shipments-2027.csv"), encoding: .utf8),
              (try? Data((text.split(separator: "\n").prefix(31).joined(separator: "\n") + "\n").utf8).write(to: shipments)) != nil
        else { return nil }
        return try? ToolRun(["plan", shipments.path, "--format", "json", "--save", saved.path, "--bills", bills.path])
    }()
}

@Suite("JSON contracts: schemas, one leg encoding, saved plans")
struct ContractTests {
    @Test func routeOutputsValidateAgainstTheirSchema() throws {
        let runs = [
            try ToolRun(["route", "--from", "Chongqing", "--to", "Duisburg", "--format", "json"]),
            try ToolRun(["route", "--from", "Chongqing", "--to", "Duisburg", "--teu", "600", "--format", "json"]),
            try ToolRun(["route", "--from", "Chongqing", "--to", "Duisburg", "--deadline", "2d", "--cargo", "vehicles", "--format", "json"]),
        ]
        #expect(runs.map(\.status) == [0, 0, 3], "\(runs.map(\.stderr))")
        let errors = try JSONSchemaCheck.errors(runs.map { Data($0.stdout.utf8) }, schema: "route.schema.json")
        for (run, list) in zip(runs, errors) {
            #expect(list.isEmpty, "\(list.prefix(5))")
            #expect(try run.json()["schemaVersion"] as? String == "1.2")
        }
        #expect(try runs[1].json()["volumeSplit"] != nil && runs[2].json()["rejected"] != nil, "every part of the contract was checked")
        // The validator does reject a leg that breaks the contract.
        var broken = try runs[0].json()
        var alternatives = try #require(broken["alternatives"] as? [[String: Any]])
        var legs = try #require(alternatives[0]["legs"] as? [[String: Any]])
        legs[0]["departureHour"] = -1
        legs[0].removeValue(forKey: "transfer")
        alternatives[0]["legs"] = legs
        broken["alternatives"] = alternatives
        let text = String(decoding: try JSONSerialization.data(withJSONObject: broken), as: UTF8.self)
        #expect(schemaErrors(text, schema: "route.schema.json").count == 2)
    }

    @Test func planLegsAndRouteLegsHaveTheSameKeys() throws {
        let plan = try #require(SmallPlan.run)
        #expect(plan.status == 0, "\(plan.stderr)")
        let route = try ToolRun(["route", "--from", "Chongqing", "--to", "Duisburg", "--format", "json"])
        let planKeys = legKeys(try plan.json()), routeKeys = legKeys(try route.json())
        #expect(planKeys.legs.count == 1, "every plan leg has the same keys: \(planKeys.legs)")
        #expect(planKeys.legs == routeKeys.legs)
        #expect(planKeys.legs.first?.contains("transfer") == true)
        #expect(!planKeys.transfers.isEmpty && planKeys.transfers == routeKeys.transfers)
        // Rounded as the route contract rounds: cents, hundredths of hours, tenths of km and kg.
        let shipments = try #require(try plan.json()["shipments"] as? [[String: Any]])
        for leg in shipments.flatMap({ ($0["routes"] as? [[String: Any]]) ?? [] }).flatMap({ ($0["legs"] as? [[String: Any]]) ?? [] }) {
            for (key, places) in [("costUSD", 2.0), ("departureHour", 2), ("arrivalHour", 2), ("distanceKm", 1), ("co2eKg", 1)] {
                let value = try #require(leg[key] as? Double)
                let scaled = value * pow(10, places)
                #expect(abs(scaled - scaled.rounded()) < 1e-6, "\(key) \(value) has more than \(Int(places)) decimals")
            }
        }
    }

    @Test func planAndSavedPlanValidateAndBillRebuildsEveryDocument() throws {
        let plan = try #require(SmallPlan.run)
        #expect(plan.status == 0, "\(plan.stderr)")
        let saved = try Data(contentsOf: SmallPlan.saved)
        #expect(saved + Data("\n".utf8) == Data(plan.stdout.utf8), "the saved plan is the plan's JSON output")
        let errors = try JSONSchemaCheck.errors([saved], schema: "plan.schema.json")
        #expect(errors == [[]], "\(errors)")
        let shipments = try #require(try plan.json()["shipments"] as? [[String: Any]])
        var rebuilt = 0
        for shipment in shipments.prefix(6) {
            let id = try #require(shipment["id"] as? String)
            let folder = SmallPlan.folder.appendingPathComponent("again-\(id)")
            let bill = try ToolRun(["bill", id, "--plan", SmallPlan.saved.path, "--out", folder.path])
            #expect(bill.status == 0, "\(bill.stderr)")
            for route in (shipment["routes"] as? [[String: Any]]) ?? [] {
                let reference = try #require(route["bill"] as? String)
                let original = try Data(contentsOf: SmallPlan.bills.appendingPathComponent("\(reference).json"))
                let again = try Data(contentsOf: folder.appendingPathComponent("\(reference).json"))
                #expect(original == again, "\(reference): bill --plan rebuilds the document plan --bills wrote")
                rebuilt += 1
            }
        }
        #expect(rebuilt >= 6)
    }

    @Test func simulateOutputValidatesAgainstItsSchema() throws {
        let run = try ToolRun(["simulate", "--days", "3", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try run.json()["schemaVersion"] as? String == "1.2")
        #expect(schemaErrors(run.stdout, schema: "simulate.schema.json") == [])
        var broken = try run.json()
        var targets = try #require(broken["targets"] as? [[String: Any]])
        targets[0]["met"] = "yes"
        broken["targets"] = targets
        let text = String(decoding: try JSONSerialization.data(withJSONObject: broken), as: UTF8.self)
        #expect(schemaErrors(text, schema: "simulate.schema.json").count == 1, "the validator rejects a broken target")

        // A target with nothing to measure is null with its reason, never 0; the schema rejects a 0 for it.
        let checks = try #require(try run.json()["targets"] as? [[String: Any]])
        let index = try #require(checks.firstIndex { $0["measured"] as? Bool == false }, "the air routes need a full week, and 3 days have none")
        #expect(checks[index]["value"] is NSNull && (checks[index]["reason"] as? String)?.isEmpty == false)
        #expect(checks[index]["met"] as? Bool == false)
        var zeroed = try run.json()
        var zeroedTargets = checks
        zeroedTargets[index]["value"] = 0
        zeroed["targets"] = zeroedTargets
        let zeroedText = String(decoding: try JSONSerialization.data(withJSONObject: zeroed), as: UTF8.self)
        #expect(!schemaErrors(zeroedText, schema: "simulate.schema.json").isEmpty, "a not-measured target cannot carry a number")
        let notMeasured = try #require(try run.json()["notMeasured"] as? [String: String])
        let kpis = try #require(try run.json()["kpis"] as? [String: Double])
        #expect(!notMeasured.isEmpty && Set(notMeasured.keys).isDisjoint(with: kpis.keys))
    }

    @Test func studyReportJSONValidatesAgainstItsSchema() throws {
        let fixture = try StudyFixture(days: 14)
        let database = fixture.path("r.sqlite")
        let study = try ToolRun(["study"] + fixture.scenarios + ["--db", database, "--jobs", "2", "--progress", "none"])
        #expect(study.status == 0, "\(study.stderr)")
        let report = try ToolRun(["study", "report", "--db", database, "--baseline", "base", "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(schemaErrors(report.stdout, schema: "study-report.schema.json") == [])
        let json = try report.json()
        #expect(json["schemaVersion"] as? String == "1.2" && json["baseline"] as? String == "base")
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(runs.count == 3)
        // The deltas are the KPIs minus the baseline's, as the CSV report shows them.
        let base = try #require(runs.first { $0["runKey"] as? String == "base" }?["kpis"] as? [String: Double])
        for run in runs where run["runKey"] as? String != "base" {
            let kpis = try #require(run["kpis"] as? [String: Double]), deltas = try #require(run["deltas"] as? [String: Double])
            #expect(!deltas.isEmpty)
            for (name, delta) in deltas { #expect(abs(delta - ((kpis[name] ?? .nan) - (base[name] ?? .nan))) < 1e-9, "\(name)") }
        }
    }

    @Test(arguments: [
        ["--mip-seconds", "0.0004"], ["--mip-seconds", "-1"], ["--mip-seconds", "nan"], ["--mip-seconds", "1e9"],
        ["--mip-seconds", "inf"],
    ])
    func mipSecondsOutOfRangeExitsTwo(flags: [String]) throws {
        let run = try ToolRun(["plan", "examples/shipments-2027.csv", "--integer"] + flags)
        #expect(run.status == 2, "\(flags): \(run.status) \(run.stderr)")
        #expect(run.stderr.contains("--mip-seconds") && run.stderr.contains("0.001 to 86400"), "\(run.stderr)")
    }

    @Test(arguments: [["--mip-gap", "-0.1"], ["--mip-gap", "1.5"], ["--mip-gap", "nan"], ["--mip-gap", "inf"]])
    func mipGapOutOfRangeExitsTwo(flags: [String]) throws {
        let run = try ToolRun(["plan", "examples/shipments-2027.csv", "--integer"] + flags)
        #expect(run.status == 2, "\(flags): \(run.status) \(run.stderr)")
        #expect(run.stderr.contains("--mip-gap") && run.stderr.contains("0 to 1"), "\(run.stderr)")
    }

    /// The table states the gap from the two numbers it prints, and departures per line and week.
    @Test func integerTableStatesItsGap() throws {
        _ = try #require(SmallPlan.run)
        let run = try ToolRun(["plan", SmallPlan.shipments.path, "--integer", "--mip-seconds", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("Whole-departure plan:") })
        func number(after label: String) throws -> Double {
            let rest = try #require(line.range(of: label).map { line[$0.upperBound...] })
            return try #require(Double(rest.prefix { "0123456789.,".contains($0) }.replacingOccurrences(of: ",", with: "")))
        }
        let plan = try number(after: "objective "), bound = try number(after: "bound "), gap = try number(after: "gap ")
        #expect(bound <= plan + 1)
        #expect(abs(gap - (plan > 0 ? 100 * (plan - bound) / plan : 0)) <= 0.06, "\(line)")
        #expect(run.stdout.contains("per week"))
    }

    @Test func oneMillisecondOfBranchAndCutIsAccepted() throws {
        _ = try #require(SmallPlan.run)
        let run = try ToolRun(["plan", SmallPlan.shipments.path, "--integer", "--mip-seconds", "0.001", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try run.json()["integer"] as? Bool == true)
    }
}
