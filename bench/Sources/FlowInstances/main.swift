// Seeded DIMACS minimum-cost flow instances for the min-cost flow benchmark (issue 6).
//
// Usage: FlowInstances FAMILY NODES [--seed S] [--output FILE.min]
//   FAMILY: netgen | grid | corridor (see Netgen.swift, Grid.swift, Corridor.swift)
//   NODES:  the target node count (grid: cells of a square grid, + super source and sink;
//           corridor: hubs are added until the (hub, mode, week) nodes reach it)
// Writes the file (default: FAMILY-NODES.min) and prints one JSON line: family, nodes, arcs,
// total supply, seconds to generate and to write. Same arguments, same bytes, on any machine.
import Foundation

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: FlowInstances netgen|grid|corridor NODES [--seed S] [--output FILE.min]\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name) else { return nil }
    guard i + 1 < arguments.count else { usage() }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}
let seedText = option("--seed")
guard let seed = seedText.map({ UInt64($0) }) ?? 2026 else { usage() }
let output = option("--output")
guard arguments.count == 2, let nodes = Int(arguments[1]), nodes >= 16 else { usage() }
let family = arguments[0]

let clock = ContinuousClock()
let start = clock.now
let instance: FlowInstance
switch family {
case "netgen": instance = Netgen.generate(NetgenParameters(nodes: nodes), seed: seed)
case "grid": instance = Grid.generate(GridParameters(nodes: nodes), seed: seed)
case "corridor": instance = Corridor.generate(CorridorParameters(nodes: nodes), seed: seed)
default: usage()
}
instance.checkInvariants()
let generated = clock.now
let path = output ?? "\(family)-\(nodes).min"
do {
    var writer = try DimacsWriter(path: path)
    try writer.write(instance)
} catch {
    FileHandle.standardError.write(Data("FlowInstances: cannot write \(path): \(error)\n".utf8))
    exit(1)
}
let written = clock.now

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
print(#"{"family": "\#(family)", "path": "\#(path)", "seed": \#(seed), "nodes": \#(instance.nodeCount), "#
    + #""arcs": \#(instance.arcCount), "totalSupply": \#(instance.totalSupply), "#
    + #""generateSeconds": \#(seconds(generated - start)), "writeSeconds": \#(seconds(written - generated))}"#)
