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
        let history = await batcher.batcher.history
        #expect(history.reduce(0) { $0 + $1.instances } == 39)
        #expect(history.allSatisfy { $0.instances <= 8 })
    }
}
