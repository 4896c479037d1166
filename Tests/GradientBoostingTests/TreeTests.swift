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
}
