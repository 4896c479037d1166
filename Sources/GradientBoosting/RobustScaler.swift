internal import CKernels

/// scikit-learn's `RobustScaler.transform`: `(x − center_) / scale_`, in float64.
///
/// Subtraction then division, element by element, exactly as numpy's in-place `X -= center_;
/// X /= scale_` rounds them. (A BLAS kernel would multiply by `1/scale_` and change the last
/// bits, so this is a plain loop: in C (`CKernels`) so that AVX2 CPUs divide four values per
/// instruction, as numpy does, with the finiteness check in the same pass.)
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
        try values.withUnsafeMutableBufferPointer { v throws(EstimatorError) in try transform(UnsafeBufferPointer(v), into: v) }
    }

    /// Scales the rows in `source` into `destination` (as many values; they may be the same
    /// memory), then refuses NaN and infinite results as ``transform(_:)`` does: one pass that
    /// reads the unscaled rows and writes the scaled ones, without a copy in between.
    public func transform(
        _ source: UnsafeBufferPointer<Double>, into destination: UnsafeMutableBufferPointer<Double>
    ) throws(EstimatorError) {
        let n = featureCount
        guard n > 0, source.count % n == 0 else { throw .featureCountMismatch(expected: n, got: source.count) }
        guard destination.count == source.count else {
            throw .invalidParameters("scaling \(source.count) values into room for \(destination.count)")
        }
        guard let input = source.baseAddress, let output = destination.baseAddress else { return }
        let finite = Self.withOptionalBaseAddress(center) { c in
            Self.withOptionalBaseAddress(scale) { s in rs_robust_scale(input, output, source.count / n, n, c, s) }
        }
        if finite == 0 { try checkFinite(UnsafeBufferPointer(destination), columns: n) }
    }

    private static func withOptionalBaseAddress<R>(_ values: [Double]?, _ body: (UnsafePointer<Double>?) -> R) -> R {
        guard let values else { return body(nil) }
        return values.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
