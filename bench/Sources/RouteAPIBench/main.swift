// Workspace API benchmark (issue 15): the median latency of `GET /api/route` over loopback HTTP
// against the same query answered in process, on the same seeded pairs in the same run.
//
// In process: what `routeplanner route --format json` does after loading the network — the
// request checked, places resolved, K = 5 alternatives + Pareto front, the contract encoded
// (RouteRequest.solve + ContractJSON). Over HTTP: the same request as query parameters to a
// server started in this process on 127.0.0.1 (a free port), one keep-alive connection, the
// whole response read. The difference is what the server adds (HTTP parsing, routing,
// middleware, the socket round trip). Pairs: SplitMix64, seed 2026, as RouteQueryBench.
import Foundation
import NetworkData
import Reports
import Routing
import Simulation
import Workspace

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func ms(_ s: Double) -> String { String(format: "%.3f ms", s * 1000) }

/// A minimal HTTP/1.1 client on one keep-alive loopback connection (no proxy, no TLS), so the
/// measurement holds the server's work and the socket round trip, not a client library's.
final class LoopbackClient {
    let socketFD: Int32
    var buffer: [UInt8] = []

    init(port: Int) {
        socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(connected == 0, "cannot connect to 127.0.0.1:\(port)")
        var one: Int32 = 1
        setsockopt(socketFD, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// GETs `path`; returns the status and the body.
    func get(_ path: String) -> (status: Int, body: [UInt8]) {
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".utf8)
        request.withUnsafeBytes { _ = send(socketFD, $0.baseAddress, $0.count, 0) }
        var headerEnd: Int?
        while headerEnd == nil {
            fill()
            headerEnd = find([13, 10, 13, 10])
        }
        let head = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        let length = lines.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
        }.first
        guard let length else { fatalError("no Content-Length in the response to \(path)") }
        let start = headerEnd! + 4
        while buffer.count < start + length { fill() }
        let body = Array(buffer[start..<(start + length)])
        buffer.removeFirst(start + length)
        return (status, body)
    }

    private func fill() {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
        precondition(count > 0, "the server closed the connection")
        buffer.append(contentsOf: chunk[..<count])
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for i in 0...(buffer.count - pattern.count) where buffer[i] == pattern[0] && Array(buffer[i..<(i + pattern.count)]) == pattern {
            return i
        }
        return nil
    }
}

let arguments = CommandLine.arguments
let queryCount = arguments.count > 1 ? Int(arguments[1]) ?? 300 : 300
let seed = arguments.count > 2 ? UInt64(arguments[2]) ?? 2026 : 2026

guard let manifest = BuiltInNetwork.manifestURL() else { fatalError("built-in network not found") }
let network = try NetworkLoader.load(manifest: manifest)
var random = SplitMix64(seed: seed)
let codes = network.places.map(\.code)
var pairs: [(PlaceCode, PlaceCode)] = []
while pairs.count < queryCount {
    let a = codes[Int(random.next() % UInt64(codes.count))]
    let b = codes[Int(random.next() % UInt64(codes.count))]
    if a != b { pairs.append((a, b)) }
}

// In process, as the command line answers after loading.
let clock = ContinuousClock()
let router = Router(network: network)
let places = PlaceDirectory(network: network)
@MainActor func inProcess() throws -> [Double] {
    var latencies: [Double] = []
    for (origin, destination) in pairs {
        let start = clock.now
        let result = try RouteRequest(from: origin.rawValue, to: destination.rawValue).solve(router: router, places: places, optionPrefix: "")
        _ = try ContractJSON.data(result.answer, compact: true)
        latencies.append(seconds(clock.now - start))
    }
    return latencies.sorted()
}

// Over HTTP, to a server in this process.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rp-api-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
var settings = WorkspaceSettings()
settings.port = 0
settings.databasePath = folder.appendingPathComponent("results.sqlite").path
let server = try WorkspaceServer(settings: settings, network: network)
final class PortBox: @unchecked Sendable {
    let lock = NSLock()
    var port: Int?
}
let box = PortBox()
let app = server.application { port in box.lock.withLock { box.port = port } }
// Detached: the main thread below blocks on its socket while the server runs on its own threads.
Task.detached { try await app.runService() }
let deadline = Date().addingTimeInterval(30)
while box.lock.withLock({ box.port }) == nil {
    precondition(Date() < deadline, "the server did not start within 30 s")
    Thread.sleep(forTimeInterval: 0.01)
}
let client = LoopbackClient(port: box.port!)
@MainActor func overHTTP() -> [Double] {
    var latencies: [Double] = []
    for (origin, destination) in pairs {
        let start = clock.now
        let (status, body) = client.get("/api/route?from=\(origin.rawValue)&to=\(destination.rawValue)")
        latencies.append(seconds(clock.now - start))
        precondition(status == 200 && !body.isEmpty, "status \(status) for \(origin)→\(destination)")
    }
    return latencies.sorted()
}

// Warm-up of both paths, then alternating passes so both see the same machine state.
_ = try inProcess()
_ = overHTTP()
var local: [Double] = []
var http: [Double] = []
for _ in 0..<3 {
    local += try inProcess()
    http += overHTTP()
}
local.sort()
http.sort()
let difference = percentile(http, 0.5) - percentile(local, 0.5)
print("\(queryCount) queries (seed \(seed)) × 3 passes, K = 5 + Pareto front, JSON contract")
print("| path | median | p90 | p99 |")
print("|---|---|---|---|")
print("| in process (RouteRequest.solve + ContractJSON) | \(ms(percentile(local, 0.5))) | \(ms(percentile(local, 0.9))) | \(ms(percentile(local, 0.99))) |")
print("| GET /api/route over loopback HTTP | \(ms(percentile(http, 0.5))) | \(ms(percentile(http, 0.9))) | \(ms(percentile(http, 0.99))) |")
print("median difference: \(ms(difference)) (goal: within 2 ms)")
exit(0)
