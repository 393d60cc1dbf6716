// Route-query benchmark: 1,000 seeded random origin–destination queries on the built-in
// network, K = 5, as `routeplanner route` runs them (alternatives plus Pareto front).
// Baseline measured in the same run: one plain shortest-path search per query (K = 1, no
// Pareto front), so the ratio shows what the alternatives and the front cost.
import Foundation
import NetworkData
import Routing
import Simulation


func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

let arguments = CommandLine.arguments
let queryCount = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
let seed = arguments.count > 2 ? UInt64(arguments[2]) ?? 2026 : 2026

guard let manifest = BuiltInNetwork.manifestURL() else { fatalError("built-in network not found") }
let clock = ContinuousClock()
var loadTimes: [Double] = []
var network: Network!
for _ in 0..<5 {
    let start = clock.now
    network = try NetworkLoader.load(manifest: manifest)
    loadTimes.append(seconds(clock.now - start))
}
let buildStart = clock.now
let router = Router(network: network)
let buildSeconds = seconds(clock.now - buildStart)

var random = SplitMix64(seed: seed)
let codes = network.places.map(\.code)
var pairs: [(PlaceCode, PlaceCode)] = []
while pairs.count < queryCount {
    let a = codes[Int(random.next() % UInt64(codes.count))]
    let b = codes[Int(random.next() % UInt64(codes.count))]
    if a != b { pairs.append((a, b)) }
}

@MainActor func measure(alternatives: Int, paretoFront: Bool) throws -> (latencies: [Double], found: Int) {
    var latencies: [Double] = []
    var found = 0
    for (origin, destination) in pairs {
        let query = RouteQuery(origin: origin, destination: destination, alternatives: alternatives)
        let start = clock.now
        let outcome = try router.routes(for: query, paretoFront: paretoFront)
        latencies.append(seconds(clock.now - start))
        if case .found = outcome { found += 1 }
    }
    return (latencies.sorted(), found)
}

// Warm-up pass so both measurements see warm caches.
_ = try measure(alternatives: 1, paretoFront: false)
let baseline = try measure(alternatives: 1, paretoFront: false)
let full = try measure(alternatives: 5, paretoFront: true)
let kOnly = try measure(alternatives: 5, paretoFront: false)

func ms(_ s: Double) -> String { String(format: "%.3f ms", s * 1000) }
print("network: \(network.places.count) places, \(network.services.count) services; graph \(router.graph.nodeCount) nodes, \(router.graph.arcCount) arcs")
print("load + validate (median of 5): \(ms(loadTimes.sorted()[2])); graph build: \(ms(buildSeconds))")
print("\(queryCount) queries (seed \(seed)), \(full.found) with a route")
print("| query | median | p99 | max | ratio to baseline (median) |")
print("|---|---|---|---|---|")
for (name, result) in [("baseline: K=1, no front", baseline), ("K=5, no front", kOnly), ("K=5 + Pareto front (CLI default)", full)] {
    let median = percentile(result.latencies, 0.5)
    print("| \(name) | \(ms(median)) | \(ms(percentile(result.latencies, 0.99))) | \(ms(result.latencies.last!)) | \(String(format: "%.1f×", median / percentile(baseline.latencies, 0.5))) |")
}
