import CKernels

/// Elementwise exp in double precision (Sources/CKernels/exp_kernel.c): fdlibm's algorithm (error
/// below 1 ulp) as one fixed sequence of IEEE operations without fused multiply-adds, vectorised.
/// Unlike the C library's `exp`, an element's bits depend on its own input only, never on the
/// instruction set, the array's length or the element's position in it: what lets the
/// classification kernel take the exponentials of many runs' logits in one call and still give
/// each run a lone run's numbers. Allocates nothing.
public enum Exponential {
    /// y[i] = e^x[i] for i < count; x and y may be the same array.
    @inline(__always)
    public static func exp(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        lrb_exp_f64(x, y, count)
    }

    /// The same with the implementation forced (tests: every instruction set agrees).
    public static func exp(isa: FixedOrder.ISA, _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        lrb_exp_f64_isa(isa.rawValue, x, y, count)
    }
}
