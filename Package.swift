// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "routeplanner",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "routeplanner", targets: ["routeplanner"]),
        .library(name: "NetworkData", targets: ["NetworkData"]),
        .library(name: "RoutePlanner", targets: ["RoutePlanner"]),
        .library(name: "Studies", targets: ["Studies"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        .target(
            name: "NetworkData",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "RoutePlanner",
            dependencies: [
                "NetworkData", "CGLPK",
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "Studies",
            dependencies: [
                "NetworkData", "RoutePlanner",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "routeplanner",
            dependencies: [
                "NetworkData", "RoutePlanner", "Studies",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "NetworkDataTests", dependencies: ["NetworkData"]),
        .testTarget(name: "RoutePlannerTests", dependencies: ["RoutePlanner", "NetworkData", "CGLPK"]),
        .testTarget(name: "StudiesTests", dependencies: ["Studies", "RoutePlanner", "NetworkData"]),
        .testTarget(name: "CLITests", dependencies: ["routeplanner"]),
    ],
    swiftLanguageModes: [.v6]
)
