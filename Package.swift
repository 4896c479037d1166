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
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Numeric kernels built for AVX2 and chosen at run time (Swift cannot target one function
        // at a CPU feature): the perfect-tree batch kernel and the scaler.
        .target(name: "CKernels"),
        .target(
            name: "GradientBoosting",
            dependencies: ["CBLAS", "CKernels"]
        ),
        .systemLibrary(
            name: "CHunspell",
            pkgConfig: "hunspell",
            providers: [.apt(["libhunspell-dev"])]
        ),
        .target(name: "Features", dependencies: ["CHunspell"]),
        .target(
            name: "Revscoring",
            dependencies: [
                "Features", "GradientBoosting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // A MediaWiki Action API that answers from revision documents: for tests and benchmarks.
        .target(
            name: "FakeMediaWikiAPI",
            dependencies: [
                "Revscoring", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The model server: KServe V1/V2 routes with Lift Wing shapes, inference batcher.
        .target(
            name: "RevscoringServer",
            dependencies: [
                "Revscoring", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "score-cli",
            dependencies: [
                "Revscoring", "RevscoringServer", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "fake-mwapi",
            dependencies: [
                "FakeMediaWikiAPI", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "GradientBoostingTests", dependencies: ["GradientBoosting"]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "Revscoring"]),
        .testTarget(
            name: "RevscoringTests",
            dependencies: [
                "Revscoring", "FakeMediaWikiAPI",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Runs the built score-cli binary, as users do.
        .testTarget(
            name: "ScoreCLITests",
            dependencies: [
                "score-cli", "Revscoring", "FakeMediaWikiAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "RevscoringServerTests",
            dependencies: [
                "RevscoringServer", "FakeMediaWikiAPI",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
