// Small helpers shared by the optimizers: buffer allocation and the element-wise kernels
// PyTorch uses (lerp, sign). Parameters are read and written by each method's ParameterTable.

/// Allocates `n` doubles holding a copy of `source` (at least one slot, so that an empty problem
/// still has a valid pointer to deallocate).
@inline(__always)
func allocateCopy(of source: UnsafeBufferPointer<Double>) -> UnsafeMutablePointer<Double> {
    let p = UnsafeMutablePointer<Double>.allocate(capacity: max(source.count, 1))
    if let base = source.baseAddress, source.count > 0 {
        p.initialize(from: base, count: source.count)
    } else {
        p.initialize(to: 0)
    }
    return p
}

/// Allocates `n` doubles, each set to `value`.
@inline(__always)
func allocateFilled(_ n: Int, with value: Double = 0) -> UnsafeMutablePointer<Double> {
    let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
    p.initialize(repeating: value, count: max(n, 1))
    return p
}

/// `torch.lerp(start, end, weight)` for one element, in the form ATen uses
/// (aten/src/ATen/native/Lerp.h): `start + w·(end − start)` when |w| < 0.5, else
/// `end − (end − start)·(1 − w)`.
@inline(__always)
func torchLerp(_ start: Double, _ end: Double, _ weight: Double) -> Double {
    abs(weight) < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight)
}

/// `torch.sign`: −1, 0 or 1, and NaN for NaN (so sign(0) = 0, as Lion needs).
@inline(__always)
func torchSign(_ x: Double) -> Double {
    x > 0 ? 1 : (x < 0 ? -1 : x)
}
