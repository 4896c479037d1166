/// The value of one revscoring feature for one revision.
///
/// revscoring features return Python `bool`, `int` or `float`; models vectorize all of them
/// to float64 (`True` → 1.0). Keeping the kind lets outputs (JSON, goldens) show values as
/// revscoring does.
public enum FeatureValue: Sendable, Hashable {
    case bool(Bool)
    case int(Int)
    case float(Double)

    /// The value as the model sees it (`vectorize_values` + `np.float64`).
    @inlinable
    public var doubleValue: Double {
        switch self {
        case let .bool(b): return b ? 1 : 0
        case let .int(i): return Double(i)
        case let .float(d): return d
        }
    }
}
