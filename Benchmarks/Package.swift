// swift-tools-version:6.1
// Benchmarks live in their own package so that `swift test` of the main package does not build
// the benchmark framework. Run: `cd Benchmarks && swift package benchmark` (see ../BENCHMARKS.md).
import PackageDescription

let package = Package(
    name: "revscoring-swift-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "revscoring-swift", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Scoring",
            dependencies: [
                .product(name: "Revscoring", package: "revscoring-swift"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Scoring",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
