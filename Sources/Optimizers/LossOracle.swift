/// The state of a method that evaluates the loss at trial points besides its gradient (a line
/// search such as SLS): its update is handed the loss of the current sample.
///
/// `loss(x)` is the loss, on the sample (minibatch, noise draw) the gradient came from, at a
/// trial point x of `gradientPoint`'s dimension (`Objective.sampleLoss(at:)` in the run loop);
/// each call costs one function evaluation, and the run loop counts the calls. The closure is
/// non-escaping, so an update still allocates nothing: the method must not keep it.
///
/// The run loop calls this update instead of `update(gradient:context:)`; a caller without
/// losses (a lockstep engine that cannot evaluate a member's sample) must not run such a method.
public protocol LossOracleState: OptimizerState {
    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext,
                loss: (UnsafeBufferPointer<Double>) -> Double)
}

extension Optimizer {
    /// Whether the method evaluates losses at trial points (its state is a `LossOracleState`):
    /// known from the configuration, so a caller need not build a state to ask. Default: no.
    public var evaluatesTrialLosses: Bool { false }
}
