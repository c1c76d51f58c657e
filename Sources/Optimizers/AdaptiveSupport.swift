import Specs

// Helpers shared by the learning-rate-free methods (D-Adaptation, Prodigy, Mechanic).

/// Splits `key = inf` off a spec, so that a parameter whose default is ∞ (D-Adaptation's and
/// Prodigy's `growth_rate`) can be written out explicitly: `Parameters` only accepts finite
/// numbers. Returns the spec without that argument, and whether it was there and +∞.
func splitInfinite(_ spec: Spec, _ key: String) -> (rest: Spec, infinite: Bool) {
    guard case .number(let x, _)? = spec[key], x == .infinity else { return (spec, false) }
    var rest = spec
    rest.arguments.removeAll { $0.key == key }
    return (rest, true)
}

/// Reads `growth_rate`: ≥ 1, default ∞ (`inf`), the bound d ≤ growth_rate·d on each update.
func readGrowthRate(_ spec: Spec) throws -> (Parameters, Double) {
    let (rest, infinite) = splitInfinite(spec, "growth_rate")
    var p = Parameters(rest)
    let rate = try p.double("growth_rate", default: .infinity, .atLeast(1))
    return (p, infinite ? .infinity : rate)
}

/// Σ aᵢbᵢ in index order, as `torch.dot` adds for small vectors.
@inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s = 0.0
    for i in 0..<n { s += a[i] * b[i] }
    return s
}
