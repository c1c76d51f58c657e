import CKernels
import COpenBLAS

/// A floating-point type with BLAS level-1/2/3 kernels: `Double` (d-prefixed) and `Float` (s-).
///
/// Matrices are row-major and contiguous. Generic code over `BLASScalar` is specialised by the
/// compiler, so a float32 problem runs `sgemm` with no dispatch cost.
public protocol BLASScalar: BinaryFloatingPoint & Sendable {
    /// `x · y`.
    static func dot(_ n: Int, _ x: UnsafePointer<Self>, _ incx: Int, _ y: UnsafePointer<Self>, _ incy: Int) -> Self
    /// `y ← a·x + y`.
    static func axpy(_ n: Int, _ a: Self, _ x: UnsafePointer<Self>, _ incx: Int, _ y: UnsafeMutablePointer<Self>, _ incy: Int)
    /// `x ← a·x`.
    static func scal(_ n: Int, _ a: Self, _ x: UnsafeMutablePointer<Self>, _ incx: Int)
    /// `‖x‖₂`, computed without overflow.
    static func nrm2(_ n: Int, _ x: UnsafePointer<Self>, _ incx: Int) -> Self
    /// `y ← α·op(A)·x + β·y`, A row-major m × n with leading dimension lda.
    static func gemv(transpose: Bool, _ m: Int, _ n: Int, _ alpha: Self, _ a: UnsafePointer<Self>, _ lda: Int,
                     _ x: UnsafePointer<Self>, _ beta: Self, _ y: UnsafeMutablePointer<Self>)
    /// `C ← α·op(A)·op(B) + β·C`, row-major; op(A) is m × k, op(B) is k × n.
    static func gemm(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Self,
                     _ a: UnsafePointer<Self>, _ lda: Int, _ b: UnsafePointer<Self>, _ ldb: Int,
                     _ beta: Self, _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
    /// `C ← (accumulate ? C : 0) + op(A)·B` in fixed order (`FixedOrder`): op(A)[i, p] is
    /// `a[i·rowStride + p·columnStride]`, B and C are row-major; every element one chain of fused
    /// multiply-adds in increasing p, so its bits depend on its own row and column only.
    static func fixedGemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Self>, rowStride: Int, columnStride: Int,
                          _ b: UnsafePointer<Self>, _ ldb: Int, _ c: UnsafeMutablePointer<Self>, _ ldc: Int, accumulate: Bool)
}

@inline(__always) private func t(_ flag: Bool) -> CBLAS_TRANSPOSE { flag ? CblasTrans : CblasNoTrans }

extension Double: BLASScalar {
    @inline(__always) public static func fixedGemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Double>, rowStride: Int, columnStride: Int,
                                                   _ b: UnsafePointer<Double>, _ ldb: Int, _ c: UnsafeMutablePointer<Double>, _ ldc: Int, accumulate: Bool) {
        lrb_fixed_gemm_f64(m, n, k, a, rowStride, columnStride, b, ldb, c, ldc, accumulate ? 1 : 0)
    }
    @inline(__always) public static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ incx: Int, _ y: UnsafePointer<Double>, _ incy: Int) -> Double {
        cblas_ddot(blasint(n), x, blasint(incx), y, blasint(incy))
    }
    @inline(__always) public static func axpy(_ n: Int, _ a: Double, _ x: UnsafePointer<Double>, _ incx: Int, _ y: UnsafeMutablePointer<Double>, _ incy: Int) {
        cblas_daxpy(blasint(n), a, x, blasint(incx), y, blasint(incy))
    }
    @inline(__always) public static func scal(_ n: Int, _ a: Double, _ x: UnsafeMutablePointer<Double>, _ incx: Int) {
        cblas_dscal(blasint(n), a, x, blasint(incx))
    }
    @inline(__always) public static func nrm2(_ n: Int, _ x: UnsafePointer<Double>, _ incx: Int) -> Double {
        cblas_dnrm2(blasint(n), x, blasint(incx))
    }
    @inline(__always) public static func gemv(transpose: Bool, _ m: Int, _ n: Int, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int,
                                              _ x: UnsafePointer<Double>, _ beta: Double, _ y: UnsafeMutablePointer<Double>) {
        cblas_dgemv(CblasRowMajor, t(transpose), blasint(m), blasint(n), alpha, a, blasint(lda), x, 1, beta, y, 1)
    }
    @inline(__always) public static func gemm(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                                              _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
                                              _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        cblas_dgemm(CblasRowMajor, t(transposeA), t(transposeB), blasint(m), blasint(n), blasint(k), alpha,
                    a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}

extension Float: BLASScalar {
    @inline(__always) public static func fixedGemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                                                   _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, accumulate: Bool) {
        lrb_fixed_gemm_f32(m, n, k, a, rowStride, columnStride, b, ldb, c, ldc, accumulate ? 1 : 0)
    }
    @inline(__always) public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ incx: Int, _ y: UnsafePointer<Float>, _ incy: Int) -> Float {
        cblas_sdot(blasint(n), x, blasint(incx), y, blasint(incy))
    }
    @inline(__always) public static func axpy(_ n: Int, _ a: Float, _ x: UnsafePointer<Float>, _ incx: Int, _ y: UnsafeMutablePointer<Float>, _ incy: Int) {
        cblas_saxpy(blasint(n), a, x, blasint(incx), y, blasint(incy))
    }
    @inline(__always) public static func scal(_ n: Int, _ a: Float, _ x: UnsafeMutablePointer<Float>, _ incx: Int) {
        cblas_sscal(blasint(n), a, x, blasint(incx))
    }
    @inline(__always) public static func nrm2(_ n: Int, _ x: UnsafePointer<Float>, _ incx: Int) -> Float {
        cblas_snrm2(blasint(n), x, blasint(incx))
    }
    @inline(__always) public static func gemv(transpose: Bool, _ m: Int, _ n: Int, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
                                              _ x: UnsafePointer<Float>, _ beta: Float, _ y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, t(transpose), blasint(m), blasint(n), alpha, a, blasint(lda), x, 1, beta, y, 1)
    }
    @inline(__always) public static func gemm(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                                              _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                                              _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, t(transposeA), t(transposeB), blasint(m), blasint(n), blasint(k), alpha,
                    a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}
