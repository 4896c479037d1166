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
        if let scaler {
            try scaler.transform(&row)
        } else {
            try row.withUnsafeBufferPointer { v throws(EstimatorError) in
                for (i, x) in v.enumerated() where !x.isFinite { throw .nonFiniteValue(row: 0, column: i) }
            }
        }
        return score(try estimator.predict(row))
    }

    /// Scores feature values of any kind (bools count as 0/1).
    public func score(_ values: [FeatureValue]) throws(EstimatorError) -> Score {
        try score(values.map(\.doubleValue))
    }

    /// Scores a batch: one row per revision, in feature order. Same results as scoring each
    /// row alone; scaling and estimators run over the whole matrix.
    public func score(batch: Matrix) throws(EstimatorError) -> [Score] {
        guard batch.columns == estimator.featureCount else {
            throw .featureCountMismatch(expected: estimator.featureCount, got: batch.columns)
        }
        var scaled = batch
        if let scaler { try scaler.transform(&scaled.values) }
        return try estimator.predict(batch: scaled).map(score)
    }

    private func score(_ p: Prediction) -> Score {
        Score(prediction: labels[p.classIndex], probability: zip(labels, p.probabilities).map { ($0, $1) })
    }
}
