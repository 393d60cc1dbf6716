// Simulator benchmark (issue 4): a 365-day run of the built-in network under a demand table,
// release build, event log off. Reports the wall time of the event loop alone (network loading,
// demand loading and path planning are timed separately), events, events per second, shipments,
// China-Europe trains and the process's peak memory, and writes the scenario (timetable, lanes,
// planned paths, options) as JSON for the SimPy peer (bench/peers/simpy_model.py).
//
// Usage: SimulationBench [--demand CSV] [--days D] [--seed S] [--runs N] [--scenario OUT.json]
//                        [--json OUT.json]
//        SimulationBench --generate-demand OUT.csv [--days D] [--seed S]
// The second form writes a demand table that reaches ≥ 5,500 China-Europe trains and ≥ 100,000
// shipments (for use while networks/demand-2027.csv does not exist yet).
import Foundation
import NetworkData
import Routing
import Simulation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// CPU time of this process so far (the engine is single-threaded): the measure that other
/// processes on a shared machine disturb least.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Peak resident set of this process in bytes (Linux reports ru_maxrss in KiB, macOS in bytes).
func peakMemoryBytes() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss)
    #endif
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(2)
}

// MARK: Arguments

var options: [String: String] = [:]
do {
    var arguments = CommandLine.arguments.dropFirst()
    while let flag = arguments.popFirst() {
        guard flag.hasPrefix("--"), let value = arguments.popFirst() else { fail("\(flag): expected --name value pairs") }
        options[String(flag.dropFirst(2))] = value
    }
}
let known: Set = ["demand", "days", "seed", "runs", "scenario", "json", "generate-demand", "log-digest"]
if let unknown = options.keys.first(where: { !known.contains($0) }) { fail("unknown option --\(unknown); expected \(known.sorted())") }
let days = Int(options["days"] ?? "365") ?? 365
let seed = UInt64(options["seed"] ?? "1") ?? 1
let runs = max(1, Int(options["runs"] ?? "3") ?? 3)

let clock = ContinuousClock()
guard let manifest = BuiltInNetwork.manifestURL() else { fail("the built-in network was not found") }
let loadStart = clock.now
let network: Network
do { network = try NetworkLoader.load(manifest: manifest) } catch { fail("\(error)") }
let loadSeconds = seconds(clock.now - loadStart)

func simulator(_ lanes: [DemandLane], days: Int, warmUpDays: Int? = nil) -> Simulator {
    var simulationOptions = SimulationOptions()
    simulationOptions.days = days
    if let warmUpDays { simulationOptions.warmUpDays = warmUpDays }
    simulationOptions.seed = seed
    simulationOptions.recordEvents = false
    return Simulator(network: network, lanes: lanes, options: simulationOptions)
}

// MARK: Fallback demand table

/// A demand table spread over the corridors, scaled until a run reaches the benchmark's size.
/// - estimate: lanes and weights are a plausible mix (China-Europe both ways from Chongqing and
///   Chengdu, the Land-Sea Corridor, the Yangtze, air), not a calibration; only the totals matter.
func generatedDemand(minimumTrains: Double, minimumShipments: Double) -> (csv: String, trains: Double, shipments: Double) {
    struct Row { var origin, destination, cargo, corridor: String; var weight, size: Double; var air = false }
    var rows: [Row] = []
    let europe: [(String, Double)] = [
        ("DEDUI", 5), ("DEHAM", 3), ("PLLOD", 3), ("PLWAW", 2), ("HUBUD", 1.5), ("CZPRG", 1), ("DENUE", 1), ("ATVIE", 1),
        ("NLTLB", 1.5), ("RUMOW", 3), ("RUOVB", 1), ("KZALA", 1.5), ("UZTAS", 1.5), ("KGFRU", 0.5), ("BYMSQ", 1),
        ("MNULN", 0.5), ("TRIST", 1),
    ]
    for origin in ["CNCQI", "CNCDU"] {
        for (destination, weight) in europe {
            rows.append(Row(origin: origin, destination: destination, cargo: "general", corridor: "chinaEurope", weight: weight, size: 3))
            rows.append(Row(origin: destination, destination: origin, cargo: "general", corridor: "chinaEurope", weight: weight * 0.7, size: 3))
        }
    }
    for (destination, weight) in [("SGSIN", 3.0), ("THBKK", 2), ("VNHAN", 2), ("LAVTE", 1), ("IDJKT", 1), ("MYPKG", 1)] {
        rows.append(Row(origin: "CNCQI", destination: destination, cargo: "general", corridor: "landSea", weight: weight, size: 2))
    }
    rows.append(Row(origin: "CNCQI", destination: "CNSGH", cargo: "general", corridor: "yangtze", weight: 6, size: 4))
    for destination in ["DEFRA", "NLAMS", "SGSIN-SIN", "USLAX-LAX", "HKHKG-HKG"] {
        rows.append(Row(origin: "CNCQI", destination: destination, cargo: "general", corridor: "air", weight: 0.3, size: 1, air: true))
    }
    func csv(scale: Double) -> String {
        var text = "origin,destination,cargo,teuPerYear,tonnesPerYear,shipmentSize,seasonality,corridor,transit,source\n"
        for row in rows {
            let volume = (row.weight * scale).rounded()
            let volumes = row.air ? ",\(volume * 10)" : "\(volume),"
            let size = row.air ? row.size * 10 : row.size
            text += "\(row.origin),\(row.destination),\(row.cargo),\(volumes),\(size),,\(row.corridor),false,"
                + "\"estimate: benchmark fallback table scaled to ≥ 5,500 China-Europe trains and ≥ 100,000 shipments\"\n"
        }
        return text
    }
    var scale = 4000.0
    for _ in 0..<12 {
        let text = csv(scale: scale)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simulation-demand-\(getpid()).csv")
        try? Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let lanes: [DemandLane]
        do { lanes = try DemandTable.load(url, network: network, displayName: "generated") } catch { fail("\(error)") }
        let result = simulator(lanes, days: days).run()
        let trains = result.kpis["chinaEuropeTrains"] ?? 0, shipments = Double(result.shipments)
        FileHandle.standardError.write(Data("scale \(scale): \(Int(trains)) China-Europe trains, \(Int(shipments)) shipments\n".utf8))
        if trains >= minimumTrains && shipments >= minimumShipments { return (text, trains, shipments) }
        scale *= min(2, max(1.1, max(minimumTrains / max(trains, 1), minimumShipments / max(shipments, 1)) * 1.03))
    }
    fail("no scale of the fallback table reached \(Int(minimumTrains)) trains and \(Int(minimumShipments)) shipments")
}

if let out = options["generate-demand"] {
    let (text, trains, shipments) = generatedDemand(minimumTrains: 5_600, minimumShipments: 102_000)
    do { try Data(text.utf8).write(to: URL(fileURLWithPath: out)) } catch { fail("cannot write \(out): \(error)") }
    print("wrote \(out): \(Int(trains)) China-Europe trains, \(Int(shipments)) shipments in \(days) days")
    exit(0)
}

// MARK: Benchmark

let demandURL = options["demand"].map { URL(fileURLWithPath: $0) }
    ?? manifest.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demand-2027.csv")
let demandStart = clock.now
let lanes: [DemandLane]
do { lanes = try DemandTable.load(demandURL, network: network, displayName: demandURL.path) } catch { fail("\(error)") }
let demandSeconds = seconds(clock.now - demandStart)

// --log-digest yes: one run with the event log on, and a digest of it (to check that a change of
// the engine leaves its results alone).
if options["log-digest"] != nil {
    var loggedOptions = simulator(lanes, days: days).options
    loggedOptions.recordEvents = true
    let events = Simulator(network: network, lanes: lanes, options: loggedOptions).run().events
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var digest: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over the JSON Lines log
    for event in events {
        for byte in (try? encoder.encode(event)) ?? Data() { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01B3 }
        digest = (digest ^ 10) &* 0x100_0000_01B3
    }
    print("event log: \(events.count) events, FNV-1a \(String(digest, radix: 16))")
    exit(0)
}

// Path planning alone: a zero-day run without warm-up plans every lane's alternatives and draws
// no arrival. (With the default 63-day warm-up a zero-day run would simulate the warm-up and the
// drain too, and subtracting it would hide that time from the year's.)
var planningTimes: [Double] = [], planningCPU: [Double] = []
for _ in 0..<runs {
    let start = clock.now, cpuStart = cpuSeconds()
    _ = simulator(lanes, days: 0, warmUpDays: 0).run()
    planningTimes.append(seconds(clock.now - start))
    planningCPU.append(cpuSeconds() - cpuStart)
}
let planningSeconds = median(planningTimes)

let year = simulator(lanes, days: days)
let warmUpStart = clock.now
let warmUp = year.run()
let warmUpSeconds = seconds(clock.now - warmUpStart)
var runTimes: [Double] = [], runCPU: [Double] = []
var result = warmUp
for _ in 0..<runs {
    let start = clock.now, cpuStart = cpuSeconds()
    result = year.run()
    runTimes.append(seconds(clock.now - start))
    runCPU.append(cpuSeconds() - cpuStart)
}
let totalSeconds = median(runTimes)
let simulateSeconds = max(totalSeconds - planningSeconds, 1e-9)
let simulateCPUSeconds = max(median(runCPU) - median(planningCPU), 1e-9)
let peakBytes = peakMemoryBytes()

let departures = result.utilisation.reduce(0) { $0 + $1.departures }
let trains = result.kpis["chinaEuropeTrains"] ?? 0
let delivered = result.kpis["shipmentsDelivered"] ?? 0
if let out = options["scenario"] {
    do { try year.exportScenario().write(to: URL(fileURLWithPath: out)) } catch { fail("cannot write \(out): \(error)") }
}

func f(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }
print("network: \(network.places.count) places, \(network.services.count) services; demand \(demandURL.lastPathComponent): \(lanes.count) lanes")
print("load + validate network: \(f(loadSeconds)) s; demand table: \(f(demandSeconds)) s")
print("path planning (median of \(runs) zero-day runs): \(f(planningSeconds)) s")
print("\(days)-day run (median of \(runs) after a \(f(warmUpSeconds)) s warm-up): \(f(totalSeconds)) s with planning, \(f(simulateSeconds)) s without; runs \(runTimes.map { f($0) }.joined(separator: ", ")) s")
print("CPU time without planning: \(f(simulateCPUSeconds)) s (median \(f(median(runCPU))) s with, \(f(median(planningCPU))) s planning)")
print("events: \(result.eventCount), \(f(Double(result.eventCount) / simulateSeconds, 0)) events/s")
print("shipments: \(result.shipments) arrived, \(Int(delivered)) delivered; departures run: \(departures); China-Europe trains: \(Int(trains))")
print("peak memory (ru_maxrss): \(f(peakBytes / 1_048_576, 1)) MiB")
if trains < 5_500 || result.shipments < 100_000 {
    print("warning: below the benchmark's size (≥ 5,500 China-Europe trains and ≥ 100,000 shipments)")
}
if warmUp.eventCount != result.eventCount || warmUp.kpis != result.kpis {
    print("warning: repeated runs differ; the simulator should be deterministic")
}

if let out = options["json"] {
    let report: [String: Any] = [
        "demand": demandURL.path, "lanes": lanes.count, "days": days, "seed": seed, "runs": runTimes,
        "loadSeconds": loadSeconds, "demandSeconds": demandSeconds, "planningSeconds": planningSeconds,
        "runSeconds": totalSeconds, "simulateSeconds": simulateSeconds, "simulateCPUSeconds": simulateCPUSeconds,
        "runCPUSeconds": runCPU, "planningCPUSeconds": median(planningCPU), "events": result.eventCount,
        "eventsPerSecond": Double(result.eventCount) / simulateSeconds, "shipments": result.shipments,
        "delivered": delivered, "departures": departures, "chinaEuropeTrains": trains,
        "deliveredTEU": result.kpis["deliveredTEU"] ?? 0, "onTimeRate": result.kpis["onTimeRate"] ?? 0,
        "peakMemoryBytes": peakBytes,
    ]
    do {
        try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted]).write(to: URL(fileURLWithPath: out))
    } catch { fail("cannot write \(out): \(error)") }
}
