import Testing
@testable import GradientBoosting

@Suite("Decision trees")
struct TreeTests {
    /// A stump: x[0] <= t goes left (value 1), else right (value 2).
    func stump(threshold: Double) throws -> DecisionTree {
        try DecisionTree(
            leftChild: [1, -1, -1], rightChild: [2, -1, -1], feature: [0, -2, -2],
            threshold: [threshold, -2, -2], value: [0, 1, 2], valueWidth: 1, featureCount: 1)
    }

    @Test("inputs are cast to float32 and compared <= to the float64 threshold")
    func float32Comparison() throws {
        // 0.1 as float32 is 0.100000001490116…, above the float64 0.1: scikit-learn sends it right.
        let gb = try GradientBoostingClassifier(
            stages: [[try stump(threshold: 0.1)]], learningRate: 1, initialRawPrediction: [0],
            classCount: 2, featureCount: 1)
        let right = try gb.predict([0.1])
        #expect(right.probabilities[1] == expit(2))
        // A threshold exactly at a float32 value: the equal input goes left.
        let t = Double(Float(0.3))
        let gb2 = try GradientBoostingClassifier(
            stages: [[try stump(threshold: t)]], learningRate: 1, initialRawPrediction: [0],
            classCount: 2, featureCount: 1)
        #expect(try gb2.predict([t]).probabilities[1] == expit(1))
        #expect(try gb2.predict([t.nextUp]).probabilities[1] == expit(1))  // rounds onto t in float32
        #expect(try gb2.predict([Double(Float(t).nextUp)]).probabilities[1] == expit(2))
    }

    @Test("float32 thresholds decide exactly as float64 ones for float32 inputs")
    func thresholdRounding() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<10_000 {
            let t = Double(bitPattern: generator.next() & 0x3FFF_FFFF_FFFF_FFFF) * (generator.next() & 1 == 0 ? 1 : -1)
            guard t.isFinite else { continue }
            let t32 = TreeEnsemble.float32Threshold(t)
            for x in [Float(t), Float(t).nextUp, Float(t).nextDown] where x.isFinite {
                #expect((x <= t32) == (Double(x) <= t), "t=\(t) x=\(x)")
            }
        }
    }

    @Test("malformed trees are refused with a reason")
    func malformed() {
        #expect(throws: EstimatorError.self) {  // a child pointing back to its parent: a cycle
            try DecisionTree(leftChild: [1, 0], rightChild: [1, -1], feature: [0, 0], threshold: [0, 0],
                             value: [0, 0], valueWidth: 1, featureCount: 1)
        }
        #expect(throws: EstimatorError.self) {  // a feature beyond the input
            try DecisionTree(leftChild: [1, -1, -1], rightChild: [2, -1, -1], feature: [5, -2, -2],
                             threshold: [0, 0, 0], value: [0, 0, 0], valueWidth: 1, featureCount: 1)
        }
        #expect(throws: EstimatorError.self) {  // value array too short
            try DecisionTree(leftChild: [-1], rightChild: [-1], feature: [-2], threshold: [-2],
                             value: [], valueWidth: 1, featureCount: 1)
        }
    }

    @Test("NaN, infinity and float32 overflow are refused")
    func badInputs() throws {
        let gb = try GradientBoostingClassifier(
            stages: [[try stump(threshold: 0)]], learningRate: 1, initialRawPrediction: [0], classCount: 2, featureCount: 1)
        #expect(throws: EstimatorError.nonFiniteValue(row: 0, column: 0)) { try gb.predict([.nan]) }
        #expect(throws: EstimatorError.nonFiniteValue(row: 0, column: 0)) { try gb.predict([-.infinity]) }
        #expect(throws: EstimatorError.valueTooLargeForFloat32(row: 0, column: 0, value: 1e300)) { try gb.predict([1e300]) }
        #expect(throws: EstimatorError.featureCountMismatch(expected: 1, got: 2)) { try gb.predict([1, 2]) }
    }

    @Test("batch scoring equals row-by-row scoring, bit for bit")
    func batchEqualsSingle() throws {
        var generator = SplitMix64(seed: 42)
        let features = 6
        func randomTree(depth: Int) throws -> DecisionTree {
            var left: [Int] = [], right: [Int] = [], feature: [Int] = [], threshold: [Double] = [], value: [Double] = []
            func build(_ d: Int) -> Int {
                let i = left.count
                left.append(-1); right.append(-1); feature.append(-2); threshold.append(-2)
                value.append(Double(Int(generator.next() % 2001)) / 1000 - 1)
                if d < depth {
                    feature[i] = Int(generator.next() % UInt64(features))
                    threshold[i] = Double(Int(generator.next() % 2001)) / 1000 - 1
                    left[i] = build(d + 1)
                    right[i] = build(d + 1)
                }
                return i
            }
            _ = build(0)
            return try DecisionTree(leftChild: left, rightChild: right, feature: feature, threshold: threshold,
                                    value: value, valueWidth: 1, featureCount: features)
        }
        let stages = try (0..<50).map { _ in try (0..<3).map { _ in try randomTree(depth: 4) } }
        let gb = try GradientBoostingClassifier(
            stages: stages, learningRate: 0.1, initialRawPrediction: [0.1, -0.2, 0.3], classCount: 3, featureCount: features)
        // 301 rows: blocks of 64 and an odd last block (rows are walked two at a time, then one).
        let rows = (0..<301).map { _ in (0..<features).map { _ in Double(Int(generator.next() % 4001)) / 2000 - 1 } }
        let batch = try gb.predict(batch: Matrix(rows: rows, columns: features))
        let single = try rows.map { try gb.predict($0) }
        #expect((0..<batch.count).map { batch[$0] } == single)
        #expect(single.allSatisfy { abs($0.probabilities.reduce(0, +) - 1) < 1e-12 })
    }

    /// A random tree of at most `depth` levels whose leaves come early at random, with
    /// thresholds drawn from a small grid (so inputs often equal them) that includes −0.
    static func unbalancedTree(
        depth: Int, features: Int, valueWidth: Int, generator: inout SplitMix64
    ) throws -> DecisionTree {
        var left: [Int] = [], right: [Int] = [], feature: [Int] = [], threshold: [Double] = [], value: [Double] = []
        func build(_ d: Int, _ generator: inout SplitMix64) -> Int {
            let i = left.count
            left.append(-1); right.append(-1); feature.append(-2); threshold.append(-2)
            for _ in 0..<valueWidth { value.append(Double(Int(generator.next() % 2001)) / 1000 - 1) }
            if d < depth && generator.next() % 5 != 0 {
                feature[i] = Int(generator.next() % UInt64(features))
                threshold[i] = [-0.0, 0.5, -0.5, 1e-40, 3e38, 1e300][Int(generator.next() % 6)]
                if generator.next() % 2 == 0 { threshold[i] = Double(Int(generator.next() % 21)) / 10 - 1 }
                left[i] = build(d + 1, &generator)
                right[i] = build(d + 1, &generator)
            }
            return i
        }
        _ = build(0, &generator)
        return try DecisionTree(leftChild: left, rightChild: right, feature: feature, threshold: threshold,
                                value: value, valueWidth: valueWidth, featureCount: features)
    }

    /// Values the kernels' edge cases hide in: zeros of both signs, subnormals, near-overflow
    /// values, and values equal to the thresholds `unbalancedTree` draws.
    static let kernelGrid: [Float] = [0, -0.0, 0.5, -0.5, 1e-40, 3e38, -3e38, 0.1, -1]

    /// `count` inputs for comparing two kernels: half from `grid`, half on the thresholds' tenths.
    static func kernelInputs(_ count: Int, grid: [Float] = kernelGrid, generator: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in
            generator.next() % 2 == 0 ? grid[Int(generator.next() % UInt64(grid.count))]
                                      : Float(Int(generator.next() % 25)) / 10 - 1.2
        }
    }

    @Test("perfect and compact layouts add the same leaves, bit for bit, for every row count and tree count")
    func layoutsAgree() throws {
        var generator = SplitMix64(seed: 2026)
        var perfectSeen = 0
        // 300 features: feature indices take two bytes instead of one.
        for (features, treeCount) in [1, 7, 8, 9, 16, 23, 24, 25, 41].map({ (5, $0) }) + [(300, 9), (300, 25)] {
            for (leafWidth, outputWidth) in [(1, 1), (1, 3), (3, 3)] {
                let depth = Int(generator.next() % 7)
                let trees = try (0..<treeCount).map { _ in
                    try Self.unbalancedTree(depth: depth, features: features, valueWidth: leafWidth, generator: &generator)
                }
                let offsets = trees.indices.map { leafWidth == 1 ? $0 % outputWidth : 0 }
                func ensemble(compact: Bool) throws -> TreeEnsemble {
                    try TreeEnsemble(trees: trees, outputOffsets: offsets, outputWidth: outputWidth, leafWidth: leafWidth,
                                     featureCount: features, preferCompact: compact, leafVector: { t, v in v.map { $0 * Double(t + 1) } })
                }
                let perfect = try ensemble(compact: false), compact = try ensemble(compact: true)
                #expect(compact.layout == .compact)
                if case .perfect = perfect.layout { perfectSeen += 1 }
                for rowCount in [1, 2, 3, 4, 62, 63, 64, 130, 509, 510, 511, 1100] {  // around both layouts' blocks
                    let rows = Self.kernelInputs(rowCount * features, generator: &generator)
                    func scores(_ e: TreeEnsemble) -> [Double] {
                        var out = (0..<(rowCount * outputWidth)).map { Double($0 % 3) - 1 }
                        rows.withUnsafeBufferPointer { x in
                            out.withUnsafeMutableBufferPointer { e.accumulate(rows: x.baseAddress!, rowCount: rowCount, into: $0.baseAddress!) }
                        }
                        return out
                    }
                    let a = scores(perfect), b = scores(compact)
                    let difference = a.indices.first { a[$0].bitPattern != b[$0].bitPattern }
                    #expect(difference == nil, "trees \(treeCount), depth \(depth), rows \(rowCount), widths \(leafWidth)/\(outputWidth): output \(difference ?? 0) differs")
                }
            }
        }
        #expect(perfectSeen > 20)  // of 33 ensembles
    }

    @Test(
        "the AVX2 batch kernel adds the same leaves as the Swift kernel, bit for bit",
        .enabled(if: PerfectTreeLayout.vectorKernelAvailable, "this CPU has no AVX2: the C batch kernel never runs here")
    )
    func vectorKernelAgrees() throws {
        var generator = SplitMix64(seed: 7)
        var checked = 0
        // Depths below, at and past the three levels the kernel computes eight rows at a time;
        // 200 features still take one byte; partial last groups; several output columns.
        for (depth, features, treeCount, outputWidth) in [
            (1, 5, 3, 1), (2, 5, 9, 1), (3, 7, 8, 1), (4, 7, 17, 1), (7, 200, 24, 1), (7, 80, 41, 1),
            (9, 30, 10, 1), (5, 12, 25, 3), (3, 5, 8, 2),
        ] {
            let trees = try (0..<treeCount).map { _ in
                try Self.unbalancedTree(depth: depth, features: features, valueWidth: 1, generator: &generator)
            }
            let ensemble = try TreeEnsemble(
                trees: trees, outputOffsets: trees.indices.map { $0 % outputWidth }, outputWidth: outputWidth,
                leafWidth: 1, featureCount: features, leafVector: { t, v in v.map { $0 / Double(t + 3) } })
            guard ensemble.usesVectorKernel else { continue }
            checked += 1
            for rowCount in [2, 3, 7, 8, 9, 511, 512, 513, 1100] {  // around the kernel's vectors and blocks
                let rows = Self.kernelInputs(rowCount * features, generator: &generator)
                func scores(vectorized: Bool) -> [Double] {
                    var out = (0..<(rowCount * outputWidth)).map { Double($0 % 5) - 2 }
                    rows.withUnsafeBufferPointer { x in
                        out.withUnsafeMutableBufferPointer {
                            ensemble.accumulate(rows: x.baseAddress!, rowCount: rowCount, into: $0.baseAddress!, vectorized: vectorized)
                        }
                    }
                    return out
                }
                let a = scores(vectorized: true), b = scores(vectorized: false)
                let difference = a.indices.first { a[$0].bitPattern != b[$0].bitPattern }
                #expect(difference == nil, "depth \(depth), trees \(treeCount), rows \(rowCount): output \(difference ?? 0) differs")
            }
        }
        #expect(checked >= 8)  // of 9 ensembles; 9 deep with early leaves may be compact
    }

    @Test(
        "the single-row kernel (x86-64) adds the same leaves as the Swift kernel, bit for bit",
        .enabled(if: PerfectTreeLayout.singleRowKernelAvailable, "no single-row C kernel in this build (not x86-64)")
    )
    func singleRowKernelAgrees() throws {
        var generator = SplitMix64(seed: 11)
        var checked = 0
        // Every depth the kernel is specialized for; tree counts around its groups of eleven
        // (and the interleaved layout's eight); 1 and 256 features.
        for depth in 1...12 {
            for (treeCount, features) in [(1, 3), (10, 5), (11, 7), (12, 80), (23, 256), (34, 1)] where depth <= 9 || treeCount <= 12 {
                let trees = try (0..<treeCount).map { _ in
                    try Self.unbalancedTree(depth: depth, features: features, valueWidth: 1, generator: &generator)
                }
                let ensemble = try TreeEnsemble(
                    trees: trees, outputOffsets: Array(repeating: 0, count: treeCount), outputWidth: 1,
                    leafWidth: 1, featureCount: features, leafVector: { t, v in v.map { $0 / Double(t + 3) - 0.1 } })
                guard case .perfect = ensemble.layout else { continue }
                checked += 1
                for row in 0..<40 {
                    let x = Self.kernelInputs(features, grid: [0, -0.0, 0.5, -0.5, 1e-40, -1e-40, 3e38, -3e38, 0.1, -1], generator: &generator)
                    func score(vectorized: Bool) -> Double {
                        var out = [Double(row % 3) - 1]
                        x.withUnsafeBufferPointer { x in
                            out.withUnsafeMutableBufferPointer {
                                ensemble.accumulate(rows: x.baseAddress!, rowCount: 1, into: $0.baseAddress!, vectorized: vectorized)
                            }
                        }
                        return out[0]
                    }
                    let a = score(vectorized: true), b = score(vectorized: false)
                    #expect(a.bitPattern == b.bitPattern, "depth \(depth), trees \(treeCount), features \(features), row \(row): \(a) vs \(b)")
                }
            }
        }
        #expect(checked >= 40)
    }

    @Test("deep or sparse ensembles keep the compact layout")
    func layoutChoice() throws {
        /// A chain `depth` splits deep: each split's right child is a leaf.
        func chain(_ depth: Int) throws -> DecisionTree {
            let n = 2 * depth + 1
            var l = [Int](repeating: -1, count: n), r = [Int](repeating: -1, count: n)
            for i in 0..<depth { l[2 * i] = 2 * i + 2; r[2 * i] = 2 * i + 1 }
            return try DecisionTree(leftChild: l, rightChild: r, feature: [Int](repeating: 0, count: n),
                                    threshold: [Double](repeating: 0, count: n), value: [Double](repeating: 1, count: n),
                                    valueWidth: 1, featureCount: 1)
        }
        func layout(_ trees: [DecisionTree]) throws -> TreeEnsemble.Layout {
            try TreeEnsemble(trees: trees, outputOffsets: trees.map { _ in 0 }, outputWidth: 1, leafWidth: 1,
                             featureCount: 1, leafVector: { _, v in Array(v) }).layout
        }
        #expect(try layout([try chain(13)]) == .compact)  // deeper than the perfect layout pads
        #expect(try layout([try chain(12)]) == .perfect(depth: 12))  // small enough to pad anyway
        // 100 chains 10 deep: 2,100 nodes would become 213,928, over four times as many.
        #expect(try layout(Array(repeating: try chain(10), count: 100)) == .compact)
        #expect(try layout(Array(repeating: try chain(3), count: 100)) == .perfect(depth: 3))
        #expect(try layout([try stump(threshold: 0)]) == .perfect(depth: 1))
    }
}
