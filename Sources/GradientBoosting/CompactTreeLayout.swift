/// Trees of any shape flattened into one array of 12-byte nodes, walked eight at a time.
///
/// Walking one tree is a chain of dependent loads, so trees are walked eight at a time in
/// lockstep: the eight chains overlap in the memory system instead of waiting on each other.
/// Leaves loop to themselves, so each group simply takes as many steps as its deepest tree,
/// without a data-dependent loop exit to mispredict. This layout serves trees too deep or too
/// sparse for ``PerfectTreeLayout`` (random forests grown without a depth limit).
struct CompactTreeLayout: Sendable {
    /// A node in 12 bytes.
    ///
    /// Each tree is laid out breadth-first so that a node's two children are adjacent: the next
    /// node is `left + (x > threshold ? 1 : 0)`, one load and one add per step. A leaf tests
    /// feature 0 against +∞ and points to itself.
    struct Node: Sendable {
        var threshold: Float
        var feature: Int32
        var left: Int32
    }

    /// Trees walked together.
    static let lanes = 8

    let nodes: [Node]
    /// Root node of each tree, padded to a multiple of `lanes` with the sentinel leaf (node 0).
    let roots: [Int32]
    /// Steps the deepest tree of each group of `lanes` trees needs to reach a leaf.
    let groupDepths: [Int32]
    /// For each node, the start of its leaf vector in `leafValues` (0 for split nodes).
    let leafStart: [Int32]
    let leafValues: [Double]

    /// Flattens `trees`, already checked by ``TreeEnsemble`` (no node reached twice), whose
    /// depths it found.
    init(
        trees: [DecisionTree], depths: [Int], shape: TreeEnsemble.Shape,
        leafVector: (_ tree: Int, _ node: Int) throws(EstimatorError) -> [Double]
    ) throws(EstimatorError) {
        let leafNode = { (i: Int) in Node(threshold: .infinity, feature: 0, left: Int32(i)) }
        var nodes: [Node] = [leafNode(0)]  // node 0: the sentinel leaf that pads the last group
        var leafStart: [Int32] = [0]
        var leafValues: [Double] = []
        var roots: [Int32] = []
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
            var position = 0
            while position < order.count {
                let i = order[position]
                if tree.leftChild[i] == -1 {
                    guard leafValues.count < Int(Int32.max) - shape.leafWidth else { throw .invalidParameters("ensemble too large") }
                    leafStart.append(Int32(leafValues.count))
                    leafValues.append(contentsOf: try leafVector(t, i))
                    nodes.append(leafNode(base + position))
                } else {
                    leafStart.append(0)
                    nodes.append(Node(
                        threshold: TreeEnsemble.float32Threshold(tree.threshold[i]),
                        feature: Int32(tree.feature[i]),
                        left: Int32(base + order.count)))
                    // Each node is reached once, so this ends.
                    order.append(tree.leftChild[i])
                    order.append(tree.rightChild[i])
                }
                position += 1
            }
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
        self.leafValues = leafValues
    }

    /// Adds every tree's leaf vectors for `rowCount` float32 rows (stride `shape.featureCount`)
    /// into `output` (stride `shape.outputWidth`).
    ///
    /// Rows are taken in blocks and each group of trees is walked for the whole block, so a
    /// group's nodes stay in cache while its rows go through; each row still receives the
    /// trees' leaf vectors in tree order.
    func accumulate(rows: UnsafePointer<Float>, rowCount: Int, into output: UnsafeMutablePointer<Double>, shape: TreeEnsemble.Shape) {
        let block = 64
        let featureCount = shape.featureCount, outputWidth = shape.outputWidth, leafWidth = shape.leafWidth
        let treeCount = shape.treeCount
        nodes.withUnsafeBufferPointer { nodes in
            leafValues.withUnsafeBufferPointer { leaves in
                leafStart.withUnsafeBufferPointer { leafStart in
                    roots.withUnsafeBufferPointer { roots in
                        shape.outputOffsets.withUnsafeBufferPointer { offsets in
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
