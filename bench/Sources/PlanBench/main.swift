// Batch-planning benchmark (issue 3): N seeded shipments on the built-in network, all ready on
// one day with a deadline a year later, planned by column generation (`BatchPlanner.plan`,
// departure window 1 week) in one process; then the arc-based LP of the same model is written
// as free MPS for other solvers (bench/run-plan solves it with HiGHS and glpsol).
//
// Usage: PlanBench N [--seed S] [--mps PATH] [--skip-plan] [--network MANIFEST]
// (default network: the built-in one; bench/run-plan passes a snapshot so all sizes see one network).
// Run one size per process so that peak memory (getrusage ru_maxrss) belongs to that size;
// bench/run-plan writes the MPS in one process (--skip-plan) and plans in another, so the
// peers get their file even when our planner is stopped by the script's time limit.
// The last line is `RESULT {json}` for bench/run-plan.
import Foundation
import GLPKSolver
import NetworkData
import Planning
import Routing
import Simulation
#if canImport(Glibc)
import Glibc
#endif


func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Peak resident set of this process so far, in MB (Linux reports ru_maxrss in KiB).
func peakMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

// Arguments.
var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}
let seed = option("--seed").flatMap { UInt64($0) } ?? 2026
let mpsPath = option("--mps")
let networkPath = option("--network")
let skipPlan = arguments.contains("--skip-plan")
arguments.removeAll { $0 == "--skip-plan" }
guard let count = arguments.first.flatMap({ Int($0) }), count > 0 else {
    FileHandle.standardError.write(Data("usage: PlanBench N [--seed S] [--mps PATH] [--skip-plan] [--network MANIFEST]\n".utf8))
    exit(2)
}

guard let manifest = networkPath.map({ URL(fileURLWithPath: $0) }) ?? BuiltInNetwork.manifestURL() else {
    fatalError("built-in network not found")
}
let network = try NetworkLoader.load(manifest: manifest)
let planner = BatchPlanner(network: network)
let clock = ContinuousClock()

// Seeded demand. Origins and destinations are places where freight starts or ends (cities,
// hubs, terminals, ports, airports; not borders, gauge-change stations or locks), and a pair is
// kept only if the network has a route for its cargo. Cargo mix: Chongqing's exports are
// mostly general containers, then vehicles (its car plants), reefers and some dangerous goods.
let generationStart = clock.now
let places = network.places.filter { ![.borderCrossing, .gaugeChange, .lock].contains($0.kind) }.map(\.code)
let cargoMix: [(CargoClass, Int)] = [(.general, 75), (.vehicles, 10), (.reefer, 8), (.dangerous(9), 3),
                                     (.dangerous(3), 2), (.dangerous(8), 2)]
var random = SplitMix64(seed: seed)
var hasRoute: [String: Bool] = [:]
var shipments: [Shipment] = []
let ready = CalendarDay(iso: "2027-03-01")!
while shipments.count < count {
    let origin = places[Int(random.next() % UInt64(places.count))]
    let destination = places[Int(random.next() % UInt64(places.count))]
    guard origin != destination else { continue }
    var pick = Int(random.next() % 100)
    let cargo = cargoMix.first { pick -= $0.1; return pick < 0 }!.0
    let key = "\(origin)|\(destination)|\(cargo)"
    let routable = hasRoute[key] ?? {
        let query = RouteQuery(origin: origin, destination: destination, cargo: cargo, alternatives: 1)
        if case .found = try? planner.router.routes(for: query, paretoFront: false) { return true }
        return false
    }()
    hasRoute[key] = routable
    guard routable else { continue }
    let teu = Double(1 + random.next() % 40)
    shipments.append(Shipment(id: ShipmentID("B\(shipments.count + 1)"), origin: origin, destination: destination,
                              teu: teu, tonnes: 10 * teu, cargo: cargo, ready: ready, deadline: ready.adding(days: 365)))
}
let generationSeconds = seconds(clock.now - generationStart)
let demandTEU = shipments.reduce(0) { $0 + $1.teu }

func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
print("network: \(network.places.count) places, \(network.services.count) services; graph \(planner.router.graph.nodeCount) nodes, \(planner.router.graph.arcCount) arcs")
print("demand: \(count) shipments (seed \(seed)), \(Int(demandTEU)) TEU, \(Set(shipments.map { "\($0.origin)|\($0.destination)" }).count) origin-destination pairs; generated in \(f(generationSeconds)) s")
var result: [String: Any] = ["shipments": count, "seed": seed, "demandTEU": demandTEU]
var options = PlanOptions()
options.departureWindowWeeks = 1

// Column generation.
if !skipPlan {
    let peakBeforePlanMB = peakMB()
    let planStart = clock.now
    let plan = try planner.plan(shipments, options: options)
    let planSeconds = seconds(clock.now - planStart)
    let peakAfterPlanMB = peakMB()

    var status: [ShipmentStatus: Int] = [:]
    for entry in plan.shipments { status[entry.status, default: 0] += 1 }
    let unmetTEU = plan.shipments.reduce(0) { $0 + $1.unmetTEU }
    let objective = plan.totalCostUSD + unmetTEU * options.unmetPenaltyPerTEU
    // Columns with flow: distinct (origin, destination, cargo, route) in the plan (the planner
    // does not report how many columns it generated).
    var usedColumns: Set<String> = []
    for entry in plan.shipments {
        for part in entry.routes {
            usedColumns.insert("\(entry.shipment.origin)|\(entry.shipment.destination)|\(entry.shipment.cargo)|\(part.route.arcs)")
        }
    }
    let bindingServices = plan.services.filter { usage in usage.weeks.contains { $0.usedTEU >= $0.capacityTEU - 1e-6 } }
    let positiveDuals = plan.services.filter { $0.dualUSDPerTEU > 1e-6 }
    print("plan: \(f(planSeconds)) s, \(plan.iterations) CG iterations, \(usedColumns.count) columns with flow")
    print("  shipments planned \(status[.planned] ?? 0), partial \(status[.partial] ?? 0), unmet \(status[.unmet] ?? 0); unmet \(f(unmetTEU, 1)) of \(Int(demandTEU)) TEU")
    print("  cost \(f(plan.totalCostUSD, 2)) USD; objective (cost + unmet × \(options.unmetPenaltyPerTEU)) \(f(objective, 4))")
    print("  services used \(plan.services.count), at capacity \(bindingServices.count), with a positive capacity dual \(positiveDuals.count)")
    print("  peak RSS \(f(peakBeforePlanMB, 1)) MB before planning, \(f(peakAfterPlanMB, 1)) MB after")
    result.merge([
        "planSeconds": planSeconds, "iterations": plan.iterations, "columnsWithFlow": usedColumns.count,
        "peakMB": peakAfterPlanMB, "peakBeforePlanMB": peakBeforePlanMB,
        "planned": status[.planned] ?? 0, "partial": status[.partial] ?? 0, "unmet": status[.unmet] ?? 0,
        "unmetTEU": unmetTEU, "costUSD": plan.totalCostUSD, "objective": objective,
        "servicesUsed": plan.services.count, "servicesAtCapacity": bindingServices.count,
        "servicesWithDual": positiveDuals.count,
    ]) { $1 }
}

// The arc-based LP of the same model.
if let mpsPath {
    let lpStart = clock.now
    let lp = planner.arcBasedLP(shipments, options: options)
    let lpBuildSeconds = seconds(clock.now - lpStart)
    let nonzeros = lp.constraints.reduce(0) { $0 + $1.coefficients.count }
    let writeStart = clock.now
    try lp.writeMPS(to: mpsPath)
    let mpsSeconds = seconds(clock.now - writeStart)
    print("arc-based LP: \(lp.constraints.count) rows × \(lp.variables.count) columns, \(nonzeros) nonzeros; built in \(f(lpBuildSeconds)) s, MPS written in \(f(mpsSeconds)) s to \(mpsPath)")
    result.merge(["lpRows": lp.constraints.count, "lpColumns": lp.variables.count, "lpNonzeros": nonzeros, "mps": mpsPath]) { $1 }
}

let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print("RESULT " + String(decoding: json, as: UTF8.self))
