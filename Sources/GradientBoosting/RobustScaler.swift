/// scikit-learn's `RobustScaler.transform`: `(x − center_) / scale_`, in float64.
///
/// Subtraction then division, element by element, exactly as numpy's in-place `X -= center_;
/// X /= scale_` rounds them. (A BLAS kernel would multiply by `1/scale_` and change the last
/// bits, so this stays a plain loop, which the compiler vectorises.)
public struct RobustScaler: Sendable, Equatable {
    /// `center_` when `with_centering`, else `nil`.
    public let center: [Double]?
    /// `scale_` when `with_scaling`, else `nil`.
    public let scale: [Double]?
    /// Number of columns.
    public let featureCount: Int

    /// Creates a scaler; `center` and `scale` (when given) must have `featureCount` values.
    public init(center: [Double]?, scale: [Double]?, featureCount: Int) throws(EstimatorError) {
        if let center, center.count != featureCount {
            throw .invalidParameters("scaler center_ has \(center.count) values for \(featureCount) features")
        }
        if let scale, scale.count != featureCount {
            throw .invalidParameters("scaler scale_ has \(scale.count) values for \(featureCount) features")
        }
        self.center = center
        self.scale = scale
        self.featureCount = featureCount
    }

    /// Scales `values` (one or more rows of `featureCount` columns) in place, then refuses
    /// NaN and infinite results, as scikit-learn's estimators refuse them after scaling (so a
    /// NaN or infinite input is refused too).
    public func transform(_ values: inout [Double]) throws(EstimatorError) {
        let n = featureCount
        guard n > 0, values.count % n == 0 else { throw .featureCountMismatch(expected: n, got: values.count) }
        let rows = values.count / n
        let one = [Double](repeating: 1, count: n), zero = [Double](repeating: 0, count: n)
        (center ?? zero).withUnsafeBufferPointer { c in
            (scale ?? one).withUnsafeBufferPointer { s in
                values.withUnsafeMutableBufferPointer { v in
                    // (x − c) / s in one pass; with c = 0 and s = 1 where disabled this is exact.
                    for r in 0..<rows {
                        let row = v.baseAddress! + r * n
                        for j in 0..<n { row[j] = (row[j] - c[j]) / s[j] }
                    }
                }
            }
        }
        try values.withUnsafeBufferPointer { v throws(EstimatorError) in try checkFinite(v, columns: n) }
    }
}
