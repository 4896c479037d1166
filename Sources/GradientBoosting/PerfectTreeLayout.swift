internal import CKernels

/// Trees of bounded depth padded to perfect binary trees of one depth, eight trees interleaved
/// node by node: the layout gradient-boosting ensembles (`max_depth` 3–7) are scored with.
///
/// In a perfect tree the children of node `j` are `2j + 1` and `2j + 2`, so a step needs no
/// child pointer: one threshold, one feature index and the input value, then arithmetic. A
/// leaf above the full depth becomes a subtree whose splits compare against +∞ (always left)
/// and whose leaves all hold the leaf's vector, so every walk takes exactly `depth` steps.
///
/// Eight trees (a group) are stored interleaved: node `j` of lane `k` sits at `j * 8 + k`, so
/// the next position is `2p + (8 − k) + (x > t ? 8 : 0)` with `k` a constant in the unrolled
/// lanes — no per-lane base register — and the top levels of a group's eight trees share
/// cache lines. After `depth` steps, `p − internal` indexes the group's leaf block directly.
/// Thresholds take 4 bytes and feature indices 1 (2 past 256 features), against 12-byte nodes
/// plus a leaf-start table in ``CompactTreeLayout``: padding included, the 700-tree depth-7
/// models take 1.2 MB instead of 1.7, and a step has one load fewer and no branch.
struct PerfectTreeLayout: Sendable {
    /// Trees walked together (and interleaved in memory).
    static let lanes = 8
    /// Deepest trees padded; deeper ensembles use ``CompactTreeLayout``.
    static let maximumDepth = 12
    /// Padding is accepted up to this many times the trees' own nodes…
    static let maximumPadding = 4
    /// …or up to this many padded nodes in all (a few hundred kilobytes).
    static let smallEnough = 1 << 16

    /// Splits on every root-to-leaf path (the deepest tree's depth).
    let depth: Int
    let groupCount: Int
    /// Per group, `(2^depth − 1) × lanes` thresholds (+∞ under padded leaves).
    let thresholds: [Float]
    /// Per group, the feature each threshold tests.
    let features: FeatureIndices
    /// Per group, `2^depth × lanes` leaf vectors of `leafWidth` values.
    let leaves: [Double]
    /// The same trees for the single-row kernel in C (`heap_trees.c`): each tree on its own in
    /// heap order, thresholds as order-preserving keys (see `rs_heap_trees`). Built for
    /// two-class gradient boosting (one value per leaf, one output), one-byte features, where
    /// that kernel runs (x86-64): 5 bytes per padded node more, 448 kB for 700 depth-7 trees.
    let heapNodes: [UInt8]?

    /// The padded depth for `trees` of the given depths, or nil when padding them would be
    /// too deep, too wasteful or the features do not fit 16 bits.
    static func paddedDepth(treeDepths: [Int], nodeCount: Int, featureCount: Int) -> Int? {
        guard let depth = treeDepths.max(), depth <= maximumDepth, featureCount <= Int(UInt16.max) + 1 else { return nil }
        let groups = (treeDepths.count + lanes - 1) / lanes
        let padded = groups * lanes * ((2 << depth) - 1)
        return padded <= maximumPadding * nodeCount || padded <= smallEnough ? depth : nil
    }

    /// Pads and interleaves `trees` (already checked by ``TreeEnsemble``; none deeper than `depth`).
    init(
        trees: [DecisionTree], depth: Int, shape: TreeEnsemble.Shape,
        leafVector: (_ tree: Int, _ node: Int) throws(EstimatorError) -> [Double]
    ) throws(EstimatorError) {
        let lanes = Self.lanes, internalCount = (1 << depth) - 1, leafCount = 1 << depth
        let width = shape.leafWidth
        let groupCount = (trees.count + lanes - 1) / lanes
        var thresholds = [Float](repeating: .infinity, count: groupCount * internalCount * lanes)
        var features = [UInt16](repeating: 0, count: thresholds.count)  // narrowed below
        var leaves = [Double](repeating: 0, count: groupCount * leafCount * lanes * width)
        for (t, tree) in trees.enumerated() {
            let group = t / lanes, lane = t % lanes
            let nodeBase = group * internalCount * lanes + lane
            let leafBase = group * leafCount * lanes + lane
            var stack = [(node: 0, position: 0, depth: 0)]  // position: index in the perfect tree
            while let (i, j, d) = stack.popLast() {
                guard d <= depth else { throw .invalidParameters("tree \(t) is deeper than \(depth)") }
                if tree.leftChild[i] == -1 {
                    let vector = try leafVector(t, i)
                    // Every perfect-tree leaf under j holds this leaf's vector.
                    var first = j
                    for _ in d..<depth { first = 2 * first + 1 }
                    for l in (first - internalCount)..<(first - internalCount + (1 << (depth - d))) {
                        let at = (leafBase + l * lanes) * width
                        for c in 0..<width { leaves[at + c] = vector[c] }
                    }
                } else {
                    // +0 for −0 (they compare equal), so that the sign of `t − x` decides `x > t`.
                    let t32 = TreeEnsemble.float32Threshold(tree.threshold[i])
                    thresholds[nodeBase + j * lanes] = t32 == 0 ? 0 : t32
                    features[nodeBase + j * lanes] = UInt16(tree.feature[i])
                    stack.append((tree.rightChild[i], 2 * j + 2, d + 1))
                    stack.append((tree.leftChild[i], 2 * j + 1, d + 1))
                }
            }
        }
        self.depth = depth
        self.groupCount = groupCount
        self.thresholds = thresholds
        self.features = shape.featureCount <= 256 ? .narrow(features.map { UInt8($0) }) : .wide(features)
        self.leaves = leaves
        self.heapNodes = shape.leafWidth == 1 && shape.outputWidth == 1 && shape.featureCount <= 256
            && Self.singleRowKernelAvailable
            ? Self.heapNodes(thresholds: thresholds, features: features, depth: depth, treeCount: trees.count)
            : nil
    }

    /// Whether this build has the single-row kernel in C (x86-64).
    static var singleRowKernelAvailable: Bool { rs_heap_trees_available() != 0 }

    /// The interleaved thresholds and features re-laid for the single-row kernel: tree `t` at
    /// `t × 5 × 2^depth` bytes, `2^depth` little-endian keys then `2^depth` feature bytes, node
    /// `j` of the interleaved layout at heap position `j + 1`.
    static func heapNodes(thresholds: [Float], features: [UInt16], depth: Int, treeCount: Int) -> [UInt8] {
        let lanes = Self.lanes, internalCount = (1 << depth) - 1, stride = 5 << depth
        var nodes = [UInt8](repeating: 0, count: treeCount * stride)
        for t in 0..<treeCount {
            let tree = t * stride, interleaved = (t / lanes) * internalCount * lanes + t % lanes
            for j in 0..<internalCount {
                var key: UInt32 = 0
                rs_heap_trees_key(thresholds[interleaved + j * lanes], &key)
                let at = tree + 4 * (j + 1)
                for b in 0..<4 { nodes[at + b] = UInt8(truncatingIfNeeded: key >> (8 * b)) }
                nodes[tree + (4 << depth) + j + 1] = UInt8(features[interleaved + j * lanes])
            }
        }
        return nodes
    }

    /// Feature indices: one byte each when the model has at most 256 features (most do), so
    /// that more of the trees stay in cache.
    enum FeatureIndices: Sendable {
        case narrow([UInt8])
        case wide([UInt16])
    }

    /// One group's trees, as the kernels read them.
    struct Group<Feature: FixedWidthInteger & UnsignedInteger> {
        let thresholds: UnsafePointer<Float>
        let features: UnsafePointer<Feature>
        /// Leaf values, offset so that a final position indexes them (times `leafWidth`).
        let leaves: UnsafePointer<Double>
        /// The group's first tree, and how many of its lanes hold trees.
        let first: Int, count: Int

        /// One level down for lane `k` at position `p`, for row `x`.
        ///
        /// `x > t` is read from the sign of `t − x` (exact for finite `x`, +∞ and no −0
        /// thresholds): integer arithmetic that the compiler cannot turn into a branch, which
        /// would mispredict half the time.
        @inline(__always) func step(_ p: UInt32, _ k: UInt32, _ x: UnsafePointer<Float>) -> UInt32 {
            let i = Int(p)
            let right = (thresholds[i] - x[Int(features[i])]).bitPattern >> 31
            return (p &<< 1) &+ (UInt32(lanes) &- k) &+ right &* UInt32(lanes)
        }

        /// Eight walks of row `x` from the roots; the final positions.
        @inline(__always) func walk(_ x: UnsafePointer<Float>, depth: Int) -> Lanes {
            var l0: UInt32 = 0, l1: UInt32 = 1, l2: UInt32 = 2, l3: UInt32 = 3, l4: UInt32 = 4, l5: UInt32 = 5, l6: UInt32 = 6, l7: UInt32 = 7
            for _ in 0..<depth {
                l0 = step(l0, 0, x); l1 = step(l1, 1, x); l2 = step(l2, 2, x); l3 = step(l3, 3, x)
                l4 = step(l4, 4, x); l5 = step(l5, 5, x); l6 = step(l6, 6, x); l7 = step(l7, 7, x)
            }
            return (l0, l1, l2, l3, l4, l5, l6, l7)
        }

        /// Adds the leaf vectors at final positions `reached` into `out`, lane by lane (tree order).
        @inline(__always) func add(_ reached: Lanes, into out: UnsafeMutablePointer<Double>, shape: BorrowedShape) {
            if shape.scalar && count == lanes {
                var s = out[0]
                s += leaves[Int(reached.0)]; s += leaves[Int(reached.1)]; s += leaves[Int(reached.2)]; s += leaves[Int(reached.3)]
                s += leaves[Int(reached.4)]; s += leaves[Int(reached.5)]; s += leaves[Int(reached.6)]; s += leaves[Int(reached.7)]
                out[0] = s
                return
            }
            withUnsafeBytes(of: reached) { reached in
                for k in 0..<count {
                    let p = Int(reached.load(fromByteOffset: k * MemoryLayout<UInt32>.stride, as: UInt32.self))
                    let vector = leaves + p * shape.leafWidth
                    let o = out + Int(shape.outputOffsets[first + k])
                    for j in 0..<shape.leafWidth { o[j] += vector[j] }
                }
            }
        }
    }

    /// Twenty-four walks at once: group `a` with row `x`, `b` with `y`, `c` with `z` (the same
    /// group with three rows in a batch, three groups with one row alone). Twenty-four
    /// independent chains of loads keep the core busy where eight wait on memory.
    @inline(__always) static func walk<Feature>(
        _ a: Group<Feature>, _ x: UnsafePointer<Float>, _ b: Group<Feature>, _ y: UnsafePointer<Float>,
        _ c: Group<Feature>, _ z: UnsafePointer<Float>, depth: Int
    ) -> (Lanes, Lanes, Lanes) {
        var l0: UInt32 = 0, l1: UInt32 = 1, l2: UInt32 = 2, l3: UInt32 = 3, l4: UInt32 = 4, l5: UInt32 = 5, l6: UInt32 = 6, l7: UInt32 = 7
        var m0: UInt32 = 0, m1: UInt32 = 1, m2: UInt32 = 2, m3: UInt32 = 3, m4: UInt32 = 4, m5: UInt32 = 5, m6: UInt32 = 6, m7: UInt32 = 7
        var n0: UInt32 = 0, n1: UInt32 = 1, n2: UInt32 = 2, n3: UInt32 = 3, n4: UInt32 = 4, n5: UInt32 = 5, n6: UInt32 = 6, n7: UInt32 = 7
        for _ in 0..<depth {
            l0 = a.step(l0, 0, x); l1 = a.step(l1, 1, x); l2 = a.step(l2, 2, x); l3 = a.step(l3, 3, x)
            l4 = a.step(l4, 4, x); l5 = a.step(l5, 5, x); l6 = a.step(l6, 6, x); l7 = a.step(l7, 7, x)
            m0 = b.step(m0, 0, y); m1 = b.step(m1, 1, y); m2 = b.step(m2, 2, y); m3 = b.step(m3, 3, y)
            m4 = b.step(m4, 4, y); m5 = b.step(m5, 5, y); m6 = b.step(m6, 6, y); m7 = b.step(m7, 7, y)
            n0 = c.step(n0, 0, z); n1 = c.step(n1, 1, z); n2 = c.step(n2, 2, z); n3 = c.step(n3, 3, z)
            n4 = c.step(n4, 4, z); n5 = c.step(n5, 5, z); n6 = c.step(n6, 6, z); n7 = c.step(n7, 7, z)
        }
        return ((l0, l1, l2, l3, l4, l5, l6, l7), (m0, m1, m2, m3, m4, m5, m6, m7), (n0, n1, n2, n3, n4, n5, n6, n7))
    }

    /// Final positions of a group's eight walks. Positions are 32-bit (a group holds under
    /// 2^16 nodes): measured ~5% faster than `Int` on the 700-tree models.
    typealias Lanes = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// What the kernels read from ``TreeEnsemble/Shape``, its offsets borrowed.
    struct BorrowedShape {
        let featureCount: Int, outputWidth: Int, leafWidth: Int
        let outputOffsets: UnsafePointer<Int32>
        /// Two-class gradient boosting: one value per leaf into one raw score.
        var scalar: Bool { leafWidth == 1 && outputWidth == 1 }
    }

    /// Adds every tree's leaf vectors for `rowCount` float32 rows (stride `shape.featureCount`)
    /// into `output` (stride `shape.outputWidth`).
    ///
    /// A single row walks three groups at a time (twenty-four independent chains of loads). A
    /// batch is taken in blocks of up to 510 rows (a block of `Model`'s scaled rows; 160 kB at
    /// 80 features, in L2) and each group is walked for the whole block, three rows at a time, so a group's
    /// nodes stay in L1 while its rows go through: blocks of 510 rows scored ~6% more rows per
    /// second than blocks of 63 on the 700-tree models (fewer passes over each group's nodes
    /// and leaves). Either way each row receives the trees' leaf vectors in tree order.
    ///
    /// Batches of one-value leaves with one-byte features go to the AVX2 kernel in C
    /// (`CKernels`) when the CPU has AVX2 and `vectorized` allows: it computes the top three
    /// levels of every tree for eight rows at once, then walks on as here, with the same sums.
    /// A single row of two-class gradient boosting goes to the single-row C kernel on x86-64
    /// (``heapNodes``; `vectorized` allows it too), eleven trees at a time, four instructions a step.
    func accumulate(
        rows: UnsafePointer<Float>, rowCount: Int, into output: UnsafeMutablePointer<Double>, shape: TreeEnsemble.Shape,
        vectorized: Bool = true
    ) {
        if vectorized, rowCount > 1, takesVectorKernel(leafWidth: shape.leafWidth),
           accumulateVectorized(rows: rows, rowCount: rowCount, into: output, shape: shape) {
            return
        }
        if vectorized, rowCount == 1, let heapNodes, accumulateSingleRow(rows, into: output, shape: shape, nodes: heapNodes) {
            return
        }
        switch features {
        case .narrow(let f): f.withUnsafeBufferPointer { accumulate(rows: rows, rowCount: rowCount, into: output, shape: shape, features: $0) }
        case .wide(let f): f.withUnsafeBufferPointer { accumulate(rows: rows, rowCount: rowCount, into: output, shape: shape, features: $0) }
        }
    }

    /// Whether this CPU runs the C batch kernel (x86-64 with AVX2).
    static var vectorKernelAvailable: Bool { rs_perfect_trees_kernel_available() != 0 }

    /// Whether batches of these trees go to the C kernel on this CPU: what it takes (one-value
    /// leaves, one-byte features, depth 1…``maximumDepth``) on a CPU that runs it.
    func takesVectorKernel(leafWidth: Int) -> Bool {
        guard leafWidth == 1, case .narrow = features, (1...Self.maximumDepth).contains(depth) else { return false }
        return Self.vectorKernelAvailable
    }

    /// One row through the single-row C kernel; false, having done nothing, when it does not run here.
    private func accumulateSingleRow(
        _ row: UnsafePointer<Float>, into output: UnsafeMutablePointer<Double>, shape: TreeEnsemble.Shape, nodes: [UInt8]
    ) -> Bool {
        nodes.withUnsafeBufferPointer { nodes in
            leaves.withUnsafeBufferPointer { leaves in
                var trees = rs_heap_trees(nodes: nodes.baseAddress, leaves: leaves.baseAddress, depth: depth,
                                          tree_count: shape.treeCount, feature_count: shape.featureCount)
                return rs_heap_trees_sum_row(&trees, row, output) != 0
            }
        }
    }

    /// The C kernel over `rows`; false, having done nothing, when it does not run here.
    private func accumulateVectorized(
        rows: UnsafePointer<Float>, rowCount: Int, into output: UnsafeMutablePointer<Double>, shape: TreeEnsemble.Shape
    ) -> Bool {
        guard case .narrow(let features) = features else { return false }
        let block = rs_perfect_trees_block_rows(rowCount)
        return thresholds.withUnsafeBufferPointer { thresholds in
            features.withUnsafeBufferPointer { features in
                leaves.withUnsafeBufferPointer { leaves in
                    shape.outputOffsets.withUnsafeBufferPointer { offsets in
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: shape.featureCount * block) { transposed in
                            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * Self.lanes * block) { starts in
                                var trees = rs_perfect_trees(
                                    thresholds: thresholds.baseAddress, features: features.baseAddress,
                                    leaves: leaves.baseAddress, output_offsets: offsets.baseAddress,
                                    depth: depth, group_count: groupCount, tree_count: shape.treeCount,
                                    feature_count: shape.featureCount, output_width: shape.outputWidth)
                                return rs_perfect_trees_accumulate(
                                    &trees, rows, rowCount, output, transposed.baseAddress, starts.baseAddress) != 0
                            }
                        }
                    }
                }
            }
        }
    }

    func accumulate<Feature: FixedWidthInteger & UnsignedInteger>(
        rows: UnsafePointer<Float>, rowCount: Int, into output: UnsafeMutablePointer<Double>, shape: TreeEnsemble.Shape,
        features: UnsafeBufferPointer<Feature>
    ) {
        let block = 510, lanes = Self.lanes, depth = self.depth
        let internalCount = ((1 << depth) - 1) * lanes
        let leafBlock = (1 << depth) * lanes * shape.leafWidth
        thresholds.withUnsafeBufferPointer { thresholds in
            do {
                leaves.withUnsafeBufferPointer { leaves in
                    shape.outputOffsets.withUnsafeBufferPointer { offsets in
                        let view = BorrowedShape(featureCount: shape.featureCount, outputWidth: shape.outputWidth,
                                         leafWidth: shape.leafWidth, outputOffsets: offsets.baseAddress!)
                        func group(_ g: Int) -> Group<Feature> {
                            Group(thresholds: thresholds.baseAddress! + g * internalCount,
                                  features: features.baseAddress! + g * internalCount,
                                  leaves: leaves.baseAddress! + g * leafBlock - internalCount * shape.leafWidth,
                                  first: g * lanes, count: min(lanes, shape.treeCount - g * lanes))
                        }
                        if rowCount == 1 {
                            var g = 0
                            while g + 2 < groupCount {
                                let a = group(g), b = group(g + 1), c = group(g + 2)
                                let (l, m, n) = Self.walk(a, rows, b, rows, c, rows, depth: depth)
                                a.add(l, into: output, shape: view)
                                b.add(m, into: output, shape: view)
                                c.add(n, into: output, shape: view)
                                g += 3
                            }
                            while g < groupCount {
                                let a = group(g)
                                a.add(a.walk(rows, depth: depth), into: output, shape: view)
                                g += 1
                            }
                            return
                        }
                        var start = 0
                        while start < rowCount {
                            let end = min(start + block, rowCount)
                            for g in 0..<groupCount {
                                let a = group(g)
                                var r = start
                                while r + 2 < end {
                                    let x = rows + r * shape.featureCount, y = x + shape.featureCount, z = y + shape.featureCount
                                    let (l, m, n) = Self.walk(a, x, a, y, a, z, depth: depth)
                                    a.add(l, into: output + r * shape.outputWidth, shape: view)
                                    a.add(m, into: output + (r + 1) * shape.outputWidth, shape: view)
                                    a.add(n, into: output + (r + 2) * shape.outputWidth, shape: view)
                                    r += 3
                                }
                                while r < end {
                                    a.add(a.walk(rows + r * shape.featureCount, depth: depth),
                                          into: output + r * shape.outputWidth, shape: view)
                                    r += 1
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
