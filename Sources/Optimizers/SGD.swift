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
    public static let catalog = CatalogEntry(
        name: "sgd",
        summary: "Stochastic gradient descent with optional heavy-ball or Nesterov momentum.",
        parameters: [
            ParameterDoc("momentum", "0", "momentum factor in [0, 1); 0 is plain SGD"),
            ParameterDoc("dampening", "0", "dampening for momentum in [0, 1]: b ← momentum·b + (1 − dampening)·g"),
            ParameterDoc("nesterov", "false", "Nesterov momentum (needs momentum > 0 and dampening = 0)"),
            ParameterDoc("weight_decay", "0", "L2 penalty added to the gradient: g + weight_decay·x"),
            ParameterDoc("maximize", "false", "ascend instead of descend"),
        ],
        reference: "torch.optim.SGD (torch/optim/sgd.py, PyTorch 2.15); Sutskever et al. 2013 for Nesterov")

    public var momentum: Double
    public var dampening: Double
    public var nesterov: Bool
    public var weightDecay: Double
    public var maximize: Bool

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        momentum = try p.double("momentum", default: 0, .unitOpenAbove)
        dampening = try p.double("dampening", default: 0, .unit)
        nesterov = try p.bool("nesterov", default: false)
        weightDecay = try p.double("weight_decay", default: 0, .nonNegative)
        maximize = try p.bool("maximize", default: false)
        try p.finish()
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw SpecUsageError("\(spec.name): nesterov=true requires momentum > 0 and dampening = 0, got momentum=\(momentum), dampening=\(dampening)")
        }
    }

    public var spec: Spec {
        makeSpec(Self.catalog.name, [
            ("momentum", specNumber(momentum)), ("dampening", specNumber(dampening)),
            ("nesterov", specBool(nesterov)), ("weight_decay", specNumber(weightDecay)),
            ("maximize", specBool(maximize)),
        ])
    }

    public var defaultLearningRate: Double { 1e-3 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        SGDState(config: self, initialPoint: initialPoint)
    }
}

final class SGDState: OptimizerState {
    let config: SGD
    let n: Int
    let x: UnsafeMutablePointer<Double>
    let buf: UnsafeMutablePointer<Double>
    /// torch keeps `momentum_buffer = None` until the first update with momentum ≠ 0.
    var hasBuffer = false

    init(config: SGD, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = allocateCopy(of: initialPoint)
        buf = allocateFilled(n)
    }

    deinit {
        x.deallocate()
        buf.deallocate()
    }

    var gradientPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: x, count: n) }
    var reportedPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: x, count: n) }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let lr = context.learningRate
        let momentum = context.momentum ?? config.momentum
        let dampening = config.dampening
        let wd = config.weightDecay
        let nesterov = config.nesterov
        let sign: Double = config.maximize ? -1 : 1
        let first = !hasBuffer
        for i in 0..<n {
            var d = sign * g[i]
            if wd != 0 { d = d + wd * x[i] }
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
