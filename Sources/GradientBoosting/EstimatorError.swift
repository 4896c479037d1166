/// What can be wrong with an estimator's parameters or with the rows given to it.
public enum EstimatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A row or matrix has a different number of columns than the estimator was fitted on.
    case featureCountMismatch(expected: Int, got: Int)
    /// A value is NaN or infinite; scikit-learn refuses such input (`check_array`).
    case nonFiniteValue(row: Int, column: Int)
    /// A scaled value does not fit in float32, which tree estimators compute in
    /// (scikit-learn raises "Input X contains infinity or a value too large for dtype('float32')").
    case valueTooLargeForFloat32(row: Int, column: Int, value: Double)
    /// The estimator's own arrays are inconsistent (a corrupt or unsupported model).
    case invalidParameters(String)

    public var description: String {
        switch self {
        case let .featureCountMismatch(expected, got):
            return "expected \(expected) feature values, got \(got)"
        case let .nonFiniteValue(row, column):
            return "feature value at row \(row), column \(column) is NaN or infinite"
        case let .valueTooLargeForFloat32(row, column, value):
            return "scaled feature value \(value) at row \(row), column \(column) is too large for float32"
        case let .invalidParameters(message):
            return "invalid estimator parameters: \(message)"
        }
    }
}
