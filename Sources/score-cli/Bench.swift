import ArgumentParser
import Foundation
import Revscoring

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a model's single-row latency and batch throughput on this machine.",
        discussion: """
            Single row: model.score(row) called repeatedly, one row at a time (mean, p50, p99 of each \
            call). Batch: the scaled estimator's predict over a matrix of N rows, for each \
            --batch-sizes N (rows per second of the fastest of at least 5 calls). One thread \
            (OpenBLAS too). Rows come from --rows (JSON lines {"features": [...]}, e.g. extracted \
            features) or are drawn, with a fixed seed, around the model's scaler (center ± scale), \
            or from a standard normal when it has none. For comparisons with other engines, see \
            bench/ and BENCHMARKS.md.
            """)

    @Argument(help: "A revscoring model file.")
    var modelFile: String

    @Option(help: "JSON lines {\"features\": [...]} to score (default: synthetic rows).")
    var rows: String?

    @Option(help: "Batch sizes, comma-separated.")
    var batchSizes = "1,32,1000,100000"

    @Option(help: "Seconds to spend on each measurement.")
    var seconds: Double = 1

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(help: "Measure the single row only, no batches (bench/peers_trees.py runs this in rounds between the peers' own single-row measurements).")
    var singleRowOnly = false

    func validate() throws {
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be a positive number") }
        guard let sizes = parsedBatchSizes, !sizes.isEmpty else {
            throw ValidationError("--batch-sizes must be positive integers, comma-separated")
        }
        _ = sizes
    }

    var parsedBatchSizes: [Int]? {
        let parts = batchSizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return parts.compactMap { $0 }
    }

    func run() throws {
        let model = try loadModel(modelFile)
        let columns = model.estimator.featureCount
        let sample = try sampleRows(model: model, columns: columns)
        let budget = Duration.milliseconds(Int64(seconds * 1000))
        let clock = ContinuousClock()

        // Single row: every call timed on its own, rows cycling.
        var latencies: [Duration] = []
        var checksum = 0.0
        let started = clock.now
        var i = 0
        while clock.now - started < budget || latencies.count < 100 {
            let t0 = clock.now
            let score = try model.score(sample[i % sample.count])
            latencies.append(clock.now - t0)
            checksum += score.probability.first?.value ?? 0
            i += 1
        }
        latencies.sort()
        func micros(_ d: Duration) -> Double { Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12 }
        let mean = latencies.map(micros).reduce(0, +) / Double(latencies.count)
        let p50 = micros(latencies[latencies.count / 2])
        let p99 = micros(latencies[min(latencies.count - 1, latencies.count * 99 / 100)])

        // Batches: the whole predict over N rows, repeated within the budget (at least 5 times);
        // rows per second from the fastest call, the statistic bench/peers_*.py use for the
        // peers' batches: on shared cores a neighbour's burst only ever adds time.
        var throughput: [(size: Int, rowsPerSecond: Double)] = []
        for size in singleRowOnly ? [] : parsedBatchSizes ?? [] {
            var values: [Double] = []
            values.reserveCapacity(size * columns)
            for r in 0..<size { values.append(contentsOf: sample[r % sample.count]) }
            let matrix = try Matrix(rows: size, columns: columns, values: values)
            var calls: [Duration] = []
            let t0 = clock.now
            repeat {
                let t = clock.now
                let p = try model.predict(batch: matrix)
                calls.append(clock.now - t)
                checksum += p.probabilities.first ?? 0
            } while clock.now - t0 < budget || calls.count < 5
            let fastest = calls.min() ?? .zero  // at least 5 calls
            throughput.append((size, Double(size) / micros(fastest) * 1e6))
        }

        let source = rows ?? (model.scaler != nil ? "synthetic (scaler center ± scale, seed 1)" : "synthetic (standard normal, seed 1)")
        if json {
            print(JSONValue.object([
                .init("model", .string(modelFile)), .init("estimator", .string(model.info.estimatorClass)),
                .init("features", .int(columns)), .init("rows", .string(source)),
                .init("single_row_us", .object([
                    .init("mean", .double(mean)), .init("p50", .double(p50)), .init("p99", .double(p99)),
                    .init("calls", .int(latencies.count)),
                ])),
                .init("batch_rows_per_second", .object(throughput.map { .init(String($0.size), .double($0.rowsPerSecond)) })),
                .init("checksum", .double(checksum)),
            ]).serialized(pythonSpacing: true))
            return
        }
        print("model: \(modelFile) (\(model.info.estimatorClass), \(columns) features)")
        print("rows: \(source); 1 thread")
        print(String(format: "single row: mean %.2f µs, p50 %.2f µs, p99 %.2f µs (%d calls)", mean, p50, p99, latencies.count))
        for t in throughput {
            print(String(format: "batch %7d: %12.0f rows/s", t.size, t.rowsPerSecond))
        }
    }

    /// Rows from `--rows`, or drawn around the scaler with a fixed seed.
    func sampleRows(model: Model, columns: Int) throws -> [[Double]] {
        if let rows {
            guard let handle = FileHandle(forReadingAtPath: rows) else {
                printError("score-cli: cannot open \(rows)")
                throw ExitCode(2)
            }
            var out: [[Double]] = []
            var number = 0
            for line in LineReader(handle: handle) where !line.allSatisfy({ $0 == 0x20 }) {
                number += 1
                do {
                    let values = try JSONValue.parse(line).featureValues()
                    guard values.count == columns else {
                        printError("score-cli: \(rows):\(number): expected \(columns) feature values, got \(values.count)")
                        throw ExitCode(2)
                    }
                    out.append(values)
                } catch let exit as ExitCode {
                    throw exit
                } catch {
                    printError("score-cli: \(rows):\(number): \(error)")
                    throw ExitCode(2)
                }
            }
            guard !out.isEmpty else {
                printError("score-cli: \(rows) has no rows")
                throw ExitCode(2)
            }
            return out
        }
        var random = SplitMix64(seed: 1)
        let center = model.scaler?.center ?? [Double](repeating: 0, count: columns)
        let scale = model.scaler?.scale ?? [Double](repeating: 1, count: columns)
        return (0..<1024).map { _ in (0..<columns).map { j in center[j] + scale[j] * random.nextGaussian() } }
    }
}
