/// One fitted scikit-learn decision tree (`sklearn.tree._tree.Tree`), as its arrays.
///
/// This is the exchange form: what a model file holds, checked once. Scoring uses
/// ``TreeEnsemble``, which flattens many trees into one cache-friendly node array.
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

/// Many decision trees flattened into one node array, scored in tree order.
///
/// Each tree adds a leaf vector of `leafWidth` values into an output row at its own offset
/// (class `k` of a gradient-boosting stage, or all classes for a forest). Leaf vectors are
/// prepared by the ensemble's owner (e.g. multiplied by the learning rate), so the kernel only
/// walks and adds — in the same order, with the same roundings, as scikit-learn.
public struct TreeEnsemble: Sendable {
    /// A node in 16 bytes: four per cache line.
    ///
    /// Thresholds are stored as the largest float32 not above the float64 threshold: for a
    /// float32 input `x`, `x <= t32` exactly when `Double(x) <= t64`, so the float32 compare
    /// decides as scikit-learn does. At a leaf `feature` is -1 and `left` indexes the leaf
    /// vector.
    @usableFromInline
    struct Node: Sendable {
        @usableFromInline var threshold: Float
        @usableFromInline var feature: Int32
        @usableFromInline var left: Int32
        @usableFromInline var right: Int32
    }

    @usableFromInline let nodes: [Node]
    @usableFromInline let roots: [Int32]
    @usableFromInline let outputOffsets: [Int32]
    @usableFromInline let leafValues: [Double]
    /// Values each leaf adds.
    public let leafWidth: Int
    /// Width of the output row the trees add into.
    public let outputWidth: Int
    /// Input columns.
    public let featureCount: Int
    /// Number of trees.
    public var treeCount: Int { roots.count }

    /// Flattens `trees`.
    /// - Parameters:
    ///   - trees: the trees, in the order their leaf vectors are added.
    ///   - outputOffsets: for each tree, where in the output row its leaf vector goes.
    ///   - outputWidth: width of the output row.
    ///   - leafWidth: values per leaf vector.
    ///   - leafVector: the vector a tree's leaf adds, from its tree index and node `value`s.
    public init(
        trees: [DecisionTree], outputOffsets: [Int], outputWidth: Int, leafWidth: Int, featureCount: Int,
        leafVector: (_ tree: Int, _ nodeValue: ArraySlice<Double>) -> [Double]
    ) throws(EstimatorError) {
        guard outputOffsets.count == trees.count else {
            throw .invalidParameters("\(outputOffsets.count) output offsets for \(trees.count) trees")
        }
        guard outputOffsets.allSatisfy({ $0 >= 0 && $0 + leafWidth <= outputWidth }) else {
            throw .invalidParameters("tree output offset outside an output row of \(outputWidth)")
        }
        var nodes: [Node] = []
        var roots: [Int32] = []
        var leafValues: [Double] = []
        nodes.reserveCapacity(trees.reduce(0) { $0 + $1.nodeCount })
        for (t, tree) in trees.enumerated() {
            let base = nodes.count
            guard base + tree.nodeCount < Int(Int32.max) else { throw .invalidParameters("ensemble too large") }
            roots.append(Int32(base))
            for i in 0..<tree.nodeCount {
                if tree.leftChild[i] == -1 {
                    let leaf = leafValues.count / leafWidth
                    let vector = leafVector(t, tree.value[(i * tree.valueWidth)..<((i + 1) * tree.valueWidth)])
                    guard vector.count == leafWidth else {
                        throw .invalidParameters("leaf vector of \(vector.count) values, expected \(leafWidth)")
                    }
                    leafValues.append(contentsOf: vector)
                    nodes.append(Node(threshold: 0, feature: -1, left: Int32(leaf), right: -1))
                } else {
                    nodes.append(Node(
                        threshold: Self.float32Threshold(tree.threshold[i]),
                        feature: Int32(tree.feature[i]),
                        left: Int32(base + tree.leftChild[i]),
                        right: Int32(base + tree.rightChild[i])))
                }
            }
            guard tree.feature.indices.allSatisfy({ tree.leftChild[$0] == -1 || tree.feature[$0] < featureCount }) else {
                throw .invalidParameters("tree \(t) tests a feature beyond \(featureCount)")
            }
        }
        self.nodes = nodes
        self.roots = roots
        self.outputOffsets = outputOffsets.map { Int32($0) }
        self.leafValues = leafValues
        self.leafWidth = leafWidth
        self.outputWidth = outputWidth
        self.featureCount = featureCount
    }

    /// The largest float32 that is `<= threshold`.
    static func float32Threshold(_ threshold: Double) -> Float {
        var t = Float(threshold)
        if Double(t) > threshold { t = t.nextDown }
        return t
    }

    /// Adds every tree's leaf vector for one float32 row into `output` (length `outputWidth`).
    @inlinable
    public func accumulate(row: UnsafePointer<Float>, into output: UnsafeMutablePointer<Double>) {
        nodes.withUnsafeBufferPointer { nodes in
            leafValues.withUnsafeBufferPointer { leaves in
                for t in 0..<roots.count {
                    let leaf = Self.leafIndex(nodes: nodes, root: Int(roots[t]), row: row)
                    let out = output + Int(outputOffsets[t])
                    let vector = leaves.baseAddress! + leaf * leafWidth
                    for j in 0..<leafWidth { out[j] += vector[j] }
                }
            }
        }
    }

    /// Adds every tree's leaf vectors for `rowCount` float32 rows (stride `featureCount`) into
    /// `output` (stride `outputWidth`).
    ///
    /// Rows are taken in blocks and each tree is walked for the whole block, so a tree's nodes
    /// stay in cache while its rows go through; each row still receives trees in order.
    @inlinable
    public func accumulate(rows: UnsafePointer<Float>, rowCount: Int, into output: UnsafeMutablePointer<Double>) {
        let block = 64
        nodes.withUnsafeBufferPointer { nodes in
            leafValues.withUnsafeBufferPointer { leaves in
                var start = 0
                while start < rowCount {
                    let end = min(start + block, rowCount)
                    for t in 0..<roots.count {
                        let root = Int(roots[t])
                        let offset = Int(outputOffsets[t])
                        for r in start..<end {
                            let leaf = Self.leafIndex(nodes: nodes, root: root, row: rows + r * featureCount)
                            let out = output + r * outputWidth + offset
                            let vector = leaves.baseAddress! + leaf * leafWidth
                            for j in 0..<leafWidth { out[j] += vector[j] }
                        }
                    }
                    start = end
                }
            }
        }
    }

    @inlinable @inline(__always)
    static func leafIndex(nodes: UnsafeBufferPointer<Node>, root: Int, row: UnsafePointer<Float>) -> Int {
        var node = nodes[root]
        while node.feature >= 0 {
            let next = row[Int(node.feature)] <= node.threshold ? node.left : node.right
            node = nodes[Int(next)]
        }
        return Int(node.left)
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
