// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "revscoring-swift",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Revscoring", targets: ["Revscoring"]),
        .library(name: "GradientBoosting", targets: ["GradientBoosting"]),
        .library(name: "RevscoringServer", targets: ["RevscoringServer"]),
        .executable(name: "score-cli", targets: ["score-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "GradientBoosting",
            dependencies: ["CBLAS"]
        ),
        .systemLibrary(
            name: "CHunspell",
            pkgConfig: "hunspell",
            providers: [.apt(["libhunspell-dev"])]
        ),
        .target(name: "CStackBounds"),
        .target(name: "Features", dependencies: ["CHunspell", "CStackBounds"]),
        .target(
            name: "Revscoring",
            dependencies: ["Features", "GradientBoosting"]
        ),
        // The model server: routes, inference batcher, metrics (HTTP adapter to come).
        .target(name: "RevscoringServer", dependencies: ["Revscoring"]),
        .executableTarget(
            name: "score-cli",
            dependencies: [
                "Revscoring",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GradientBoostingTests", dependencies: ["GradientBoosting"]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "Revscoring"]),
        .testTarget(name: "RevscoringTests", dependencies: ["Revscoring"]),
        // Runs the built score-cli binary, as users do.
        .testTarget(name: "ScoreCLITests", dependencies: ["score-cli", "Revscoring"]),
        .testTarget(name: "RevscoringServerTests", dependencies: ["RevscoringServer"]),
    ],
    swiftLanguageModes: [.v6]
)
