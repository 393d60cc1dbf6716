// swift-tools-version: 6.1
// The benchmark suite: its own package, so benchmark code and dependencies never reach users.
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which depends on where the repository was
// cloned; read it instead of hard-coding it.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent

let package = Package(
    name: "routeplanner-bench",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        // Seeded DIMACS min-cost flow instances (issue 6); no dependency, so it builds on its own.
        .executableTarget(name: "FlowInstances"),
        .executableTarget(
            name: "RouteQueryBench",
            dependencies: [
                .product(name: "Routing", package: mainPackage),
                .product(name: "Simulation", package: mainPackage),  // SplitMix64, the documented generator
                .product(name: "NetworkData", package: mainPackage),
            ]
        ),
        // The workspace API's route latency against the in-process query, same queries, same run (issue 15).
        .executableTarget(
            name: "RouteAPIBench",
            dependencies: [
                .product(name: "Workspace", package: mainPackage),
                .product(name: "Reports", package: mainPackage),
                .product(name: "Routing", package: mainPackage),
                .product(name: "Simulation", package: mainPackage),  // SplitMix64, the documented generator
                .product(name: "NetworkData", package: mainPackage),
            ]
        ),
        .executableTarget(
            name: "PlanBench",
            dependencies: [
                .product(name: "Planning", package: mainPackage),
                .product(name: "Routing", package: mainPackage),
                .product(name: "GLPKSolver", package: mainPackage),
                .product(name: "Simulation", package: mainPackage),  // SplitMix64, the documented generator
                .product(name: "NetworkData", package: mainPackage),
            ]
        ),
        .executableTarget(
            name: "SimulationBench",
            dependencies: [
                .product(name: "Simulation", package: mainPackage),
                .product(name: "Routing", package: mainPackage),
                .product(name: "NetworkData", package: mainPackage),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
