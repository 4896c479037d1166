/// One fitted scikit-learn decision tree (`sklearn.tree._tree.Tree`), as its arrays.
///
/// This is the exchange form: what a model file holds, checked once. Scoring uses
/// ``TreeEnsemble``, which lays many trees out for walking several at a time (padded to
/// perfect trees when they are shallow, as gradient boosting's are).
public struct DecisionTree: Sendable, Equatable {
    /// `children_left`; `-1` marks a leaf.
    public let leftChild: [Int]
    /// `children_right`; `-1` marks a leaf.
    public let rightChild: [Int]
    /// `feature` tested at each split node (ignored at leaves).
    public let feature: [Int]
    /// `threshold` of each split node: go left iff `Double(Float(x)) <= threshold`.
    public let threshold: [Double]
    /// `value`, flattened to `nodeCount × valueWidth` (`n_outputs` is 1 for every tree
    /// revscoring uses): one regression value, or one weight/proportion per class.
    public let value: [Double]
    /// Values per node: 1 for regression trees, `n_classes` for classification trees.
    public let valueWidth: Int

    /// Number of nodes.
    public var nodeCount: Int { leftChild.count }

    /// Checks the arrays and creates a tree.
    ///
    /// Every child index must point *after* its parent (scikit-learn's builders always add
    /// children after the parent), which guarantees that traversal ends; features must be
    /// below `featureCount`.
    public init(
        leftChild: [Int], rightChild: [Int], feature: [Int], threshold: [Double],
        value: [Double], valueWidth: Int, featureCount: Int
    ) throws(EstimatorError) {
        let n = leftChild.count
        guard n > 0 else { throw .invalidParameters("tree has no nodes") }
        guard rightChild.count == n, feature.count == n, threshold.count == n else {
            throw .invalidParameters("tree arrays have different lengths")
        }
        guard valueWidth > 0, value.count == n * valueWidth else {
            throw .invalidParameters("tree value array has \(value.count) entries for \(n) nodes × \(valueWidth)")
        }
        for i in 0..<n {
            let l = leftChild[i], r = rightChild[i]
            if l == -1 || r == -1 {
                guard l == -1, r == -1 else { throw .invalidParameters("node \(i) has only one child") }
                continue
            }
            guard l > i, l < n, r > i, r < n else {
                throw .invalidParameters("node \(i) has child indices \(l), \(r) outside \(i + 1)..<\(n)")
            }
            guard feature[i] >= 0, feature[i] < featureCount else {
                throw .invalidParameters("node \(i) tests feature \(feature[i]) of \(featureCount)")
            }
            guard !threshold[i].isNaN else { throw .invalidParameters("node \(i) has a NaN threshold") }
        }
        self.leftChild = leftChild
        self.rightChild = rightChild
        self.feature = feature
        self.threshold = threshold
        self.value = value
        self.valueWidth = valueWidth
    }
}

/// Casts scaled float64 rows to float32 as scikit-learn's tree estimators do
/// (`check_array(dtype=np.float32)`), refusing values that become infinite.
@usableFromInline
func float32Rows(_ values: UnsafeBufferPointer<Double>, columns: Int, into out: UnsafeMutableBufferPointer<Float>) throws(EstimatorError) {
    for i in 0..<values.count {
        let v = values[i]
        let f = Float(v)
        guard f.isFinite else {
            if v.isFinite { throw .valueTooLargeForFloat32(row: i / max(columns, 1), column: i % max(columns, 1), value: v) }
            throw .nonFiniteValue(row: i / max(columns, 1), column: i % max(columns, 1))
        }
        out[i] = f
    }
}
