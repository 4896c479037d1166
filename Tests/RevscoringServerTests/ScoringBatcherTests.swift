import Foundation
import Testing
import Revscoring
@testable import RevscoringServer

@Suite("Scoring batcher")
struct ScoringBatcherTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/models/enwiki.goodfaith.gradient_boosting.small.model")

    @Test("concurrent requests are scored in batches with the scores of single-row scoring; bad rows stay local")
    func concurrentRequests() async throws {
        let model = try Model(contentsOf: Self.model)
        let batcher = ScoringBatcher(model: model, maxBatchSize: 8, maxLatency: .milliseconds(20))
        let rows: [[Double]] = (0..<40).map { (i: Int) -> [Double] in
            (0..<80).map { (j: Int) -> Double in Double((j * 7 + i * 13) % 11) / 3 }
        }
        var badRow = rows[5]
        badRow[3] = .nan
        let bad = badRow
        let results = try await withThrowingTaskGroup(of: (Int, [Result<Score, EstimatorError>]).self) { group in
            for (i, row) in rows.enumerated() {
                group.addTask { (i, try await batcher.score(i == 5 ? [bad] : i == 6 ? [[1, 2]] : [row])) }
            }
            var out: [Int: [Result<Score, EstimatorError>]] = [:]
            for try await (i, r) in group { out[i] = r }
            return out
        }
        for (i, row) in rows.enumerated() {
            let result = try #require(results[i]?.first)
            switch i {
            case 5: #expect(throws: EstimatorError.nonFiniteValue(row: 0, column: 3)) { try result.get() }
            case 6: #expect(throws: EstimatorError.featureCountMismatch(expected: 80, got: 2)) { try result.get() }
            default: #expect(try result.get() == model.score(row))
            }
        }
        let inner = try #require(batcher.batcher)
        let history = await inner.history
        #expect(history.reduce(0) { $0 + $1.instances } == 39)
        #expect(history.allSatisfy { $0.instances <= 8 })
    }

    @Test("with maxBatchSize 1 a request's rows are scored at once, as one batch, with the same results")
    func unbatched() async throws {
        let model = try Model(contentsOf: Self.model)
        let batches = BatchLog()
        let batcher = ScoringBatcher(model: model, maxBatchSize: 1) { rows, _ in batches.append(rows) }
        #expect(batcher.batcher == nil)
        let good: [Double] = (0..<80).map { Double(($0 * 5) % 9) / 2 }
        var bad = good
        bad[7] = .nan
        let results = try await batcher.score([good, [1, 2, 3], bad, good])
        #expect(results.count == 4)
        #expect(try results[0].get() == model.score(good))
        #expect(throws: EstimatorError.featureCountMismatch(expected: 80, got: 3)) { try results[1].get() }
        #expect(throws: EstimatorError.nonFiniteValue(row: 0, column: 7)) { try results[2].get() }
        #expect(try results[3].get() == model.score(good))
        // The three rows of the right width went as one batch; a request with none sends none.
        #expect(try await batcher.score([[1]]).count == 1)
        #expect(batches.sizes == [3])
    }
}

/// Batch sizes reported to `onBatch`, from any task.
private final class BatchLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Int] = []
    func append(_ rows: Int) { lock.withLock { recorded.append(rows) } }
    var sizes: [Int] { lock.withLock { recorded } }
}
