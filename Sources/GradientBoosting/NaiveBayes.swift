#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// scikit-learn's naive Bayes classifiers (`GaussianNB`, `MultinomialNB`, `BernoulliNB`).
///
/// Each computes a joint log-likelihood per class (`_joint_log_likelihood`); `predict` is its
/// argmax and `predict_proba` is `exp(jll − logsumexp(jll))`, as scikit-learn does.
public struct NaiveBayesClassifier: Classifier {
    /// The three variants revscoring ships.
    public enum Variant: Sendable, Equatable {
        /// `GaussianNB`: per-class means `theta_` and variances `var_` (`sigma_` before 1.0).
        case gaussian(theta: [Double], variance: [Double], classPrior: [Double])
        /// `MultinomialNB`: `X · feature_log_prob_ᵀ + class_log_prior_`.
        case multinomial(featureLogProbability: [Double], classLogPrior: [Double])
        /// `BernoulliNB`: inputs binarized at `binarize` (when set), then the Bernoulli likelihood.
        case bernoulli(featureLogProbability: [Double], classLogPrior: [Double], binarize: Double?)
    }

    public let featureCount: Int
    public let classCount: Int
    public let variant: Variant
    /// Precomputed per-class constants (Gaussian: `log prior − ½ Σ log(2π var)`; Bernoulli:
    /// `class_log_prior_ + Σ log(1 − p)`), and Bernoulli's `feature_log_prob_ − neg_prob`.
    let classConstants: [Double]
    let weights: [Double]

    /// Creates a classifier; arrays are row-major `classCount × featureCount`.
    public init(variant: Variant, classCount: Int, featureCount: Int) throws(EstimatorError) {
        let size = classCount * featureCount
        guard classCount >= 2 else { throw .invalidParameters("naive Bayes with \(classCount) classes") }
        self.featureCount = featureCount
        self.classCount = classCount
        self.variant = variant
        switch variant {
        case let .gaussian(theta, variance, prior):
            guard theta.count == size, variance.count == size, prior.count == classCount else {
                throw .invalidParameters("GaussianNB arrays do not match \(classCount) classes × \(featureCount) features")
            }
            classConstants = (0..<classCount).map { i in
                let logs = (0..<featureCount).map { log(2.0 * Double.pi * variance[i * featureCount + $0]) }
                return log(prior[i]) + -0.5 * numpySum(logs)
            }
            weights = []
        case let .multinomial(flp, prior):
            guard flp.count == size, prior.count == classCount else {
                throw .invalidParameters("MultinomialNB arrays do not match \(classCount) classes × \(featureCount) features")
            }
            classConstants = prior
            weights = flp
        case let .bernoulli(flp, prior, _):
            guard flp.count == size, prior.count == classCount else {
                throw .invalidParameters("BernoulliNB arrays do not match \(classCount) classes × \(featureCount) features")
            }
            let negative = flp.map { log(1 - exp($0)) }
            weights = zip(flp, negative).map { $0 - $1 }
            classConstants = (0..<classCount).map { i in
                prior[i] + numpySum(Array(negative[(i * featureCount)..<((i + 1) * featureCount)]))
            }
        }
    }

    public func predict(row: UnsafeBufferPointer<Double>) throws(EstimatorError) -> Prediction {
        guard row.count == featureCount else { throw .featureCountMismatch(expected: featureCount, got: row.count) }
        try checkFinite(row, columns: featureCount)
        return prediction(jointLogLikelihood: jointLogLikelihood(row))
    }

    public func predict(batch: Matrix) throws(EstimatorError) -> BatchPrediction {
        try predictEachRow(batch) { prediction(jointLogLikelihood: jointLogLikelihood($0)) }
    }

    func jointLogLikelihood(_ x: UnsafeBufferPointer<Double>) -> [Double] {
        let n = featureCount
        switch variant {
        case let .gaussian(theta, variance, _):
            return (0..<classCount).map { i in
                let terms = (0..<n).map { j -> Double in
                    let d = x[j] - theta[i * n + j]
                    return (d * d) / variance[i * n + j]
                }
                return classConstants[i] - 0.5 * numpySum(terms)
            }
        case .multinomial:
            return weights.withUnsafeBufferPointer { w in
                (0..<classCount).map { i in BLAS.dot(x.baseAddress!, w.baseAddress! + i * n, count: n) + classConstants[i] }
            }
        case let .bernoulli(_, _, threshold):
            var binary = Array(x)
            if let threshold { binary = binary.map { $0 > threshold ? 1 : 0 } }
            return binary.withUnsafeBufferPointer { b in
                weights.withUnsafeBufferPointer { w in
                    (0..<classCount).map { i in BLAS.dot(b.baseAddress!, w.baseAddress! + i * n, count: n) + classConstants[i] }
                }
            }
        }
    }

    func prediction(jointLogLikelihood jll: [Double]) -> Prediction {
        let lse = logSumExp(jll)
        return Prediction(classIndex: argmax(jll), probabilities: jll.map { exp($0 - lse) })
    }
}

/// numpy's `sum` of a contiguous float64 array: pairwise summation with eight accumulators
/// (`pairwise_sum` in numpy's loops), so that sums of many terms round as numpy's do.
public func numpySum(_ values: [Double]) -> Double {
    values.withUnsafeBufferPointer { pairwiseSum($0) }
}

func pairwiseSum(_ a: UnsafeBufferPointer<Double>) -> Double {
    let n = a.count
    if n < 8 {
        var res = 0.0
        for v in a { res += v }
        return res
    }
    if n <= 128 {
        var r = (0..<8).map { a[$0] }
        var i = 8
        while i < n - (n % 8) {
            for j in 0..<8 { r[j] += a[i + j] }
            i += 8
        }
        var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n {
            res += a[i]
            i += 1
        }
        return res
    }
    var n2 = n / 2
    n2 -= n2 % 8
    return pairwiseSum(UnsafeBufferPointer(rebasing: a[0..<n2])) + pairwiseSum(UnsafeBufferPointer(rebasing: a[n2..<n]))
}
