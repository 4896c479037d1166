import Revscoring

/// A model behind an ``InferenceBatcher``: feature rows from concurrent requests are scored in
/// one batch, and each request gets its own scores — or its own error: a bad row never fails
/// the other requests of its batch.
public struct ScoringBatcher: Sendable {
    /// The model scored.
    public let model: Model
    /// `nil` when batches hold one request (`maxBatchSize` 1, the server's default): then a
    /// request's rows are scored on its own task, without the batcher's actor hop, timer-free
    /// flush and result hand-back (~3% of a small request's CPU, and two task switches).
    let batcher: InferenceBatcher<[Double], Result<Score, EstimatorError>, ContinuousClock>?
    /// Scores one batch and reports it to `onBatch`.
    let scoreBatch: @Sendable ([[Double]]) -> [Result<Score, EstimatorError>]

    /// Wraps `model` with KServe's batching parameters (defaults: 32 instances, 500 ms);
    /// `onBatch` is told the size and scoring time of every batch (for metrics).
    public init(model: Model, maxBatchSize: Int = 32, maxLatency: Duration = .milliseconds(500),
                onBatch: (@Sendable (_ rows: Int, _ elapsed: Duration) -> Void)? = nil) {
        precondition(maxBatchSize >= 1, "maxBatchSize must be at least 1")
        self.model = model
        let columns = model.featureNames.count
        let scoreBatch: @Sendable ([[Double]]) -> [Result<Score, EstimatorError>] = { rows in
            let started = ContinuousClock.now
            let results = Self.score(model, rows, columns: columns)
            onBatch?(rows.count, ContinuousClock.now - started)
            return results
        }
        self.scoreBatch = scoreBatch
        // With one instance per batch the batcher would send every request at once, alone:
        // the same batches as scoring on the request's task.
        batcher = maxBatchSize == 1 ? nil
            : InferenceBatcher(maxBatchSize: maxBatchSize, maxLatency: maxLatency, clock: ContinuousClock()) { scoreBatch($0) }
    }

    /// Scores a batch together; if that fails (a row the estimator refuses), scores the rows one
    /// by one so that only the bad rows carry an error.
    static func score(_ model: Model, _ rows: [[Double]], columns: Int) -> [Result<Score, EstimatorError>] {
        // One row (a Lift Wing request, unbatched) goes straight to the row-by-row path below,
        // as revscoring scores it, without a matrix and a batch kernel's set-up (~120,000
        // instructions per request with the fixture model, callgrind).
        if rows.count > 1, let matrix = try? Matrix(rows: rows, columns: columns), let scores = try? model.score(batch: matrix) {
            return scores.map { .success($0) }
        }
        return rows.map { row in Result { () throws(EstimatorError) -> Score in try model.score(row) } }
    }

    /// Scores one request's rows (feature values in model order), batched with other requests.
    public func score(_ rows: [[Double]]) async throws -> [Result<Score, EstimatorError>] {
        // Rows of the wrong width cannot join a matrix: answer them at once.
        let width = model.featureNames.count
        let valid = rows.indices.filter { rows[$0].count == width }
        var results = rows.map { Result<Score, EstimatorError>.failure(.featureCountMismatch(expected: width, got: $0.count)) }
        let accepted = valid.map { rows[$0] }
        let scored: [Result<Score, EstimatorError>]
        if let batcher {
            scored = try await batcher.submit(accepted)
        } else {
            scored = accepted.isEmpty ? [] : scoreBatch(accepted)
        }
        for (i, result) in zip(valid, scored) { results[i] = result }
        return results
    }
}
