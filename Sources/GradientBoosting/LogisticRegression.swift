internal import CKernels

/// scikit-learn's `LogisticRegression` (and any linear model scored the same way).
///
/// `decision = X · coef_ᵀ + intercept_` through BLAS (`ddot` for one row, `dgemm` for a batch,
/// as numpy does), then: two classes → `expit` with `[1 − p, p]`; more classes → softmax
/// (multinomial) or normalized one-vs-rest `expit` (`multi_class="ovr"` or liblinear).
public struct LogisticRegression: Classifier, FiniteBatchPredicting {
    /// How probabilities are formed for more than two classes.
    public enum MulticlassMode: Sendable, Equatable {
        /// Softmax over the decision values (`multi_class="multinomial"`, the default since 0.22).
        case multinomial
        /// `expit` per class, normalized to sum one (`multi_class="ovr"`, liblinear).
        case oneVsRest
    }

    public let featureCount: Int
    public let classCount: Int
    /// `coef_`, row-major `rows × featureCount` (1 row for two classes).
    public let coefficients: [Double]
    /// `intercept_`, one per coefficient row.
    public let intercepts: [Double]
    /// See ``MulticlassMode``.
    public let multiclassMode: MulticlassMode

    /// Creates a model from `coef_` (row-major) and `intercept_`.
    public init(
        coefficients: [Double], intercepts: [Double], classCount: Int, featureCount: Int,
        multiclassMode: MulticlassMode = .multinomial
    ) throws(EstimatorError) {
        let rows = classCount == 2 ? 1 : classCount
        guard classCount >= 2 else { throw .invalidParameters("logistic regression with \(classCount) classes") }
        guard coefficients.count == rows * featureCount, intercepts.count == rows else {
            throw .invalidParameters("coef_ has \(coefficients.count) values and intercept_ \(intercepts.count) for \(classCount) classes × \(featureCount) features")
        }
        guard coefficients.allSatisfy(\.isFinite), intercepts.allSatisfy(\.isFinite) else {
            throw .invalidParameters("coef_ or intercept_ is not finite")
        }
        self.featureCount = featureCount
        self.classCount = classCount
        self.coefficients = coefficients
        self.intercepts = intercepts
        self.multiclassMode = multiclassMode
    }

    var coefficientRows: Int { intercepts.count }

    public func predict(row: UnsafeBufferPointer<Double>) throws(EstimatorError) -> Prediction {
        guard row.count == featureCount else { throw .featureCountMismatch(expected: featureCount, got: row.count) }
        try checkFinite(row, columns: featureCount)
        var decision = intercepts
        coefficients.withUnsafeBufferPointer { coef in
            for j in 0..<coefficientRows {
                decision[j] = BLAS.dot(row.baseAddress!, coef.baseAddress! + j * featureCount, count: featureCount) + intercepts[j]
            }
        }
        return prediction(decision: decision)
    }

    public func predict(batch: Matrix) throws(EstimatorError) -> BatchPrediction {
        guard batch.columns == featureCount else { throw .featureCountMismatch(expected: featureCount, got: batch.columns) }
        try batch.values.withUnsafeBufferPointer { v throws(EstimatorError) in try checkFinite(v, columns: featureCount) }
        return try predict(finiteBatch: batch)
    }

    package func predict(finiteBatch batch: Matrix) throws(EstimatorError) -> BatchPrediction {
        guard batch.columns == featureCount else { throw .featureCountMismatch(expected: featureCount, got: batch.columns) }
        guard batch.rows > 0 else { return BatchPrediction(classIndices: [], probabilities: [], classCount: classCount) }
        let k = coefficientRows
        var decision = [Double](repeating: 0, count: batch.rows * k)
        batch.values.withUnsafeBufferPointer { x in
            coefficients.withUnsafeBufferPointer { coef in
                decision.withUnsafeMutableBufferPointer { out in
                    if k == 1 {  // one coefficient row: a matrix-vector product, no packing
                        BLAS.multiply(x.baseAddress!, coef.baseAddress!, into: out.baseAddress!, m: batch.rows, n: featureCount)
                    } else {
                        BLAS.multiplyTransposed(x.baseAddress!, coef.baseAddress!, into: out.baseAddress!, m: batch.rows, n: k, k: featureCount)
                    }
                }
            }
        }
        if classCount == 2 {
            var classIndices = [Int](repeating: 0, count: batch.rows)
            var probabilities = [Double](repeating: 0, count: batch.rows * 2)
            let intercept = intercepts[0]
            for r in 0..<batch.rows {
                let d = decision[r] + intercept
                let p = expit(d)
                probabilities[2 * r] = 1 - p
                probabilities[2 * r + 1] = p
                classIndices[r] = d > 0 ? 1 : 0
            }
            return BatchPrediction(classIndices: classIndices, probabilities: probabilities, classCount: 2)
        }
        return BatchPrediction((0..<batch.rows).map { r in
            prediction(decision: (0..<k).map { decision[r * k + $0] + intercepts[$0] })
        }, classCount: classCount)
    }

    func prediction(decision: [Double]) -> Prediction {
        if classCount == 2 {
            let p = expit(decision[0])
            return Prediction(classIndex: decision[0] > 0 ? 1 : 0, probabilities: [1 - p, p])
        }
        switch multiclassMode {
        case .multinomial:
            return Prediction(classIndex: argmax(decision), probabilities: softmax(decision))
        case .oneVsRest:
            let p = decision.map(expit)
            let sum = p.reduce(0, +)
            return Prediction(classIndex: argmax(decision), probabilities: p.map { $0 / sum })
        }
    }
}

/// Refuses NaN and infinite values, as scikit-learn's `check_array` does.
///
/// The check itself is `CKernels`' (four values per instruction on AVX2 CPUs); only a failing
/// input is scanned again here for the position.
func checkFinite(_ values: UnsafeBufferPointer<Double>, columns: Int) throws(EstimatorError) {
    guard let base = values.baseAddress, rs_all_finite(base, values.count) == 0 else { return }
    for i in 0..<values.count where !values[i].isFinite {
        throw .nonFiniteValue(row: i / max(columns, 1), column: i % max(columns, 1))
    }
}
