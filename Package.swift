// swift-tools-version: 6.1
import PackageDescription

// The route search and the simulator run hot loops (a simulated year books half a million
// shipments through the router's choice sets); unoptimised, the tests that run them would take
// most of the CI budget, so these two compile with -O in debug builds too.
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

// Generators, shrinking and replayable seeds for the property tests (tests only).
let propertyBased: Target.Dependency = .product(name: "PropertyBased", package: "swift-property-based")

// The modules and the arrows between them: docs/architecture.md.
let package = Package(
    name: "routeplanner",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "routeplanner", targets: ["RoutePlannerCLI"]),
        .library(name: "NetworkData", targets: ["NetworkData"]),
        .library(name: "MinCostFlow", targets: ["MinCostFlow"]),
        .library(name: "GLPKSolver", targets: ["GLPKSolver"]),
        .library(name: "Routing", targets: ["Routing"]),
        .library(name: "Planning", targets: ["Planning"]),
        .library(name: "Simulation", targets: ["Simulation"]),
        .library(name: "OneBill", targets: ["OneBill"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Studies", targets: ["Studies"]),
        .library(name: "Cartography", targets: ["Cartography"]),
        .library(name: "Pages", targets: ["Pages"]),
        .library(name: "Workspace", targets: ["Workspace"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // The HTTP server of `routeplanner serve`; no traits: swift-configuration is not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // The workspace tests' HTTP client (NIO's HTTP/1.1 codec over a socket; already built for the
        // server, whereas HummingbirdTesting would add AsyncHTTPClient and a second BoringSSL).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C only: the module map and header of the system libglpk.
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
        // The model and every input format; Yams stays inside.
        .target(name: "NetworkData", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The tool's version, stamped with the git commit by the VersionStamp plugin.
        .target(name: "BuildInfo", plugins: ["VersionStamp"]),
        .plugin(name: "VersionStamp", capability: .buildTool()),
        // HTML escaping and SVG charts, shared by documents, simulation charts and study reports.
        .target(name: "Markup"),
        // Flow networks, the native network simplex and DIMACS files (errors as NetworkData input issues). No GLPK.
        .target(name: "MinCostFlow", dependencies: ["NetworkData"]),
        // The only module that imports CGLPK: LP/MIP, growing LPs, out-of-kilter.
        .target(name: "GLPKSolver", dependencies: ["CGLPK", "MinCostFlow"]),
        // Mode-expanded graph, k alternatives, Pareto front, constrained shortest path.
        .target(name: "Routing", dependencies: [
            "NetworkData", .product(name: "Collections", package: "swift-collections"),
        ], swiftSettings: optimisedInDebug),
        // Volume split, batch plan and MIP on one column-generation engine.
        .target(name: "Planning", dependencies: ["NetworkData", "Routing", "MinCostFlow", "GLPKSolver"]),
        // The discrete-event simulator. Cannot import GLPK.
        .target(name: "Simulation", dependencies: [
            "NetworkData", "Routing", "Markup", .product(name: "Collections", package: "swift-collections"),
        ], swiftSettings: optimisedInDebug),
        // Through documents (DCSA eBL 3.0 + CIM/SMGS extension) and their printable HTML.
        .target(name: "OneBill", dependencies: ["NetworkData", "Routing", "Planning", "Markup"]),
        // The versioned, Codable output contracts shared by the CLI, studies and the HTTP API.
        .target(name: "Reports", dependencies: ["NetworkData", "Routing", "Planning", "Simulation", "OneBill", "Markup"]),
        // Scenarios, the study runner, the SQLite results store and comparison reports.
        .target(name: "Studies", dependencies: [
            "NetworkData", "Routing", "Planning", "Simulation", "Reports", "Markup", "BuildInfo",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // The network drawn as SVG over Natural Earth's land (network map, route maps, the web workspace).
        .target(name: "Cartography", dependencies: ["NetworkData", "Markup"]),
        // The web workspace's pages: server-rendered HTML with a little plain JavaScript over the API.
        .target(name: "Pages", dependencies: ["NetworkData", "Cartography", "Markup"]),
        // The web workspace's HTTP server and JSON API (`routeplanner serve`): thin handlers over the library modules.
        .target(name: "Workspace", dependencies: [
            "NetworkData", "Routing", "Planning", "Simulation", "OneBill", "Reports", "Studies", "Markup", "BuildInfo",
            "Cartography", "Pages",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        // The `routeplanner` executable: parses flags, prints tables.
        .executableTarget(name: "RoutePlannerCLI", dependencies: [
            "NetworkData", "Markup", "Cartography", "MinCostFlow", "GLPKSolver", "Routing", "Planning", "Simulation", "OneBill", "Reports", "Studies", "BuildInfo", "Workspace",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Networks the test targets share (a hand-priced one and the built-in one).
        .target(name: "TestFixtures", dependencies: ["NetworkData", "Routing", "Simulation", propertyBased], path: "Tests/TestFixtures"),
        .testTarget(name: "NetworkDataTests", dependencies: ["TestFixtures", "NetworkData"]),
        .testTarget(name: "SolverTests", dependencies: ["TestFixtures", "MinCostFlow", "GLPKSolver", "NetworkData", "Simulation", "CGLPK", propertyBased]),
        .testTarget(name: "RoutingTests", dependencies: ["TestFixtures", "Routing", "NetworkData"]),
        .testTarget(name: "PlanningTests", dependencies: ["TestFixtures", "Planning", "Routing", "GLPKSolver", "MinCostFlow", "NetworkData", propertyBased]),
        .testTarget(name: "SimulationTests", dependencies: ["TestFixtures", "Simulation", "Routing", "NetworkData", propertyBased], exclude: ["Golden"]),
        .testTarget(name: "OneBillTests", dependencies: ["Markup", "TestFixtures", "OneBill", "Planning", "Routing", "NetworkData"]),
        .testTarget(name: "StudiesTests", dependencies: ["TestFixtures", "Studies", "Planning", "Simulation", "NetworkData",
                                                      .product(name: "GRDB", package: "GRDB.swift"), propertyBased]),
        .testTarget(name: "CartographyTests", dependencies: ["TestFixtures", "Cartography", "Pages", "NetworkData"]),
        .testTarget(name: "CLITests", dependencies: ["RoutePlannerCLI", "TestFixtures"]),
        .testTarget(name: "WorkspaceTests", dependencies: [
            "Workspace", "TestFixtures", "Reports", "Studies", "NetworkData", "Simulation",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
