/// Many decision trees flattened into one node array, scored in tree order.
///
/// Each tree adds a leaf vector of `leafWidth` values into an output row at its own offset
/// (class `k` of a gradient-boosting stage, or all classes for a forest). Leaf vectors are
/// prepared by the ensemble's owner (e.g. multiplied by the learning rate), so the kernel only
/// walks and adds — in the same order, with the same roundings, as scikit-learn.
///
/// Walking one tree is a chain of dependent loads, so trees are walked eight at a time in
/// lockstep: the eight chains overlap in the memory system instead of waiting on each other.
/// Leaves loop to themselves, so each group simply takes as many steps as its deepest tree,
/// without a data-dependent loop exit to mispredict. Leaf vectors are then added in tree order.
public struct TreeEnsemble: Sendable {
    /// A node in 12 bytes.
    ///
    /// Each tree is laid out breadth-first so that a node's two children are adjacent: the next
    /// node is `left + (x > threshold ? 1 : 0)`, one load and one add per step. Thresholds are
    /// stored as the largest float32 not above the float64 threshold: for a float32 input `x`,
    /// `x <= t32` exactly when `Double(x) <= t64`, so the float32 compare decides as
    /// scikit-learn does. A leaf tests feature 0 against +∞ and points to itself.
    @usableFromInline
    struct Node: Sendable {
        @usableFromInline var threshold: Float
        @usableFromInline var feature: Int32
        @usableFromInline var left: Int32
    }

    /// Trees walked together.
    @usableFromInline static let lanes = 8

    @usableFromInline let nodes: [Node]
    /// Root node of each tree, padded to a multiple of `lanes` with the sentinel leaf (node 0).
    @usableFromInline let roots: [Int32]
    /// Steps the deepest tree of each group of `lanes` trees needs to reach a leaf.
    @usableFromInline let groupDepths: [Int32]
    /// For each node, the start of its leaf vector in `leafValues` (0 for split nodes).
    @usableFromInline let leafStart: [Int32]
    @usableFromInline let outputOffsets: [Int32]
    @usableFromInline let leafValues: [Double]
    /// Values each leaf adds.
    public let leafWidth: Int
    /// Width of the output row the trees add into.
    public let outputWidth: Int
    /// Input columns.
    public let featureCount: Int
    /// Number of trees.
    public let treeCount: Int

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
        guard featureCount > 0 else { throw .invalidParameters("trees need at least one input feature") }
        let leafNode = { (i: Int) in Node(threshold: .infinity, feature: 0, left: Int32(i)) }
        var nodes: [Node] = [leafNode(0)]  // node 0: the sentinel leaf that pads the last group
        var leafStart: [Int32] = [0]
        var leafValues: [Double] = []
        var roots: [Int32] = []
        var depths: [Int] = []
        let total = trees.reduce(1) { $0 + $1.nodeCount }
        guard total < Int(Int32.max) else { throw .invalidParameters("ensemble too large") }
        nodes.reserveCapacity(total)
        leafStart.reserveCapacity(total)
        for (t, tree) in trees.enumerated() {
            let base = nodes.count
            roots.append(Int32(base))
            // Breadth-first: `order` lists original node ids by new position; children of the
            // node at position p get the next two positions when p is reached.
            var order = [0]
            var depth = [0]
            var position = 0
            while position < order.count {
                let i = order[position]
                let d = depth[position]
                if tree.leftChild[i] == -1 {
                    let vector = leafVector(t, tree.value[(i * tree.valueWidth)..<((i + 1) * tree.valueWidth)])
                    guard vector.count == leafWidth else {
                        throw .invalidParameters("leaf vector of \(vector.count) values, expected \(leafWidth)")
                    }
                    guard leafValues.count < Int(Int32.max) - leafWidth else { throw .invalidParameters("ensemble too large") }
                    leafStart.append(Int32(leafValues.count))
                    leafValues.append(contentsOf: vector)
                    nodes.append(leafNode(base + position))
                } else {
                    guard tree.feature[i] < featureCount else {
                        throw .invalidParameters("tree \(t) tests feature \(tree.feature[i]) of \(featureCount)")
                    }
                    guard order.count + 2 <= tree.nodeCount else {
                        throw .invalidParameters("tree \(t) reaches a node twice")
                    }
                    leafStart.append(0)
                    nodes.append(Node(
                        threshold: Self.float32Threshold(tree.threshold[i]),
                        feature: Int32(tree.feature[i]),
                        left: Int32(base + order.count)))
                    // DecisionTree guarantees children come after their parent, so this ends.
                    order.append(tree.leftChild[i])
                    order.append(tree.rightChild[i])
                    depth.append(d + 1)
                    depth.append(d + 1)
                }
                position += 1
            }
            depths.append(depth.max() ?? 0)
        }
        var groupDepths: [Int32] = []
        for g in stride(from: 0, to: trees.count, by: Self.lanes) {
            groupDepths.append(Int32(depths[g..<min(g + Self.lanes, trees.count)].max() ?? 0))
        }
        while roots.count % Self.lanes != 0 { roots.append(0) }
        self.nodes = nodes
        self.roots = roots
        self.groupDepths = groupDepths
        self.leafStart = leafStart
        self.outputOffsets = outputOffsets.map { Int32($0) }
        self.leafValues = leafValues
        self.leafWidth = leafWidth
        self.outputWidth = outputWidth
        self.featureCount = featureCount
        self.treeCount = trees.count
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
            output.withUnsafeMutableBufferPointer { accumulate(row: UnsafePointer(x32.baseAddress!), into: $0.baseAddress!) }
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
    @inlinable
    public func accumulate(row: UnsafePointer<Float>, into output: UnsafeMutablePointer<Double>) {
        accumulate(rows: row, rowCount: 1, into: output)
    }

    /// Adds every tree's leaf vectors for `rowCount` float32 rows (stride `featureCount`) into
    /// `output` (stride `outputWidth`).
    ///
    /// Rows are taken in blocks and each group of trees is walked for the whole block, so a
    /// group's nodes stay in cache while its rows go through; each row still receives the
    /// trees' leaf vectors in tree order.
    @inlinable
    public func accumulate(rows: UnsafePointer<Float>, rowCount: Int, into output: UnsafeMutablePointer<Double>) {
        let block = 64
        nodes.withUnsafeBufferPointer { nodes in
            leafValues.withUnsafeBufferPointer { leaves in
                leafStart.withUnsafeBufferPointer { leafStart in
                    roots.withUnsafeBufferPointer { roots in
                        outputOffsets.withUnsafeBufferPointer { offsets in
                            var start = 0
                            while start < rowCount {
                                let end = min(start + block, rowCount)
                                for (g, depth) in groupDepths.enumerated() {
                                    let first = g * Self.lanes
                                    let count = min(Self.lanes, treeCount - first)
                                    @inline(__always) func add(_ reached: (Int, Int, Int, Int, Int, Int, Int, Int), _ r: Int) {
                                        let out = output + r * outputWidth
                                        withUnsafeBytes(of: reached) { lanes in
                                            for k in 0..<count {
                                                let node = lanes.load(fromByteOffset: k * MemoryLayout<Int>.stride, as: Int.self)
                                                let vector = leaves.baseAddress! + Int(leafStart[node])
                                                let o = out + Int(offsets[first + k])
                                                for j in 0..<leafWidth { o[j] += vector[j] }
                                            }
                                        }
                                    }
                                    /// One level down for the tree at node `i`, for row `x`.
                                    @inline(__always) func step(_ i: Int, _ x: UnsafePointer<Float>) -> Int {
                                        let n = nodes[i]
                                        return Int(n.left) &+ (x[Int(n.feature)] > n.threshold ? 1 : 0)
                                    }
                                    var r = start
                                    // Two rows at a time: sixteen independent chains hide more of each
                                    // node load's latency than eight.
                                    while r + 1 < end {
                                        let x = rows + r * featureCount, y = x + featureCount
                                        var l0 = Int(roots[first]), l1 = Int(roots[first + 1])
                                        var l2 = Int(roots[first + 2]), l3 = Int(roots[first + 3])
                                        var l4 = Int(roots[first + 4]), l5 = Int(roots[first + 5])
                                        var l6 = Int(roots[first + 6]), l7 = Int(roots[first + 7])
                                        var m0 = l0, m1 = l1, m2 = l2, m3 = l3, m4 = l4, m5 = l5, m6 = l6, m7 = l7
                                        for _ in 0..<Int(depth) {
                                            l0 = step(l0, x); l1 = step(l1, x); l2 = step(l2, x); l3 = step(l3, x)
                                            l4 = step(l4, x); l5 = step(l5, x); l6 = step(l6, x); l7 = step(l7, x)
                                            m0 = step(m0, y); m1 = step(m1, y); m2 = step(m2, y); m3 = step(m3, y)
                                            m4 = step(m4, y); m5 = step(m5, y); m6 = step(m6, y); m7 = step(m7, y)
                                        }
                                        add((l0, l1, l2, l3, l4, l5, l6, l7), r)
                                        add((m0, m1, m2, m3, m4, m5, m6, m7), r + 1)
                                        r += 2
                                    }
                                    if r < end {
                                        let x = rows + r * featureCount
                                        // Eight independent chains, written out so that they stay in registers.
                                        var l0 = Int(roots[first]), l1 = Int(roots[first + 1])
                                        var l2 = Int(roots[first + 2]), l3 = Int(roots[first + 3])
                                        var l4 = Int(roots[first + 4]), l5 = Int(roots[first + 5])
                                        var l6 = Int(roots[first + 6]), l7 = Int(roots[first + 7])
                                        for _ in 0..<Int(depth) {
                                            l0 = step(l0, x); l1 = step(l1, x); l2 = step(l2, x); l3 = step(l3, x)
                                            l4 = step(l4, x); l5 = step(l5, x); l6 = step(l6, x); l7 = step(l7, x)
                                        }
                                        add((l0, l1, l2, l3, l4, l5, l6, l7), r)
                                    }
                                }
                                start = end
                            }
                        }
                    }
                }
            }
        }
    }
}
