import Specs

/// Stochastic gradient descent with optional (Nesterov) momentum: `torch.optim.SGD`.
///
/// Follows `_single_tensor_sgd` in torch/optim/sgd.py (PyTorch 2.15.0) exactly:
///
///     g ← ∇f(x) (negated if maximize) + weight_decay·x
///     if momentum ≠ 0:  b ← g on the first step, else b ← momentum·b + (1 − dampening)·g
///                       g ← g + momentum·b (nesterov) or g ← b
///     x ← x − lr·g
///
/// A cycling schedule's momentum (`StepContext.momentum`) replaces `momentum` for that update,
/// as torch's OneCycleLR/CyclicLR write `param_group["momentum"]` for SGD.
public struct SGD: Optimizer {
    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<SGD>([
        .number("momentum", \.momentum, default: "0", .unitOpenAbove, "momentum factor in [0, 1); 0 is plain SGD"),
        .number("dampening", \.dampening, default: "0", .unit, "dampening for momentum in [0, 1]: b ← momentum·b + (1 − dampening)·g"),
        .flag("nesterov", \.nesterov, default: false, "Nesterov momentum (needs momentum > 0 and dampening = 0)"),
        .number("weight_decay", \.weightDecay, default: "0", .nonNegative, "L2 penalty added to the gradient: g + weight_decay·x"),
        .flag("maximize", \.maximize, default: false, "ascend instead of descend"),
    ])

    public static let catalog = CatalogEntry(
        name: "sgd",
        summary: "Stochastic gradient descent with optional heavy-ball or Nesterov momentum.",
        parameters: parameters.docs,
        reference: "torch.optim.SGD (torch/optim/sgd.py, PyTorch 2.15); Sutskever et al. 2013 for Nesterov")

    // Set from the spec by `parameters` (which holds the defaults).
    public var momentum = 0.0
    public var dampening = 0.0
    public var nesterov = false
    public var weightDecay = 0.0
    public var maximize = false

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        try checkNesterov(spec, nesterov: nesterov, momentum: momentum, dampening: dampening)
    }

    public var spec: Spec { Self.parameters.spec(Self.catalog.name, self) }

    public var defaultLearningRate: Double { 1e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        SGDState(config: self, initialPoint: initialPoint)
    }
}

/// torch.optim.SGD's check, shared with SGD-HD: Nesterov momentum needs momentum > 0 and no
/// dampening.
func checkNesterov(_ spec: Spec, nesterov: Bool, momentum: Double, dampening: Double) throws {
    if nesterov && (momentum <= 0 || dampening != 0) {
        throw SpecUsageError("\(spec.name): nesterov=true requires momentum > 0 and dampening = 0, got momentum=\(momentum), dampening=\(dampening)")
    }
}

final class SGDState: IterateState {
    let config: SGD
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    let buf: UnsafeMutablePointer<Double>
    /// torch keeps `momentum_buffer = None` until the first update with momentum ≠ 0.
    var hasBuffer = false

    init(config: SGD, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        buf = buffers.filled(n)
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let lr = context.learningRate
        let momentum = context.momentum ?? config.momentum
        let dampening = config.dampening
        let wd = config.weightDecay
        let nesterov = config.nesterov
        let sign: Double = config.maximize ? -1 : 1
        let first = !hasBuffer
        for i in 0..<n {
            var d = l2Decayed(sign * g[i], x[i], wd)
            if momentum != 0 {
                if first {
                    buf[i] = d
                } else {
                    buf[i] = buf[i] * momentum + (1 - dampening) * d
                }
                d = nesterov ? d + momentum * buf[i] : buf[i]
            }
            x[i] = x[i] + (-lr) * d
        }
        if momentum != 0 { hasBuffer = true }
    }
}
