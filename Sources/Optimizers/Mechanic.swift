import Foundation
import Specs

/// Mechanic (Cutkosky, Defazio & Mehta 2023, "Mechanic: A Learning Rate Tuner", NeurIPS,
/// arXiv:2306.00144, Algorithm 1): a tuner that scales the displacement of a base optimizer.
///
/// Follows `_step` in optimizedlearning/mechanic mechanic_pytorch/mechanic.py (PyPI
/// `mechanic-pytorch` 0.0.1), `mechanize(Base)` with one parameter group. The base optimizer is
/// given as a nested spec, `mechanic(base=sgd(momentum=0.9))`; it takes its rate from the
/// schedule (torch: the base's param-group lr, which Mechanic shares) and also receives a
/// cycled momentum, as the base's param group would. With Σs the sum of the n_β tuner scales:
///
///     x_old = x;  x ← base step from x (its own state, gradient g);  u = x − x_old
///     Δ = (x_old − x_ref)/(Σs + eps)   (store_delta: the stored Δ);  x_ref = x₀
///     h = ⟨Δ, g + s_decay·Σs·‖g‖/(‖x‖ + eps)·x⟩  (x after the base step);  Δ ← Δ + u
///     per β:  m ← max(β·m, |h|);  v ← β²·v + h²;  r ← max(0, β·r − s·h)
///             s ← (m·s_init/n_β + r)/(√v + eps)
///     x ← x_ref + Δ·max(Σs, 0)
///
/// m starts at 1e-6, v, r and s at 0. On the first update h = 0 (Δ = 0), so each s becomes
/// β·1e-6·s_init/(n_β·eps) (Σs ≈ 5e-7 with the defaults) and x = x₀ + Σs·u: Mechanic starts
/// from a tiny multiple of the base's step and grows it. `effectiveLearningRate` is
/// lr·max(Σs, 0), the base rate times the scale applied in the last update.
///
/// The base must keep its whole state on one iterate x that is both the gradient point and the
/// reported point (the torch.optim-style methods and Polyak); schedule-free methods, the other
/// learning-rate-free methods and Mechanic itself are refused. Differences: none in the math;
/// sums are taken in index order (torch's reductions may associate differently, about one ulp,
/// which the tuner's β close to 1 amplifies over long runs).
public struct Mechanic: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "mechanic",
        summary: "Mechanic: scales the displacement of a base optimizer by a learned s (a learning-rate tuner).",
        parameters: parameters.docs,
        reference: "Cutkosky, Defazio & Mehta 2023, arXiv:2306.00144; optimizedlearning/mechanic mechanic_pytorch/mechanic.py (PyPI mechanic-pytorch 0.0.1)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<Mechanic>([
        .nested("base", \.base, default: "sgd", make: { try OptimizerRegistry.make($0) }, spec: { $0.spec },
                "the base optimizer, a nested spec such as sgd(momentum=0.9) or adamw"),
        .number("s_decay", \.sDecay, default: "0.01", .nonNegative, "λ, the tuner's weight-decay analogue (≥ 0)"),
        .numbers("betas", \.betas, default: "0.9;0.99;0.999;0.9999;0.99999;0.999999", .unitOpenAbove, "the tuner's decay rates, one scale per β, each in [0, 1)"),
        .number("s_init", \.sInit, default: "1e-8", .positive, "initial scale s_init (> 0)"),
        .number("eps", \.eps, default: "1e-8", .positive, "added to the denominators (> 0)"),
        .flag("store_delta", \.storeDelta, default: false, "keep the displacement Δ instead of recomputing it as (x − x₀)/(Σs + eps)"),
    ])

    // Set from the spec by `parameters` (which holds the defaults; `base` is plain sgd until then).
    public var base: any Optimizer = Mechanic.unreadBase
    public var sDecay = 0.0
    public var betas: [Double] = []
    public var sInit = 0.0, eps = 0.0
    public var storeDelta = false

    /// What `base` holds before `parameters` reads the spec: sgd at its defaults, which are valid.
    private static let unreadBase: any Optimizer = try! SGD(spec: Spec(name: "sgd"))

    func validate(_ spec: Spec) throws {
        if betas.isEmpty {
            throw SpecUsageError("\(spec.name): parameter 'betas' must list at least one value in [0, 1)")
        }
        let probe = [Double]().withUnsafeBufferPointer { base.makeState(initialPoint: $0) }
        guard probe is any SingleIterateState else {
            throw SpecUsageError("\(spec.name): parameter 'base' must be an optimizer with a single iterate "
                + "(\(singleIterateOptimizers.joined(separator: ", "))), got '\(base.spec.name)'")
        }
    }

    /// The base optimizer's default rate (Mechanic's lr is the base's).
    public var defaultLearningRate: Double { base.defaultLearningRate }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        // init(spec:) checked that the base's state has a single iterate.
        let baseState = base.makeState(initialPoint: initialPoint) as! any SingleIterateState
        return MechanicState(config: self, base: baseState, initialPoint: initialPoint)
    }
}

/// An `IterateState` whose whole parameter vector is its x (the gradient point and the reported
/// point), which Mechanic may overwrite between updates (as mechanic-pytorch writes `p`).
protocol SingleIterateState: IterateState, OptimizerState {}

/// The optimizers whose states are `SingleIterateState`s, for the error message.
let singleIterateOptimizers = ["sgd", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "adamax", "nadam", "radam", "lion", "polyak"]

extension SGDState: SingleIterateState where S == Double {}
extension AdagradState: SingleIterateState where S == Double {}
extension RMSpropState: SingleIterateState where S == Double {}
extension AdadeltaState: SingleIterateState where S == Double {}
extension AdamState: SingleIterateState where S == Double {}
extension AdamaxState: SingleIterateState {}
extension NAdamState: SingleIterateState {}
extension RAdamState: SingleIterateState {}
extension LionState: SingleIterateState where S == Double {}
extension PolyakState: SingleIterateState {}

final class MechanicState: OptimizerState {
    let config: Mechanic
    let base: any SingleIterateState
    let n: Int
    let nb: Int
    private let buffers = StateBuffers()
    let betas: UnsafeMutablePointer<Double>
    let reference: UnsafeMutablePointer<Double>
    let previous: UnsafeMutablePointer<Double>
    let delta: UnsafeMutablePointer<Double>
    let s: UnsafeMutablePointer<Double>
    let maxProduct: UnsafeMutablePointer<Double>
    let sumSquaredProducts: UnsafeMutablePointer<Double>
    let reward: UnsafeMutablePointer<Double>
    var effectiveLearningRate: Double?

    init(config: Mechanic, base: any SingleIterateState, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        self.base = base
        n = initialPoint.count
        nb = config.betas.count
        betas = buffers.filled(nb)
        for j in 0..<nb { betas[j] = config.betas[j] }
        reference = buffers.copy(of: initialPoint)
        previous = buffers.filled(n)
        delta = buffers.filled(n)
        s = buffers.filled(nb)
        maxProduct = buffers.filled(nb, with: 1e-6)
        sumSquaredProducts = buffers.filled(nb)
        reward = buffers.filled(nb)
    }

    var gradientPoint: UnsafeBufferPointer<Double> { base.gradientPoint }
    var reportedPoint: UnsafeBufferPointer<Double> { base.reportedPoint }

    /// Σs in index order.
    private func sumS() -> Double {
        var total = 0.0
        for j in 0..<nb { total += s[j] }
        return total
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let x = base.x
        let eps = config.eps
        for i in 0..<n { previous[i] = x[i] }
        base.update(gradient: g, context: context)
        let sumOld = sumS()
        if !config.storeDelta {
            for i in 0..<n { delta[i] = (previous[i] - reference[i]) / (sumOld + eps) }
        }
        var xSq = 0.0
        var gSq = 0.0
        for i in 0..<n {
            xSq += x[i] * x[i]
            gSq += g[i] * g[i]
        }
        let globalNorm = (0.0 + xSq).squareRoot()
        let gradNorm = (0.0 + gSq).squareRoot()
        var h = 0.0
        for i in 0..<n {
            let decay = config.sDecay * x[i] * sumOld * gradNorm / (globalNorm + eps)
            h += delta[i] * (g[i] + decay)
            delta[i] = delta[i] + (x[i] - previous[i])
        }
        h = 0.0 + h
        let sInit = config.sInit
        let count = Double(nb)
        for j in 0..<nb {
            let beta = betas[j]
            maxProduct[j] = Swift.max(beta * maxProduct[j], abs(h))
            sumSquaredProducts[j] = sumSquaredProducts[j] * (beta * beta) + h * h
            let r = reward[j] * beta - s[j] * h
            reward[j] = r < 0 ? 0 : r
            let wealth = maxProduct[j] * sInit / count + reward[j]
            s[j] = wealth / (sumSquaredProducts[j].squareRoot() + eps)
        }
        let sumNew = sumS()
        let scale = sumNew < 0 ? 0 : sumNew   // Python's max(Σs, 0.0): NaN stays NaN
        for i in 0..<n { x[i] = reference[i] + delta[i] * scale }
        effectiveLearningRate = context.learningRate * scale
    }
}
