import Foundation
import Testing

/// One way to break a saved plan, and the JSON path (with the start of the message) `bill`
/// must name when it refuses it.
struct BrokenPlan: Sendable, CustomTestStringConvertible {
    /// An edit of the saved plan's JSON.
    enum Edit: Sendable {
        /// Replace the value at the path with this JSON text.
        case set(String, json: String)
        /// Remove the key at the path.
        case remove(String)
        /// Copy the value at the first path to the second.
        case copy(String, to: String)
        /// Replace the whole file.
        case file(@Sendable (String) -> String)
    }

    var name: String
    var edits: [Edit]
    /// What stderr must contain: the JSON path and the start of the message.
    var expected: String
    var testDescription: String { name }

    init(_ name: String, _ expected: String, _ edits: Edit...) {
        self.name = name
        self.expected = expected
        self.edits = edits
    }

    /// `shipments[3].routes[0]` as keys and indices.
    static func steps(_ path: String) -> [Any] {
        var steps: [Any] = []
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indices: [Int] = []
            while let open = name.lastIndex(of: "["), let close = name.lastIndex(of: "]"), open < close {
                indices.insert(Int(name[name.index(after: open)..<close])!, at: 0)
                name = name[..<open]
            }
            steps.append(String(name))
            steps += indices.map { $0 as Any }
        }
        return steps
    }

    static func value(in document: Any, at steps: [Any]) -> Any? {
        guard let step = steps.first else { return document }
        if let key = step as? String, let object = document as? [String: Any], let child = object[key] {
            return value(in: child, at: Array(steps.dropFirst()))
        }
        if let index = step as? Int, let array = document as? [Any], array.indices.contains(index) {
            return value(in: array[index], at: Array(steps.dropFirst()))
        }
        return nil
    }

    /// `document` with the value at `steps` replaced (nil removes a key).
    static func replacing(in document: Any, at steps: [Any], with newValue: Any?) -> Any {
        guard let step = steps.first else { return newValue as Any }
        let rest = Array(steps.dropFirst())
        if let key = step as? String, var object = document as? [String: Any] {
            if rest.isEmpty { object[key] = newValue } else { object[key] = replacing(in: object[key] as Any, at: rest, with: newValue) }
            return object
        }
        if let index = step as? Int, var array = document as? [Any], array.indices.contains(index) {
            array[index] = rest.isEmpty ? newValue as Any : replacing(in: array[index], at: rest, with: newValue)
            return array
        }
        return document
    }

    /// The saved plan text with the edits applied.
    func apply(to text: String) throws -> String {
        var document = try JSONSerialization.jsonObject(with: Data(text.utf8))
        for edit in edits {
            switch edit {
            case .set(let path, let json):
                let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
                #expect(Self.value(in: document, at: Self.steps(path)) != nil, "\(name): \(path) is not in the plan")
                document = Self.replacing(in: document, at: Self.steps(path), with: value)
            case .remove(let path):
                #expect(Self.value(in: document, at: Self.steps(path)) != nil, "\(name): \(path) is not in the plan")
                document = Self.replacing(in: document, at: Self.steps(path), with: nil)
            case .copy(let from, let to):
                let value = try #require(Self.value(in: document, at: Self.steps(from)), "\(name): \(from) is not in the plan")
                document = Self.replacing(in: document, at: Self.steps(to), with: value)
            case .file(let change):
                return change(text)
            }
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]), as: UTF8.self)
    }
}

@Suite("bill --plan refuses malformed saved plans")
struct SavedPlanTests {
    static let leg = "shipments[3].routes[0].legs[0]"
    static let cases: [BrokenPlan] = [
        BrokenPlan("empty legs", "shipments[3].routes[0].legs: empty", .set("shipments[3].routes[0].legs", json: "[]")),
        BrokenPlan("huge departure hour", "\(leg).departureHour: 1e+300 is out of range", .set("\(leg).departureHour", json: "1e300")),
        BrokenPlan("arrival before departure", "\(leg).arrivalHour: ", .set("\(leg).departureHour", json: "80000")),
        BrokenPlan("huge TEU", "shipments[3].teu: 1000000000000.0 is out of range", .set("shipments[3].teu", json: "1e12")),
        BrokenPlan("huge route TEU", "shipments[3].routes[0].teu: 1e+300 is out of range", .set("shipments[3].routes[0].teu", json: "1e300")),
        BrokenPlan("negative TEU", "shipments[3].teu: -4.0 is out of range", .set("shipments[3].teu", json: "-4")),
        BrokenPlan("NaN as a string", "\(leg).costUSD: expected a number", .set("\(leg).costUSD", json: "\"NaN\"")),
        BrokenPlan("Infinity as a string", "shipments[3].tonnes: expected a number", .set("shipments[3].tonnes", json: "\"Infinity\"")),
        BrokenPlan("NaN literal", "$: not valid JSON", .file { $0.replacingOccurrences(of: "\"teu\" : ", with: "\"teu\" : NaN, \"x\" : ") }),
        BrokenPlan("routes not an array", "shipments[3].routes: expected an array", .set("shipments[3].routes", json: "{}")),
        BrokenPlan("week as text", "shipments[3].routes[0].week: expected a number", .set("shipments[3].routes[0].week", json: "\"1\"")),
        BrokenPlan("huge week", "shipments[3].routes[0].week: 1e+300; expected a whole number", .set("shipments[3].routes[0].week", json: "1e300")),
        BrokenPlan("fractional week", "shipments[3].routes[0].week: 1.5; expected a whole number", .set("shipments[3].routes[0].week", json: "1.5")),
        BrokenPlan("null TEU", "shipments[3].teu: null; expected a number", .set("shipments[3].teu", json: "null")),
        BrokenPlan("missing cargo", "shipments[3].cargo: missing", .remove("shipments[3].cargo")),
        BrokenPlan("missing leg key", "\(leg).transfer: missing", .remove("\(leg).transfer")),
        BrokenPlan("unknown place", "shipments[3].origin: unknown place 'XXAAA'", .set("shipments[3].origin", json: "\"XXAAA\"")),
        BrokenPlan("unknown leg place", "shipments[3].routes[0].legs[1].to: unknown place 'ZZZZZ'",
                   .set("shipments[3].routes[0].legs[1].to", json: "\"ZZZZZ\"")),
        BrokenPlan("unknown service", "\(leg).service: unknown service 'NO-SUCH-SERVICE'", .set("\(leg).service", json: "\"NO-SUCH-SERVICE\"")),
        BrokenPlan("unknown mode", "\(leg).mode: 'ship' is not one of", .set("\(leg).mode", json: "\"ship\"")),
        BrokenPlan("legs that do not chain", "shipments[3].routes[0].legs[2].from: ", .copy("shipments[3].routes[0].legs[0].from", to: "shipments[3].routes[0].legs[2].from")),
        BrokenPlan("bad gauges", "\(leg).transfer.gaugesMm: ",
                   .set("\(leg).transfer", json: #"{"kind": "gaugeChange", "place": "PLMAA", "borderCrossing": true, "hours": 1, "costUSD": 1, "gaugesMm": [1e300, 1435]}"#)),
        BrokenPlan("impossible date", "shipments[3].ready: '2027-02-30'", .set("shipments[3].ready", json: "\"2027-02-30\"")),
        BrokenPlan("start day not a date", "shipments[3].routes[0].startDay: 'tomorrow'", .set("shipments[3].routes[0].startDay", json: "\"tomorrow\"")),
        BrokenPlan("unknown cargo", "shipments[3].cargo: 'frozen'", .set("shipments[3].cargo", json: "\"frozen\"")),
        BrokenPlan("duplicate shipment id", "shipments[3].id: ", .copy("shipments[1].id", to: "shipments[3].id")),
        BrokenPlan("wrong count", "summary.shipments: 3, but the plan lists", .set("summary.shipments", json: "3")),
        BrokenPlan("another network", "network: the plan was made on network 'elsewhere'", .set("network", json: "\"elsewhere\"")),
        BrokenPlan("newer schema", "schemaVersion: '2.0' is not supported", .set("schemaVersion", json: "\"2.0\"")),
        BrokenPlan("no schema version", "schemaVersion: missing", .remove("schemaVersion")),
        BrokenPlan("not JSON", "$: not valid JSON", .file { _ in "shipments: none\n" }),
        BrokenPlan("truncated file", "$: not valid JSON: Unexpected end of file", .file { String($0.prefix($0.count / 2)) }),
        BrokenPlan("empty file", "$: not valid JSON: the file is empty", .file { _ in "" }),
        BrokenPlan("not an object", "$: expected an object", .file { _ in "[1, 2, 3]" }),
    ]

    @Test(arguments: cases)
    func malformedSavedPlanExitsTwoNamingThePath(_ broken: BrokenPlan) throws {
        let plan = try #require(SmallPlan.run)
        #expect(plan.status == 0, "\(plan.stderr)")
        let text = try String(contentsOf: SmallPlan.saved, encoding: .utf8)
        let file = SmallPlan.folder.appendingPathComponent("broken-\(UUID().uuidString).json")
        try Data(try broken.apply(to: text).utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let first = try #require(((try plan.json()["shipments"] as? [[String: Any]])?.first?["id"]) as? String)
        let run = try ToolRun(["bill", first, "--plan", file.path, "--out", SmallPlan.folder.appendingPathComponent("never").path])
        #expect(run.status == 2, "\(broken.name): status \(run.status), stderr \(run.stderr)")
        #expect(!run.crashed)
        #expect(run.stderr.contains("\(file.path): \(broken.expected)"), "\(broken.name): \(run.stderr)")
        #expect(run.stderr.contains("is not a valid saved plan"))
        #expect(!FileManager.default.fileExists(atPath: SmallPlan.folder.appendingPathComponent("never").path), "nothing is written")
    }

    @Test func theUnbrokenPlanIsAccepted() throws {
        let plan = try #require(SmallPlan.run)
        let text = try String(contentsOf: SmallPlan.saved, encoding: .utf8)
        let file = SmallPlan.folder.appendingPathComponent("reencoded-\(UUID().uuidString).json")
        try Data(try BrokenPlan("no edit", "").apply(to: text).utf8).write(to: file)
        let first = try #require(((try plan.json()["shipments"] as? [[String: Any]])?.first?["id"]) as? String)
        let run = try ToolRun(["bill", first, "--plan", file.path, "--format", "json"])
        #expect(run.status == 0, "the table's edits, not the re-encoding, break the plan: \(run.stderr)")
    }
}
