import CKernels

/// Elementwise exp and log in double precision (Sources/CKernels/vector_math.c): fdlibm's
/// algorithms (errors below 1 ulp) as fixed sequences of IEEE and integer operations without
/// fused multiply-adds, vectorised. Unlike the C library's, an element's bits depend on its own
/// input only, never on the instruction set, the array's length or the element's position in
/// it: what lets the classification kernel take the exponentials and logs of many runs' logits
/// in one call and still give each run a lone run's numbers. Allocates nothing.
public enum VectorMath {
    /// y[i] = e^x[i] for i < count; x and y may be the same array.
    @inline(__always)
    public static func exp(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        lrb_exp_f64(x, y, count)
    }

    /// y[i] = ln x[i] for i < count; x and y may be the same array.
    @inline(__always)
    public static func log(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        lrb_log_f64(x, y, count)
    }

    /// `exp` with the implementation forced (tests: every instruction set agrees).
    public static func exp(isa: FixedOrder.ISA, _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        lrb_exp_f64_isa(isa.rawValue, x, y, count)
    }

    /// `log` with the implementation forced.
    public static func log(isa: FixedOrder.ISA, _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        lrb_log_f64_isa(isa.rawValue, x, y, count)
    }
}
