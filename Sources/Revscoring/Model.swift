import Foundation
@_exported import Features
@_exported import GradientBoosting

/// A loaded revscoring model: scaler + estimator, with what the model file declares.
///
/// Immutable and `Sendable`: load once, share across tasks. Scoring is synchronous CPU work.
public struct Model: Sendable {
    /// What the model declares (`model.info`).
    public let info: ModelInfo
    /// The estimator's `classes_`: the order of ``Score/probability``.
    public let labels: [Label]
    /// The scaler applied before the estimator (revscoring's `scale`/`center`), if any.
    public let scaler: RobustScaler?
    /// The native estimator.
    public let estimator: any Classifier

    /// Assembles a model from its parts.
    public init(info: ModelInfo, labels: [Label], scaler: RobustScaler?, estimator: any Classifier) {
        self.info = info
        self.labels = labels
        self.scaler = scaler
        self.estimator = estimator
    }

    /// Loads a revscoring model file (`model.bin`, `*.model`).
    public init(contentsOf url: URL) throws(ModelFileError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
        self = try ModelFile.load(bytes: [UInt8](data))
    }

    /// Loads a revscoring model from the bytes of its file.
    public init(bytes: [UInt8]) throws(ModelFileError) {
        self = try ModelFile.load(bytes: bytes)
    }

    /// The feature names, in the order ``score(_:)-([Double])`` takes values.
    public var featureNames: [String] { info.featureNames }

    /// Scores one revision's feature values (revscoring's `model.score(feature_values)`).
    public func score(_ values: [Double]) throws(EstimatorError) -> Score {
        guard values.count == estimator.featureCount else {
            throw .featureCountMismatch(expected: estimator.featureCount, got: values.count)
        }
        var row = values
        // Without a scaler, the estimator itself refuses NaN and infinity (every estimator
        // checks its input as scikit-learn's check_array does), as in the batch path.
        if let scaler { try scaler.transform(&row) }
        return score(try estimator.predict(row))
    }

    /// Scores feature values of any kind (bools count as 0/1).
    public func score(_ values: [FeatureValue]) throws(EstimatorError) -> Score {
        try score(values.map(\.doubleValue))
    }

    /// Scores a batch: one row per revision, in feature order. Same results as scoring each
    /// row alone; scaling and estimators run over the whole matrix.
    public func score(batch: Matrix) throws(EstimatorError) -> [Score] {
        let p = try predict(batch: batch)
        return (0..<p.count).map { score(p[$0]) }
    }

    /// Rows scaled and scored together: the scaled copy of a block stays in cache on its way
    /// from the scaler to the estimator, instead of a full-size scaled copy of the batch.
    static let blockRows = 512

    /// The scaled estimator's `predict`/`predict_proba` for a batch, as flat arrays (class
    /// indices into ``labels``): the fast path for bulk scoring, without a `Score` per row.
    public func predict(batch: Matrix) throws(EstimatorError) -> BatchPrediction {
        let columns = estimator.featureCount
        guard batch.columns == columns else { throw .featureCountMismatch(expected: columns, got: batch.columns) }
        var classIndices: [Int] = []
        var probabilities: [Double] = []
        classIndices.reserveCapacity(batch.rows)
        probabilities.reserveCapacity(batch.rows * labels.count)
        // Equal blocks of at most blockRows rows, so that every block but at most the last fills
        // `block` exactly and goes to the estimator without a copy.
        let blockCount = (batch.rows + Self.blockRows - 1) / Self.blockRows
        let size = blockCount == 0 ? 0 : (batch.rows + blockCount - 1) / blockCount
        var block = [Double](repeating: 0, count: size * columns)
        // Once the scaler has refused NaN and infinity, an estimator that would only check that
        // again skips its pass.
        let checked = scaler == nil ? nil : estimator as? any FiniteBatchPredicting
        var start = 0
        while start < batch.rows {
            let end = min(start + size, batch.rows)
            let count = (end - start) * columns
            do {
                try batch.values.withUnsafeBufferPointer { all throws(EstimatorError) in
                    let source = UnsafeBufferPointer(rebasing: all[(start * columns)..<(end * columns)])
                    try block.withUnsafeMutableBufferPointer { room throws(EstimatorError) in
                        let destination = UnsafeMutableBufferPointer(rebasing: room[0..<count])
                        if let scaler {
                            try scaler.transform(source, into: destination)
                        } else if let from = source.baseAddress, let to = destination.baseAddress {
                            to.update(from: from, count: count)
                        }
                    }
                }
                let values = count == block.count ? block : Array(block[0..<count])
                let matrix = try Matrix(rows: end - start, columns: columns, values: values)
                let part = if let checked { try checked.predict(finiteBatch: matrix) }
                           else { try estimator.predict(batch: matrix) }
                classIndices.append(contentsOf: part.classIndices)
                probabilities.append(contentsOf: part.probabilities)
            } catch let .nonFiniteValue(row, column) {
                throw .nonFiniteValue(row: start + row, column: column)
            } catch let .valueTooLargeForFloat32(row, column, value) {
                throw .valueTooLargeForFloat32(row: start + row, column: column, value: value)
            }
            start = end
        }
        return BatchPrediction(classIndices: classIndices, probabilities: probabilities, classCount: labels.count)
    }

    private func score(_ p: Prediction) -> Score {
        Score(prediction: labels[p.classIndex], probability: zip(labels, p.probabilities).map { ($0, $1) })
    }
}
