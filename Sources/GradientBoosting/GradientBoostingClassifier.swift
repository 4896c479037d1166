#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// scikit-learn's `GradientBoostingClassifier`: stages of regression trees on a raw score.
///
/// `raw = init; for stage: raw[k] += learning_rate * tree[stage][k](x)` — with the float32
/// input cast and the stage order of scikit-learn's `predict_stages` — then the loss's link:
/// the logistic function for two classes, softmax for more.
public struct GradientBoostingClassifier: Classifier {
    /// How `predict` turns raw scores into a class, which changed across scikit-learn versions.
    public enum DecisionRule: Sendable, Equatable {
        /// scikit-learn ≥ 1.1 (`_loss` era): binary `raw >= 0`, multi-class `argmax(raw)`.
        case rawScore
        /// scikit-learn ≤ 1.0 (`loss_` era): `argmax(predict_proba)`, the first class on ties.
        case argmaxProbability
    }

    /// How raw scores become probabilities for more than two classes.
    public enum MulticlassLink: Sendable, Equatable {
        /// `exp(raw - max) / sum(exp(raw - max))` (scikit-learn ≥ 0.21).
        case softmax
        /// `exp(raw - logsumexp(raw))` (MultinomialDeviance of scikit-learn ≤ 0.20).
        case expMinusLogSumExp
    }

    public let featureCount: Int
    public let classCount: Int
    /// Trees per stage: 1 for two classes, else one per class.
    public let treesPerStage: Int
    /// Number of boosting stages.
    public let stageCount: Int
    /// `learning_rate`.
    public let learningRate: Double
    /// The initial raw score (from `init_`), one per tree column.
    public let initialRawPrediction: [Double]
    /// See ``DecisionRule``.
    public let decisionRule: DecisionRule
    /// See ``MulticlassLink``.
    public let multiclassLink: MulticlassLink
    /// The flattened trees, stage-major.
    public let ensemble: TreeEnsemble

    /// Creates a classifier from its stages (`estimators_`, shape `stages × treesPerStage`).
    public init(
        stages: [[DecisionTree]], learningRate: Double, initialRawPrediction: [Double],
        classCount: Int, featureCount: Int, decisionRule: DecisionRule = .rawScore,
        multiclassLink: MulticlassLink = .softmax
    ) throws(EstimatorError) {
        guard classCount >= 2 else { throw .invalidParameters("gradient boosting with \(classCount) classes") }
        let k = classCount == 2 ? 1 : classCount
        guard stages.allSatisfy({ $0.count == k }) else {
            throw .invalidParameters("every stage must have \(k) trees for \(classCount) classes")
        }
        guard initialRawPrediction.count == k else {
            throw .invalidParameters("initial prediction has \(initialRawPrediction.count) values, expected \(k)")
        }
        guard learningRate.isFinite, initialRawPrediction.allSatisfy(\.isFinite) else {
            throw .invalidParameters("learning rate or initial prediction is not finite")
        }
        let trees = stages.flatMap { $0 }
        guard trees.allSatisfy({ $0.valueWidth == 1 }) else {
            throw .invalidParameters("gradient boosting trees must be regression trees (one value per node)")
        }
        self.featureCount = featureCount
        self.classCount = classCount
        self.treesPerStage = k
        self.stageCount = stages.count
        self.learningRate = learningRate
        self.initialRawPrediction = initialRawPrediction
        self.decisionRule = decisionRule
        self.multiclassLink = multiclassLink
        // predict_stages adds `scale * value`: the product is rounded the same way here, once.
        self.ensemble = try TreeEnsemble(
            trees: trees, outputOffsets: trees.indices.map { $0 % k }, outputWidth: k, leafWidth: 1,
            featureCount: featureCount, leafVector: { _, value in [learningRate * value[value.startIndex]] })
    }

    public func predict(row: UnsafeBufferPointer<Double>) throws(EstimatorError) -> Prediction {
        guard row.count == featureCount else { throw .featureCountMismatch(expected: featureCount, got: row.count) }
        var raw = initialRawPrediction
        try ensemble.accumulate(scaledRow: row, into: &raw)
        return prediction(raw: raw)
    }

    public func predict(batch: Matrix) throws(EstimatorError) -> BatchPrediction {
        guard batch.columns == featureCount else { throw .featureCountMismatch(expected: featureCount, got: batch.columns) }
        let k = treesPerStage
        var raw = [Double](repeating: 0, count: batch.rows * k)
        for r in 0..<batch.rows { for j in 0..<k { raw[r * k + j] = initialRawPrediction[j] } }
        try ensemble.accumulate(scaledRows: batch, into: &raw)
        if k == 1 {
            // Two classes: the raw score of each row becomes [1 − p, p] in place of a new array.
            var classIndices = [Int](repeating: 0, count: batch.rows)
            var probabilities = [Double](repeating: 0, count: batch.rows * 2)
            for r in 0..<batch.rows {
                let p1 = expit(raw[r])
                probabilities[2 * r] = 1 - p1
                probabilities[2 * r + 1] = p1
                switch decisionRule {
                case .rawScore: classIndices[r] = raw[r] >= 0 ? 1 : 0
                case .argmaxProbability: classIndices[r] = p1 > 1 - p1 ? 1 : 0  // argmax, first on ties
                }
            }
            return BatchPrediction(classIndices: classIndices, probabilities: probabilities, classCount: 2)
        }
        return BatchPrediction((0..<batch.rows).map { r in prediction(raw: Array(raw[(r * k)..<((r + 1) * k)])) },
                               classCount: classCount)
    }

    /// Probabilities and class from the raw scores of one row.
    func prediction(raw: [Double]) -> Prediction {
        if treesPerStage == 1 {
            let p1 = expit(raw[0])
            let probabilities = [1 - p1, p1]
            switch decisionRule {
            case .rawScore: return Prediction(classIndex: raw[0] >= 0 ? 1 : 0, probabilities: probabilities)
            case .argmaxProbability: return Prediction(classIndex: argmax(probabilities), probabilities: probabilities)
            }
        }
        let probabilities: [Double]
        switch multiclassLink {
        case .softmax: probabilities = softmax(raw)
        case .expMinusLogSumExp:
            let lse = logSumExp(raw)
            probabilities = raw.map { exp($0 - lse) }
        }
        switch decisionRule {
        case .rawScore: return Prediction(classIndex: argmax(raw), probabilities: probabilities)
        case .argmaxProbability: return Prediction(classIndex: argmax(probabilities), probabilities: probabilities)
        }
    }
}

/// scipy's `expit`: `1 / (1 + exp(-x))`.
@inlinable
public func expit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

/// scipy's / scikit-learn's `softmax` of one row: `exp(x - max) / sum`, summed in order.
public func softmax(_ x: [Double]) -> [Double] {
    guard let maximum = x.max() else { return [] }
    let e = x.map { exp($0 - maximum) }
    let sum = e.reduce(0, +)
    return e.map { $0 / sum }
}

/// scipy's `logsumexp` of one row: `log(sum(exp(x - max))) + max`.
public func logSumExp(_ x: [Double]) -> Double {
    guard let maximum = x.max(), maximum.isFinite else { return x.max() ?? -.infinity }
    return log(x.reduce(0) { $0 + exp($1 - maximum) }) + maximum
}
