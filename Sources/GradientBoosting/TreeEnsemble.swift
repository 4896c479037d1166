/// Many decision trees flattened for scoring, in tree order.
///
/// Each tree adds a leaf vector of `leafWidth` values into an output row at its own offset
/// (class `k` of a gradient-boosting stage, or all classes for a forest). Leaf vectors are
/// prepared by the ensemble's owner (e.g. multiplied by the learning rate), so the kernels only
/// walk and add — in the same order, with the same roundings, as scikit-learn.
///
/// Thresholds are stored as the largest float32 not above the float64 threshold: for a float32
/// input `x`, `x <= t32` exactly when `Double(x) <= t64`, so the float32 compare decides as
/// scikit-learn does. Trees of bounded depth (gradient boosting) are padded to perfect trees
/// (``PerfectTreeLayout``); others keep their shape (``CompactTreeLayout``).
public struct TreeEnsemble: Sendable {
    /// How the trees are laid out for scoring.
    public enum Layout: Sendable, Equatable {
        /// Padded to perfect binary trees of one depth: the fastest, when the padding is small.
        case perfect(depth: Int)
        /// Every tree's own nodes, breadth-first.
        case compact
    }

    /// What the kernels need to know besides the trees.
    struct Shape: Sendable {
        var treeCount: Int
        var featureCount: Int
        var leafWidth: Int
        var outputWidth: Int
        var outputOffsets: [Int32]
    }

    enum Storage: Sendable {
        case perfect(PerfectTreeLayout)
        case compact(CompactTreeLayout)
    }

    let shape: Shape
    let storage: Storage

    /// Values each leaf adds.
    public var leafWidth: Int { shape.leafWidth }
    /// Width of the output row the trees add into.
    public var outputWidth: Int { shape.outputWidth }
    /// Input columns.
    public var featureCount: Int { shape.featureCount }
    /// Number of trees.
    public var treeCount: Int { shape.treeCount }
    /// The layout chosen for these trees.
    public var layout: Layout {
        switch storage {
        case .perfect(let p): .perfect(depth: p.depth)
        case .compact: .compact
        }
    }

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
        try self.init(trees: trees, outputOffsets: outputOffsets, outputWidth: outputWidth, leafWidth: leafWidth,
                      featureCount: featureCount, preferCompact: false, leafVector: leafVector)
    }

    /// The same, with the compact layout forced when `preferCompact` (to test one against the other).
    init(
        trees: [DecisionTree], outputOffsets: [Int], outputWidth: Int, leafWidth: Int, featureCount: Int,
        preferCompact: Bool, leafVector: (_ tree: Int, _ nodeValue: ArraySlice<Double>) -> [Double]
    ) throws(EstimatorError) {
        guard outputOffsets.count == trees.count else {
            throw .invalidParameters("\(outputOffsets.count) output offsets for \(trees.count) trees")
        }
        guard outputOffsets.allSatisfy({ $0 >= 0 && $0 + leafWidth <= outputWidth }) else {
            throw .invalidParameters("tree output offset outside an output row of \(outputWidth)")
        }
        guard featureCount > 0 else { throw .invalidParameters("trees need at least one input feature") }
        var depths: [Int] = []
        var nodeCount = 0
        for (t, tree) in trees.enumerated() {
            depths.append(try Self.depth(of: tree, index: t, featureCount: featureCount))
            nodeCount += tree.nodeCount
        }
        guard nodeCount < Int(Int32.max) / 2 else { throw .invalidParameters("ensemble too large") }
        let shape = Shape(treeCount: trees.count, featureCount: featureCount, leafWidth: leafWidth,
                          outputWidth: outputWidth, outputOffsets: outputOffsets.map { Int32($0) })
        let vector = { (t: Int, i: Int) throws(EstimatorError) -> [Double] in
            let tree = trees[t]
            let v = leafVector(t, tree.value[(i * tree.valueWidth)..<((i + 1) * tree.valueWidth)])
            guard v.count == leafWidth else {
                throw .invalidParameters("leaf vector of \(v.count) values, expected \(leafWidth)")
            }
            return v
        }
        self.shape = shape
        if !preferCompact,
           let depth = PerfectTreeLayout.paddedDepth(treeDepths: depths, nodeCount: nodeCount, featureCount: featureCount) {
            storage = .perfect(try PerfectTreeLayout(trees: trees, depth: depth, shape: shape, leafVector: vector))
        } else {
            storage = .compact(try CompactTreeLayout(trees: trees, depths: depths, shape: shape, leafVector: vector))
        }
    }

    /// The depth of `tree` (splits on its longest path), checking that no node is reached
    /// twice and that every split's feature is an input column.
    static func depth(of tree: DecisionTree, index t: Int, featureCount: Int) throws(EstimatorError) -> Int {
        // DecisionTree guarantees children come after their parent: one forward pass.
        var depth = [Int](repeating: -1, count: tree.nodeCount)
        depth[0] = 0
        var deepest = 0
        for i in 0..<tree.nodeCount where depth[i] >= 0 && tree.leftChild[i] != -1 {
            guard tree.feature[i] < featureCount else {
                throw .invalidParameters("tree \(t) tests feature \(tree.feature[i]) of \(featureCount)")
            }
            for child in [tree.leftChild[i], tree.rightChild[i]] {
                guard depth[child] == -1 else { throw .invalidParameters("tree \(t) reaches a node twice") }
                depth[child] = depth[i] + 1
                deepest = max(deepest, depth[i] + 1)
            }
        }
        return deepest
    }

    /// The largest float32 that is `<= threshold`.
    static func float32Threshold(_ threshold: Double) -> Float {
        var t = Float(threshold)
        if Double(t) > threshold { t = t.nextDown }
        return t
    }

    /// Casts one scaled float64 row to float32 as scikit-learn does (refusing values that
    /// overflow) and adds every tree's leaf vector into `output` (length `outputWidth`).
    public func accumulate(scaledRow row: UnsafeBufferPointer<Double>, into output: inout [Double]) throws(EstimatorError) {
        try withUnsafeTemporaryAllocation(of: Float.self, capacity: row.count) { x32 throws(EstimatorError) in
            try float32Rows(row, columns: featureCount, into: x32)
            output.withUnsafeMutableBufferPointer { accumulate(rows: UnsafePointer(x32.baseAddress!), rowCount: 1, into: $0.baseAddress!) }
        }
    }

    /// The same for every row of a matrix; `output` has `outputWidth` values per row.
    public func accumulate(scaledRows batch: Matrix, into output: inout [Double]) throws(EstimatorError) {
        var x32 = [Float](repeating: 0, count: batch.values.count)
        try batch.values.withUnsafeBufferPointer { values throws(EstimatorError) in
            try x32.withUnsafeMutableBufferPointer { out throws(EstimatorError) in
                try float32Rows(values, columns: featureCount, into: out)
            }
        }
        x32.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { out in
                accumulate(rows: x.baseAddress!, rowCount: batch.rows, into: out.baseAddress!)
            }
        }
    }

    /// Adds every tree's leaf vector for one float32 row into `output` (length `outputWidth`).
    public func accumulate(row: UnsafePointer<Float>, into output: UnsafeMutablePointer<Double>) {
        accumulate(rows: row, rowCount: 1, into: output)
    }

    /// Adds every tree's leaf vectors for `rowCount` float32 rows (stride `featureCount`) into
    /// `output` (stride `outputWidth`); each row receives them in tree order. Values must be
    /// finite, as `accumulate(scaledRows:into:)` checks: the perfect-tree kernel decides
    /// `x > t` from the sign of `t − x`.
    public func accumulate(rows: UnsafePointer<Float>, rowCount: Int, into output: UnsafeMutablePointer<Double>) {
        accumulate(rows: rows, rowCount: rowCount, into: output, vectorized: true)
    }

    /// The same, with the perfect layout's C batch kernel allowed or not (to test one against the other).
    func accumulate(rows: UnsafePointer<Float>, rowCount: Int, into output: UnsafeMutablePointer<Double>, vectorized: Bool) {
        switch storage {
        case .perfect(let layout):
            layout.accumulate(rows: rows, rowCount: rowCount, into: output, shape: shape, vectorized: vectorized)
        case .compact(let layout): layout.accumulate(rows: rows, rowCount: rowCount, into: output, shape: shape)
        }
    }

    /// Whether batches of this ensemble go to the AVX2 kernel on this CPU.
    var usesVectorKernel: Bool {
        guard case .perfect(let layout) = storage else { return false }
        return layout.takesVectorKernel(leafWidth: shape.leafWidth)
    }
}
