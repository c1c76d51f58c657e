// Helpers shared by the learning-rate-free methods (D-Adaptation, Prodigy, Mechanic).

/// Σ aᵢbᵢ in index order, as `torch.dot` adds for small vectors.
@inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s = 0.0
    for i in 0..<n { s += a[i] * b[i] }
    return s
}
