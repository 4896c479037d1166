import Benchmark
import Foundation
import Revscoring

/// Scoring benchmarks: single-row latency and batch throughput of real revscoring models.
///
/// Uses `../shared/models` (the 700-tree enwiki models) when present, else the project's
/// fixture model. Rows are the project's fixture rows (real extracted features of hand-written
/// revisions plus seeded variations), cycled to the batch size.
let benchmarks: @Sendable () -> Void = {
    BLAS.setThreadCount(1)
    let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let shared = root.deletingLastPathComponent().appendingPathComponent("shared/models")
    let fixtures = root.appendingPathComponent("Fixtures")

    func model(_ sharedName: String, fallback: String) -> (String, Model)? {
        let url = FileManager.default.fileExists(atPath: shared.appendingPathComponent(sharedName).path)
            ? shared.appendingPathComponent(sharedName) : fixtures.appendingPathComponent("models/\(fallback)")
        guard let m = try? Model(contentsOf: url) else { return nil }
        return (url.lastPathComponent, m)
    }

    let rows: [[Double]] = {
        guard let data = try? Data(contentsOf: fixtures.appendingPathComponent("rows.jsonl")) else { return [] }
        return data.split(separator: 0x0A).compactMap { try? JSONValue.parse($0).featureValues() }
    }()
    guard !rows.isEmpty else { fatalError("Fixtures/rows.jsonl is missing") }

    func matrix(_ n: Int) -> Matrix {
        var values: [Double] = []
        values.reserveCapacity(n * 80)
        for i in 0..<n { values += rows[i % rows.count] }
        return try! Matrix(rows: n, columns: 80, values: values)
    }

    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2))

    let models = [
        model("enwiki.goodfaith.gradient_boosting.model", fallback: "enwiki.goodfaith.gradient_boosting.small.model"),
        model("enwiki.goodfaith.random_forest.model", fallback: "size_class.random_forest.model"),
        model("enwiki.goodfaith.logistic_regression.model", fallback: "size_class.logistic_regression.model"),
    ].compactMap { $0 }

    for (name, m) in models {
        Benchmark("single row: \(name)", configuration: .init(scalingFactor: .kilo)) { benchmark in
            for i in benchmark.scaledIterations {
                blackHole(try m.score(rows[i % rows.count]))
            }
        }
        for n in [32, 1_000, 100_000] {
            let batch = matrix(n)
            Benchmark("batch \(n): \(name)", configuration: .init(scalingFactor: .one, maxDuration: .seconds(3))) { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try m.predict(batch: batch))
                }
            }
        }
    }

    let gbURL = FileManager.default.fileExists(atPath: shared.appendingPathComponent("enwiki.goodfaith.gradient_boosting.model").path)
        ? shared.appendingPathComponent("enwiki.goodfaith.gradient_boosting.model")
        : fixtures.appendingPathComponent("models/enwiki.goodfaith.gradient_boosting.small.model")
    Benchmark("load model file: \(gbURL.lastPathComponent)", configuration: .init(maxDuration: .seconds(3))) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Model(contentsOf: gbURL))
        }
    }

    // Issue #8: opening a 2015–2018 editquality model and scoring one row, end to end.
    let legacy = shared.appendingPathComponent("legacy")
    let legacyFiles = ((try? FileManager.default.contentsOfDirectory(atPath: legacy.path)) ?? [])
        .filter { $0.hasSuffix(".model") }.sorted()
    for file in legacyFiles {
        let url = legacy.appendingPathComponent(file)
        Benchmark("legacy load + score one row: \(file)", configuration: .init(maxDuration: .seconds(2))) { benchmark in
            for _ in benchmark.scaledIterations {
                let m = try Model(contentsOf: url)
                blackHole(try m.score([Double](repeating: 0, count: m.featureNames.count)))
            }
        }
    }
}
