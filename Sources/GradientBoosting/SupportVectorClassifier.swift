#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// scikit-learn's `SVC` with `probability=True`, computed as its bundled libsvm does.
///
/// Decision values are libsvm's one-vs-one sums (`Σ coef·K(x, sv) − rho`, support vectors in
/// class order); `predict` is libsvm's vote; `predict_proba` is Platt scaling of each pair's
/// decision value followed by libsvm's iterative `multiclass_probability` (also for two
/// classes, as scikit-learn's libsvm has no two-class shortcut).
public struct SupportVectorClassifier: Classifier {
    /// libsvm's kernels.
    public enum Kernel: Sendable, Equatable {
        case linear
        case polynomial(degree: Int, gamma: Double, coef0: Double)
        case rbf(gamma: Double)
        case sigmoid(gamma: Double, coef0: Double)
    }

    /// How libsvm sums the dot products inside kernels: scikit-learn ≥ 0.23 calls BLAS `ddot`,
    /// older versions a plain loop. The two differ in the last bits only.
    public enum DotProduct: Sendable, Equatable {
        case sequential
        case blas
    }

    public let featureCount: Int
    public let classCount: Int
    public let kernel: Kernel
    public let dotProduct: DotProduct
    /// Support vectors, row-major `supportCounts.sum × featureCount`, grouped by class.
    public let supportVectors: [Double]
    /// Support vectors per class (`n_support_`).
    public let supportCounts: [Int]
    /// libsvm's `sv_coef`: `(classCount − 1) × supportVectorCount`.
    public let dualCoefficients: [Double]
    /// `−rho` per class pair (`_intercept_`), pairs in libsvm order (0,1), (0,2), …, (1,2), …
    public let intercepts: [Double]
    /// Platt scaling parameters per pair (`probA_`, `probB_`).
    public let probA: [Double]
    public let probB: [Double]

    var supportVectorCount: Int { supportCounts.reduce(0, +) }

    /// Creates a classifier from libsvm's model arrays.
    public init(
        kernel: Kernel, supportVectors: [Double], supportCounts: [Int], dualCoefficients: [Double],
        intercepts: [Double], probA: [Double], probB: [Double], featureCount: Int, dotProduct: DotProduct
    ) throws(EstimatorError) {
        let k = supportCounts.count
        let pairs = k * (k - 1) / 2
        guard k >= 2, supportCounts.allSatisfy({ $0 >= 0 }) else { throw .invalidParameters("SVC needs at least two classes") }
        let l = supportCounts.reduce(0, +)
        guard supportVectors.count == l * featureCount else {
            throw .invalidParameters("support_vectors_ has \(supportVectors.count) values for \(l) vectors × \(featureCount) features")
        }
        guard dualCoefficients.count == (k - 1) * l else {
            throw .invalidParameters("dual_coef_ has \(dualCoefficients.count) values, expected \((k - 1) * l)")
        }
        guard intercepts.count == pairs, probA.count == pairs, probB.count == pairs else {
            throw .invalidParameters("SVC needs \(pairs) intercepts and Platt parameters (probability=True)")
        }
        self.kernel = kernel
        self.supportVectors = supportVectors
        self.supportCounts = supportCounts
        self.dualCoefficients = dualCoefficients
        self.intercepts = intercepts
        self.probA = probA
        self.probB = probB
        self.featureCount = featureCount
        self.classCount = k
        self.dotProduct = dotProduct
    }

    public func predict(row: UnsafeBufferPointer<Double>) throws(EstimatorError) -> Prediction {
        guard row.count == featureCount else { throw .featureCountMismatch(expected: featureCount, got: row.count) }
        try checkFinite(row, columns: featureCount)
        return prediction(decision: decisionValues(row))
    }

    public func predict(batch: Matrix) throws(EstimatorError) -> BatchPrediction {
        try predictEachRow(batch) { prediction(decision: decisionValues($0)) }
    }

    /// libsvm's `svm_predict_values`: one decision value per class pair.
    func decisionValues(_ x: UnsafeBufferPointer<Double>) -> [Double] {
        let l = supportVectorCount
        let n = featureCount
        var kvalue = [Double](repeating: 0, count: l)
        var difference = [Double](repeating: 0, count: n)
        supportVectors.withUnsafeBufferPointer { sv in
            difference.withUnsafeMutableBufferPointer { scratch in
                for i in 0..<l {
                    kvalue[i] = kernelValue(x, sv.baseAddress! + i * n, scratch: scratch)
                }
            }
        }
        var start = [0]
        for c in 1..<classCount { start.append(start[c - 1] + supportCounts[c - 1]) }
        var decision: [Double] = []
        var p = 0
        for i in 0..<classCount {
            for j in (i + 1)..<classCount {
                var sum = 0.0
                let coef1 = (j - 1) * l, coef2 = i * l
                for k in 0..<supportCounts[i] { sum += dualCoefficients[coef1 + start[i] + k] * kvalue[start[i] + k] }
                for k in 0..<supportCounts[j] { sum += dualCoefficients[coef2 + start[j] + k] * kvalue[start[j] + k] }
                decision.append(sum + intercepts[p])  // sum − rho
                p += 1
            }
        }
        return decision
    }

    private func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        switch dotProduct {
        case .blas: return BLAS.dot(x.baseAddress!, y, count: featureCount)
        case .sequential:
            var s = 0.0
            for i in 0..<featureCount { s += x[i] * y[i] }
            return s
        }
    }

    private func kernelValue(
        _ x: UnsafeBufferPointer<Double>, _ y: UnsafePointer<Double>, scratch: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        switch kernel {
        case .linear: return dot(x, y)
        case let .polynomial(degree, gamma, coef0): return powi(gamma * dot(x, y) + coef0, degree)
        case let .sigmoid(gamma, coef0): return tanh(gamma * dot(x, y) + coef0)
        case let .rbf(gamma):
            var sum = 0.0
            switch dotProduct {
            case .sequential:
                for i in 0..<featureCount {
                    let d = x[i] - y[i]
                    sum += d * d
                }
            case .blas:  // scikit-learn's dense libsvm: ddot of the difference with itself
                for i in 0..<featureCount { scratch[i] = x[i] - y[i] }
                sum = BLAS.dot(scratch.baseAddress!, scratch.baseAddress!, count: featureCount)
            }
            return exp(-gamma * sum)
        }
    }

    /// libsvm's `powi`: exponentiation by squaring.
    private func powi(_ base: Double, _ times: Int) -> Double {
        var tmp = base, ret = 1.0
        var t = times
        while t > 0 {
            if t % 2 == 1 { ret *= tmp }
            tmp = tmp * tmp
            t /= 2
        }
        return ret
    }

    func prediction(decision: [Double]) -> Prediction {
        var votes = [Int](repeating: 0, count: classCount)
        var r = [[Double]](repeating: [Double](repeating: 0, count: classCount), count: classCount)
        let minProbability = 1e-7
        var p = 0
        for i in 0..<classCount {
            for j in (i + 1)..<classCount {
                if decision[p] > 0 { votes[i] += 1 } else { votes[j] += 1 }
                let s = min(max(Self.sigmoidPredict(decision[p], probA[p], probB[p]), minProbability), 1 - minProbability)
                r[i][j] = s
                r[j][i] = 1 - s
                p += 1
            }
        }
        var best = 0
        for c in 1..<classCount where votes[c] > votes[best] { best = c }
        return Prediction(classIndex: best, probabilities: Self.multiclassProbability(r))
    }

    /// libsvm's `sigmoid_predict` (Platt scaling), written to avoid overflow.
    static func sigmoidPredict(_ decision: Double, _ a: Double, _ b: Double) -> Double {
        let fApB = decision * a + b
        if fApB >= 0 { return exp(-fApB) / (1.0 + exp(-fApB)) }
        return 1.0 / (1 + exp(fApB))
    }

    /// libsvm's `multiclass_probability` (Wu, Lin & Weng, method 2), step for step.
    static func multiclassProbability(_ r: [[Double]]) -> [Double] {
        let k = r.count
        let maxIterations = max(100, k)
        let eps = 0.005 / Double(k)
        var p = [Double](repeating: 1.0 / Double(k), count: k)
        var q = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for t in 0..<k {
            q[t][t] = 0
            for j in 0..<t {
                q[t][t] += r[j][t] * r[j][t]
                q[t][j] = q[j][t]
            }
            for j in (t + 1)..<max(t + 1, k) {
                q[t][t] += r[j][t] * r[j][t]
                q[t][j] = -r[j][t] * r[t][j]
            }
        }
        var qp = [Double](repeating: 0, count: k)
        for _ in 0..<maxIterations {
            var pQp = 0.0
            for t in 0..<k {
                qp[t] = 0
                for j in 0..<k { qp[t] += q[t][j] * p[j] }
                pQp += p[t] * qp[t]
            }
            var maxError = 0.0
            for t in 0..<k {
                let error = abs(qp[t] - pQp)
                if error > maxError { maxError = error }
            }
            if maxError < eps { break }
            for t in 0..<k {
                let diff = (-qp[t] + pQp) / q[t][t]
                p[t] += diff
                pQp = (pQp + diff * (diff * q[t][t] + 2 * qp[t])) / (1 + diff) / (1 + diff)
                for j in 0..<k {
                    qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff)
                    p[j] /= (1 + diff)
                }
            }
        }
        return p
    }
}
