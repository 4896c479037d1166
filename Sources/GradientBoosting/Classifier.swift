/// A fitted probabilistic classifier: what scikit-learn calls an estimator with
/// `predict_proba`.
///
/// Inputs are rows that have already been through the model's scaler (float64, in feature
/// order). Every conforming type reproduces scikit-learn's arithmetic for its estimator, not
/// just its mathematics, so that probabilities match revscoring to the last bits.
public protocol Classifier: Sendable {
    /// Number of input columns the estimator was fitted on (`n_features_in_`).
    var featureCount: Int { get }
    /// Number of classes, in `classes_` order.
    var classCount: Int { get }
    /// `predict` and `predict_proba` for one row.
    func predict(row: UnsafeBufferPointer<Double>) throws(EstimatorError) -> Prediction
    /// `predict` and `predict_proba` for a row-major matrix, into flat arrays (no per-row
    /// allocation); the same values as `predict(row:)` for every row, up to the summation
    /// order of BLAS kernels where an estimator uses them.
    func predict(batch: Matrix) throws(EstimatorError) -> BatchPrediction
}

/// An estimator whose only check of a batch is for NaN and infinity, so that a caller that has
/// just made that check (``RobustScaler`` does, in the pass that scales) can skip the second
/// pass over the values.
///
/// Package-only on purpose: a public entry point that trusts its caller about NaN would be one
/// bad input away from a silent wrong score.
package protocol FiniteBatchPredicting: Classifier {
    /// ``Classifier/predict(batch:)`` for values already known to be finite.
    func predict(finiteBatch batch: Matrix) throws(EstimatorError) -> BatchPrediction
}

/// What an estimator says about many rows, in flat arrays.
public struct BatchPrediction: Sendable, Equatable {
    /// For each row, the index into `classes_` of the predicted class.
    public var classIndices: [Int]
    /// `predict_proba`, row-major `rows × classCount`.
    public var probabilities: [Double]
    /// Number of classes.
    public let classCount: Int

    /// Number of rows.
    public var count: Int { classIndices.count }

    /// Creates a batch prediction from its arrays.
    public init(classIndices: [Int], probabilities: [Double], classCount: Int) {
        self.classIndices = classIndices
        self.probabilities = probabilities
        self.classCount = classCount
    }

    /// Gathers single-row predictions (for estimators without a batch kernel).
    public init(_ rows: [Prediction], classCount: Int) {
        self.classIndices = rows.map(\.classIndex)
        self.probabilities = rows.flatMap(\.probabilities)
        self.classCount = classCount
    }

    /// The prediction of row `row`.
    public subscript(row: Int) -> Prediction {
        Prediction(classIndex: classIndices[row],
                   probabilities: Array(probabilities[(row * classCount)..<((row + 1) * classCount)]))
    }
}

/// What an estimator says about one row.
public struct Prediction: Sendable, Equatable {
    /// Index into the estimator's `classes_` of the predicted class (`predict`).
    public var classIndex: Int
    /// `predict_proba`, in `classes_` order.
    public var probabilities: [Double]

    /// Creates a prediction.
    public init(classIndex: Int, probabilities: [Double]) {
        self.classIndex = classIndex
        self.probabilities = probabilities
    }
}

extension Classifier {
    /// `predict` and `predict_proba` for one row given as an array.
    public func predict(_ row: [Double]) throws(EstimatorError) -> Prediction {
        guard row.count == featureCount else {
            throw .featureCountMismatch(expected: featureCount, got: row.count)
        }
        // withUnsafeBufferPointer cannot rethrow a typed error, so carry it out as a Result.
        let result: Result<Prediction, EstimatorError> = row.withUnsafeBufferPointer { buffer in
            Result { () throws(EstimatorError) -> Prediction in try predict(row: buffer) }
        }
        return try result.get()
    }
}

extension Classifier {
    /// A batch scored row by row, for estimators without a batch kernel: the columns and
    /// finiteness are checked for the whole matrix first, as `check_array` does.
    func predictEachRow(_ batch: Matrix, _ predictOne: (UnsafeBufferPointer<Double>) -> Prediction) throws(EstimatorError) -> BatchPrediction {
        guard batch.columns == featureCount else { throw .featureCountMismatch(expected: featureCount, got: batch.columns) }
        try batch.values.withUnsafeBufferPointer { v throws(EstimatorError) in try checkFinite(v, columns: featureCount) }
        let n = featureCount
        return BatchPrediction(batch.values.withUnsafeBufferPointer { all in
            (0..<batch.rows).map { r in predictOne(UnsafeBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)])) }
        }, classCount: classCount)
    }
}

/// Index of the largest value, the first one on ties: numpy's `argmax`.
@inlinable
func argmax(_ values: UnsafeBufferPointer<Double>) -> Int {
    var best = 0
    var i = 1
    while i < values.count {
        if values[i] > values[best] { best = i }
        i += 1
    }
    return best
}

/// Index of the largest value, the first one on ties: numpy's `argmax`.
@inlinable
func argmax(_ values: [Double]) -> Int {
    values.withUnsafeBufferPointer { argmax($0) }
}
