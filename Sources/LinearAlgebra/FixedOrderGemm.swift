import CKernels

/// Fixed-order matrix products (Sources/CKernels/include/ckernels.h): for every i < m, j < n,
/// C[i·ldc + j] ← s_k with s₀ = (accumulate ? C[i·ldc + j] : 0) and
/// s_{p+1} = fma(A[i·rowStride + p·columnStride], B[p·ldb + j], s_p) in increasing p.
///
/// Unlike BLAS, an element's bits depend on its own row of op(A), its own column of B and k only
/// (not on m, n, its column's position, the tiling or the instruction set), so K runs that
/// share one product X · [W₁ … W_K] get exactly a lone run's numbers. Allocates nothing.
public enum FixedOrder {
    /// The instruction set the products use on this machine: "avx512", "avx2" or "scalar".
    public static var instructionSet: String { String(cString: lrb_fixed_gemm_isa()) }

    /// The implementations a test can force (`BLASScalar.fixedGemm(isa:...)`).
    public enum ISA: Int32, CaseIterable, Sendable {
        case scalar = 0, avx2 = 1, avx512 = 2
        /// Whether this machine has it (else a forced call falls back to the best it has).
        public var isSupported: Bool { lrb_fixed_gemm_supports(rawValue) != 0 }
    }
}

extension Double {
    /// `FixedOrder`'s product in double precision, with the implementation forced (tests).
    public static func fixedGemm(isa: FixedOrder.ISA, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Double>,
                                 rowStride: Int, columnStride: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
                                 _ c: UnsafeMutablePointer<Double>, _ ldc: Int, accumulate: Bool) {
        lrb_fixed_gemm_f64_isa(isa.rawValue, m, n, k, a, rowStride, columnStride, b, ldb, c, ldc, accumulate ? 1 : 0)
    }
}

extension Float {
    /// `FixedOrder`'s product in single precision, with the implementation forced (tests).
    public static func fixedGemm(isa: FixedOrder.ISA, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>,
                                 rowStride: Int, columnStride: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                                 _ c: UnsafeMutablePointer<Float>, _ ldc: Int, accumulate: Bool) {
        lrb_fixed_gemm_f32_isa(isa.rawValue, m, n, k, a, rowStride, columnStride, b, ldb, c, ldc, accumulate ? 1 : 0)
    }
}
