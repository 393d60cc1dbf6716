import Foundation
import Testing

/// Writes `text` to a temporary `.min` file.
func temporaryMinFile(_ text: String, name: String = "net") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rp-mcf-\(name)-\(UUID().uuidString).min")
    try Data(text.utf8).write(to: url)
    return url
}

/// The classic 4-node example: optimum 14.
private let classic = """
    c ship 4 units from 1 to 4
    p min 4 5
    n 1 4
    n 4 -4
    a 1 2 0 4 2
    a 1 3 0 2 2
    a 2 3 0 2 1
    a 2 4 0 3 3
    a 3 4 0 5 1

    """

@Suite("routeplanner mcf end to end")
struct MCFCommandTests {
    @Test("every solver finds 14; the JSON has the contract keys", arguments: ["auto", "network-simplex", "glpk-simplex", "glpk-okalg"])
    func optimum(solver: String) throws {
        let file = try temporaryMinFile(classic)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try ToolRun(["mcf", file.path, "--solver", solver, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try run.json()
        #expect(json["status"] as? String == "optimal")
        #expect(json["objective"] as? Int == 14)
        #expect(json["solver"] as? String == (solver == "auto" ? "network-simplex" : solver))
        #expect(json["nodes"] as? Int == 4 && json["arcs"] as? Int == 5)
        #expect(json["reason"] == nil)
        let seconds = try #require(json["seconds"] as? [String: Any])
        for step in ["parse", "build", "solve"] {
            let value = try #require(seconds[step] as? Double, "seconds.\(step)")
            #expect(value >= 0 && value < 60)
        }
    }

    @Test("the table shows status, objective and timings")
    func table() throws {
        let file = try temporaryMinFile(classic)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try ToolRun(["mcf", file.path])
        #expect(run.status == 0)
        #expect(run.stdout.contains("status     optimal\nobjective  14\n"))
        #expect(run.stdout.contains("seconds    parse "))
    }

    @Test("an infeasible problem exits 3 with status, null objective and reason")
    func infeasible() throws {
        let file = try temporaryMinFile(classic.replacingOccurrences(of: "n 1 4\nn 4 -4", with: "n 1 9\nn 4 -9"))
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try ToolRun(["mcf", file.path, "--format", "json"])
        #expect(run.status == 3)
        let json = try run.json()
        #expect(json["status"] as? String == "infeasible")
        #expect(json["objective"] is NSNull)
        #expect((json["reason"] as? String)?.contains("no flow meets every supply") == true)
    }

    @Test("a malformed file exits 2 listing every problem with file:line")
    func malformed() throws {
        let file = try temporaryMinFile("p min 5 2\nn 1 1\nn 5 -1\na 1 0 0 1 1\na 1 2 0 1.5 1\nq\n", name: "bad")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try ToolRun(["mcf", file.path, "--format", "json"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("\(file.path):4: arc line: head 0 is out of range 1...5"))
        #expect(run.stderr.contains("\(file.path):5: arc line: cap '1.5' is not an integer"))
        #expect(run.stderr.contains("\(file.path):6: unknown line kind 'q'"))
        #expect(run.stderr.contains("(3 problems listed)"))
    }

    @Test("a missing file, an unknown solver, or data beyond the chosen solver exit 2")
    func otherInvalidInput() throws {
        #expect(try ToolRun(["mcf", "/nonexistent/x.min"]).status == 2)
        let file = try temporaryMinFile(classic.replacingOccurrences(of: "a 3 4 0 5 1", with: "a 3 4 0 5 3000000000"))
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try ToolRun(["mcf", file.path, "--solver", "simplex"]).status == 2)
        let okalg = try ToolRun(["mcf", file.path, "--solver", "glpk-okalg"])
        #expect(okalg.status == 2)
        #expect(okalg.stderr.contains("the glpk-okalg solver cannot take this network"))
        #expect(try ToolRun(["mcf", file.path]).status == 0)
    }
}
