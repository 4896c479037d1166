internal import CBLAS

/// Controls for the BLAS library (OpenBLAS) that linear kernels use.
public enum BLAS {
    /// Sets how many threads OpenBLAS may use. Callers that already parallelise over rows or
    /// requests should set 1, so that BLAS threads do not fight their tasks for cores.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(clamping: max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// `a · b` over `count` values.
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        cblas_ddot(Int32(count), a, 1, b, 1)
    }

    /// `y (m) = a (m×n) · x (n)`, `a` row-major.
    static func multiply(_ a: UnsafePointer<Double>, _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, m: Int, n: Int) {
        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), 1.0, a, Int32(n), x, 1, 0.0, y, 1)
    }

    /// `c (m×n) = a (m×k) · bᵀ (b is n×k)`, all row-major.
    static func multiplyTransposed(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        m: Int, n: Int, k: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
            1.0, a, Int32(k), b, Int32(k), 0.0, c, Int32(n))
    }
}
