import Specs

// Small helpers shared by the optimizers: buffer allocation, the element-wise kernels PyTorch
// uses (lerp, sign), and writing a configuration back out as a spec.

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

/// Writes a number for a spec exactly (`SpecValue.exact`).
func specNumber(_ x: Double) -> SpecValue { .exact(x) }

func specBool(_ b: Bool) -> SpecValue { .word(b ? "true" : "false") }

func specNumbers(_ xs: [Double]) -> SpecValue { .list(xs.map(specNumber)) }

/// A spec with the arguments in the given order.
func makeSpec(_ name: String, _ arguments: [(String, SpecValue)]) -> Spec {
    Spec(name: name, arguments: arguments.map { Spec.Argument(key: $0.0, value: $0.1) })
}

/// Reads `betas` as two numbers in [0, 1), PyTorch's check for the Adam family.
func readBetas(_ p: inout Parameters, default value: [Double]) throws -> (Double, Double) {
    let b = try p.doubles("betas", default: value, count: 2, .unitOpenAbove)
    return (b[0], b[1])
}

/// Reads an optional positive number written `none` when absent (the spec writes every
/// parameter out, so None in a reference is the word `none`).
func readOptionalPositive(_ p: inout Parameters, _ key: String) throws -> Double? {
    if case .word(let w)? = p.spec[key], w == "none" {
        _ = try p.choice(key, default: "none", ["none"])
        return nil
    }
    return try p.optionalDouble(key, .positive)
}

func specOptionalNumber(_ x: Double?) -> SpecValue { x.map(specNumber) ?? .word("none") }
