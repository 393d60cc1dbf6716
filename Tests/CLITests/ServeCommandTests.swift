import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// What a process has written so far, collected from its pipe.
private final class Output: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

@Suite("serve end to end")
struct ServeCommandTests {
    /// The built tool serves on a free loopback port, answers with the contract, and stops
    /// cleanly on SIGTERM (exit 0).
    @Test func servesAndStopsOnSIGTERM() async throws {
        let folder = try temporaryFolder("rp-serve")
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = ToolRun.executable
        process.arguments = ["serve", "--port", "0", "--db", folder.appendingPathComponent("results.sqlite").path]
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        let output = Output()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // Read on a thread of its own until the pipe closes (not on Dispatch's shared queues, which
        // the parallel suite keeps busy).
        let reader = pipe.fileHandleForReading
        Thread.detachNewThread {
            // `availableData` returns what one read(2) gives (empty at the end); `read(upToCount:)`
            // would wait for the whole count.
            while case let chunk = reader.availableData, !chunk.isEmpty { output.append(chunk) }
        }

        // Poll for the line that names the port (no fixed sleep). The output is looked at once more
        // after the deadline: in the parallel suite the test's own task can wait minutes for a
        // thread of the cooperative pool (as wide as the machine's 2 cores, held by synchronous
        // tests), and came back after the deadline with the line there. Alone, the debug server
        // prints it about 1 s after it starts.
        let launched = Date()
        let deadline = launched.addingTimeInterval(300)
        var port: String?
        while true {
            port = output.text.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/).map { String($0.1) }
            guard port == nil, Date() < deadline, process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let found = try #require(port, "serve did not say where it listens within \(Int(Date().timeIntervalSince(launched))) s: \(output.text)")

        let url = try #require(URL(string: "http://127.0.0.1:\(found)/api/route?from=CNCQI&to=DEDUI"))
        let (data, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let answer = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(answer["status"] as? String == "ok")
        #expect((answer["query"] as? [String: Any])?["from"] as? String == "CNCQI")

        process.terminate()
        let stopped = Date().addingTimeInterval(30)
        while process.isRunning, Date() < stopped { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "serve did not stop within 30 s of SIGTERM")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }
}
