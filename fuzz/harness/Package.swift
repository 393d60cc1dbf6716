// swift-tools-version: 6.1
// Coverage-guided fuzzing of every reader (issue #14 part 2): its own package, so the sanitizer
// build never touches the normal one. Built and run by `fuzz/run` (fuzz/README.md).
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which depends on where the repository was
// cloned; read it instead of hard-coding it.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "routeplanner-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "../..")],
    targets: [
        // One libFuzzer binary; FUZZ_TARGET selects the reader. libFuzzer supplies `main`, so the
        // Swift code is parsed as a library (no top-level code, no @main).
        .executableTarget(
            name: "FuzzTargets",
            dependencies: [
                .product(name: "NetworkData", package: mainPackage),
                .product(name: "MinCostFlow", package: mainPackage),
                .product(name: "Reports", package: mainPackage),
                .product(name: "Studies", package: mainPackage),
                .product(name: "OneBill", package: mainPackage),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
