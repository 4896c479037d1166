/// scikit-learn's `RandomForestClassifier`: the mean of the trees' class proportions.
///
/// Each tree's `predict_proba` is its leaf's `value` divided by the leaf's total (a zero
/// total divides by one); these are added in tree order from zero and divided by the tree
/// count, as `_accumulate_prediction` does with one job.
public struct RandomForestClassifier: Classifier {
    public let featureCount: Int
    public let classCount: Int
    /// The flattened trees, each adding a normalized class-proportion vector.
    public let ensemble: TreeEnsemble

    /// Creates a forest from classification trees with `classCount` values per node.
    public init(trees: [DecisionTree], classCount: Int, featureCount: Int) throws(EstimatorError) {
        guard !trees.isEmpty else { throw .invalidParameters("random forest without trees") }
        guard classCount >= 1, trees.allSatisfy({ $0.valueWidth == classCount }) else {
            throw .invalidParameters("random forest trees must have \(classCount) values per node")
        }
        self.featureCount = featureCount
        self.classCount = classCount
        self.ensemble = try TreeEnsemble(
            trees: trees, outputOffsets: Array(repeating: 0, count: trees.count), outputWidth: classCount,
            leafWidth: classCount, featureCount: featureCount,
            leafVector: { _, value in
                var total = value.reduce(0, +)
                if total == 0 { total = 1 }
                return value.map { $0 / total }
            })
    }

    public func predict(row: UnsafeBufferPointer<Double>) throws(EstimatorError) -> Prediction {
        guard row.count == featureCount else { throw .featureCountMismatch(expected: featureCount, got: row.count) }
        var sums = [Double](repeating: 0, count: classCount)
        try ensemble.accumulate(scaledRow: row, into: &sums)
        return prediction(sums: sums)
    }

    public func predict(batch: Matrix) throws(EstimatorError) -> BatchPrediction {
        guard batch.columns == featureCount else { throw .featureCountMismatch(expected: featureCount, got: batch.columns) }
        var sums = [Double](repeating: 0, count: batch.rows * classCount)
        try ensemble.accumulate(scaledRows: batch, into: &sums)
        let n = Double(ensemble.treeCount)
        var classIndices = [Int](repeating: 0, count: batch.rows)
        sums.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] /= n }
            for r in 0..<batch.rows {
                classIndices[r] = argmax(UnsafeBufferPointer(rebasing: p[(r * classCount)..<((r + 1) * classCount)]))
            }
        }
        return BatchPrediction(classIndices: classIndices, probabilities: sums, classCount: classCount)
    }

    func prediction(sums: [Double]) -> Prediction {
        let n = Double(ensemble.treeCount)
        let probabilities = sums.map { $0 / n }
        return Prediction(classIndex: argmax(probabilities), probabilities: probabilities)
    }
}
