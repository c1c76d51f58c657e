// Small helpers shared by the optimizers: the state's buffers and iterate, weight decay and
// Adam's moments as torch writes them, and the element-wise kernels PyTorch uses (lerp, sign). Parameters are read and written by each method's ParameterTable.

/// The buffers of one optimizer state, freed together with it: a state allocates every buffer
/// through its `StateBuffers` in `init` (never in `update`) and needs no `deinit`.
final class StateBuffers {
    private var owned: [UnsafeMutableRawPointer] = []

    /// `source.count` values holding a copy of `source` (at least one slot, so that an empty
    /// problem still has a valid pointer).
    func copy<S: LaneScalar>(of source: UnsafeBufferPointer<S>) -> UnsafeMutablePointer<S> {
        let p = UnsafeMutablePointer<S>.allocate(capacity: max(source.count, 1))
        if let base = source.baseAddress, source.count > 0 {
            p.initialize(from: base, count: source.count)
        } else {
            p.initialize(to: 0)
        }
        owned.append(UnsafeMutableRawPointer(p))
        return p
    }

    /// `n` values (at least one), each set to `value`.
    func filled<S: LaneScalar>(_ n: Int, with value: S = 0) -> UnsafeMutablePointer<S> {
        let p = UnsafeMutablePointer<S>.allocate(capacity: max(n, 1))
        p.initialize(repeating: value, count: max(n, 1))
        owned.append(UnsafeMutableRawPointer(p))
        return p
    }

    deinit {
        for p in owned { p.deallocate() }
    }
}

/// The base of the states that share their storage (the Adam family, schedule-free,
/// hypergradient): n, x (a copy of the initial point) and the `StateBuffers` that free x and
/// every buffer the subclass allocated through them before `super.init`.
class ParameterState<S: LaneScalar> {
    let n: Int
    let buffers: StateBuffers
    let x: UnsafeMutablePointer<S>

    init(initialPoint: UnsafeBufferPointer<S>, buffers: StateBuffers) {
        n = initialPoint.count
        self.buffers = buffers
        x = buffers.copy(of: initialPoint)
    }
}

/// A state whose gradient point and reported point are both its iterate x (every method but
/// the schedule-free ones and Mechanic, which reports its base's).
protocol IterateState: TypedOptimizerState {
    var n: Int { get }
    var x: UnsafeMutablePointer<Scalar> { get }
}

extension IterateState {
    var gradientPoint: UnsafeBufferPointer<Scalar> { UnsafeBufferPointer(start: x, count: n) }
    var reportedPoint: UnsafeBufferPointer<Scalar> { UnsafeBufferPointer(start: x, count: n) }
}

/// L2 weight decay added to the gradient as torch does it: g + wd·x, and g itself when wd = 0
/// (torch skips the add, so that a non-finite x cannot reach the gradient).
@inline(__always)
func l2Decayed(_ g: Double, _ x: Double, _ wd: Double) -> Double {
    wd != 0 ? g + wd * x : g
}

/// Weight decay in torch's Adam, AdamW, NAdam and RAdam for coordinate i: decoupled (AdamW's)
/// shrinks x[i] ← (1 − lr·wd)·x[i] and returns g; otherwise it returns g + wd·x[i].
@inline(__always)
func adamDecayed(_ g: Double, _ x: UnsafeMutablePointer<Double>, _ i: Int, lr: Double, wd: Double, decoupled: Bool) -> Double {
    guard wd != 0 else { return g }
    if decoupled {
        x[i] = x[i] * (1 - lr * wd)
        return g
    }
    return g + wd * x[i]
}

/// torch's Adam moments for coordinate i: m ← lerp(m, d, 1 − β1);  v ← β2·v + (1 − β2)·d².
@inline(__always)
func updateAdamMoments(_ m: UnsafeMutablePointer<Double>, _ v: UnsafeMutablePointer<Double>, _ i: Int, _ d: Double,
                       beta1: Double, beta2: Double) {
    m[i] = torchLerp(m[i], d, 1 - beta1)
    v[i] = v[i] * beta2 + (1 - beta2) * (d * d)
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
