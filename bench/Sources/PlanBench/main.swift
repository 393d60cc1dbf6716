// Batch-planning benchmark (issues 3 and 13): N seeded shipments on the built-in network, planned
// by column generation (`BatchPlanner.plan`) in one process; then the arc-based LP of the same
// model is written as free MPS for other solvers (bench/run-plan solves it with HiGHS and glpsol).
//
// Two instances (--instance):
// - `capacity` (default): random place pairs and cargo, all ready on one day with a deadline a year
//   later, departure window 1 week; capacities bind, deadlines do not. Its LP is `arcBasedLP`.
// - `deadlines`: shipments drawn from a demand table (default networks/demand-2027.csv) by their
//   lanes' yearly shipment counts, ready over the 52 weeks from 2027-01-04 by the lanes' monthly
//   profiles, each with a deadline drawn from its corridor's window (the windows of
//   examples/shipments-2027.md), departure window 2 weeks. N shipments are a share f of the
//   table's yearly shipments, so every service's capacity per departure is scaled by f (as
//   simulators of a sample scale capacity); weekly capacities and deadlines both bind. Its LP is
//   `timeExpandedLP` (time-expanded by elapsed hours, so deadlines are exact).
// - `generated`: a generated network of 5,000 places and 25,000 services (nearest-neighbour rail
//   and road links) with random pairs as in `capacity`: how memory and time grow with the network.
//
// Usage: PlanBench N [--seed S] [--instance capacity|deadlines|generated] [--demand CSV] [--mps PATH]
//                    [--unmet-penalty USD] [--integer-seconds S (whole departures, S s of branch-and-cut)]
//                    [--skip-plan] [--network MANIFEST]
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
let instance = option("--instance") ?? "capacity"
let demandPath = option("--demand")
let unmetPenalty = option("--unmet-penalty").flatMap { Double($0) }
let integerSeconds = option("--integer-seconds").flatMap { Double($0) }
let skipPlan = arguments.contains("--skip-plan")
arguments.removeAll { $0 == "--skip-plan" }
guard let count = arguments.first.flatMap({ Int($0) }), count > 0, ["capacity", "deadlines", "generated"].contains(instance) else {
    FileHandle.standardError.write(Data("usage: PlanBench N [--seed S] [--instance capacity|deadlines|generated] [--demand CSV] [--mps PATH] [--skip-plan] [--network MANIFEST]\n".utf8))
    exit(2)
}

guard let manifest = networkPath.map({ URL(fileURLWithPath: $0) }) ?? BuiltInNetwork.manifestURL() else {
    fatalError("built-in network not found")
}
var network = try NetworkLoader.load(manifest: manifest)
let clock = ContinuousClock()

// Seeded demand.
let generationStart = clock.now
var random = SplitMix64(seed: seed)
var shipments: [Shipment] = []
var capacityShare: Double?
var options = PlanOptions()
if instance == "capacity" {
    options.departureWindowWeeks = 1
    shipments = capacityInstance(count: count, network: network, random: &random)
} else if instance == "generated" {
    options.departureWindowWeeks = 1
    network = try NetworkLoader.load(yaml: generatedNetworkYAML(placeCount: 5_000, serviceCount: 25_000, random: &random),
                                     file: "generated.yaml")
    shipments = generatedShipments(count: count, network: network, random: &random)
} else {
    options.departureWindowWeeks = 2
    let demandURL = demandPath.map { URL(fileURLWithPath: $0) }
        ?? manifest.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demand-2027.csv")
    let lanes = try DemandTable.load(demandURL, network: network)
    let drawn = deadlineInstance(count: count, lanes: lanes, random: &random)
    shipments = drawn.shipments
    capacityShare = drawn.share
    network.replaceServices(network.services.map { service in
        var scaled = service
        scaled.capacityTEUPerDeparture = service.capacityTEUPerDeparture.map { $0 * drawn.share }
        scaled.capacityTonnesPerDeparture = service.capacityTonnesPerDeparture.map { $0 * drawn.share }
        scaled.reeferPlugsPerDeparture = service.reeferPlugsPerDeparture.map { $0 * drawn.share }
        scaled.minimumLoadTEU = service.minimumLoadTEU.map { $0 * drawn.share }
        return scaled
    })
}
if let unmetPenalty { options.unmetPenaltyPerTEU = unmetPenalty }
if let integerSeconds {
    options.integer = true
    options.mipSeconds = integerSeconds
}
let planner = BatchPlanner(network: network)
let generationSeconds = seconds(clock.now - generationStart)
let demandTEU = shipments.reduce(0) { $0 + $1.teu }

func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
print("network: \(network.places.count) places, \(network.services.count) services; graph \(planner.router.graph.nodeCount) nodes, \(planner.router.graph.arcCount) arcs")
print("demand: \(count) shipments (seed \(seed), instance \(instance)), \(Int(demandTEU)) TEU, \(Set(shipments.map { "\($0.origin)|\($0.destination)" }).count) origin-destination pairs, ready \(shipments.map(\.ready).min()!)…\(shipments.map(\.ready).max()!), departure window \(options.departureWindowWeeks!) weeks; generated in \(f(generationSeconds)) s")
if let capacityShare { print("capacity: every service's capacity per departure × \(f(capacityShare, 5)) (the sample's share of the table's yearly shipments)") }
var result: [String: Any] = ["shipments": count, "seed": seed, "demandTEU": demandTEU, "instance": instance]
if let capacityShare { result["capacityShare"] = capacityShare }

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
    if let search = plan.integerSearch {
        print("  whole departures: plan \(f(search.planObjective, 2)), bound \(f(search.bound, 2)), gap \(f(100 * search.gap, 2)) %; first plan after \(f(search.secondsToFirstPlan, 1)) s (\(search.foundBy)), search \(f(search.seconds, 1)) s")
        result.merge(["integerGap": search.gap, "integerBound": search.bound, "integerPlan": search.planObjective,
                      "integerFirstPlanSeconds": search.secondsToFirstPlan, "integerSeconds": search.seconds]) { $1 }
    }
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
    var states: Int?
    var program: LinearProgram?
    if instance != "deadlines" { program = planner.arcBasedLP(shipments, options: options) } else {
        let limit = 5_000_000
        if let expanded = planner.timeExpandedLP(shipments, options: options, maximumStates: limit) {
            (program, states) = expanded
        } else {
            print("arc-based LP (time-expanded): not built, more than \(limit) states after \(f(seconds(clock.now - lpStart))) s")
            result["lpStateLimitPassed"] = limit
        }
    }
    if let lp = program {
        let lpBuildSeconds = seconds(clock.now - lpStart)
        let nonzeros = lp.constraints.reduce(0) { $0 + $1.coefficients.count }
        let writeStart = clock.now
        try lp.writeMPS(to: mpsPath)
        let mpsSeconds = seconds(clock.now - writeStart)
        let kind = states.map { "time-expanded, \($0) states" } ?? "arc-based"
        print("arc-based LP (\(kind)): \(lp.constraints.count) rows × \(lp.variables.count) columns, \(nonzeros) nonzeros; built in \(f(lpBuildSeconds)) s, MPS written in \(f(mpsSeconds)) s to \(mpsPath)")
        result.merge(["lpRows": lp.constraints.count, "lpColumns": lp.variables.count, "lpNonzeros": nonzeros, "mps": mpsPath,
                      "lpStates": states ?? 0]) { $1 }
    }
}

let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print("RESULT " + String(decoding: json, as: UTF8.self))
