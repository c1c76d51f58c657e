/// The effective step size an optimizer applies, for methods that choose it themselves.
///
/// `OptimizerState.effectiveLearningRate` is the rate the last update actually applied, or nil
/// before the first update and for methods that apply the schedule's rate unchanged (SGD, Adam,
/// …). Methods that set their own step report:
///
/// - a scalar step on the gradient: that step (Polyak's lr·η, DoG's η_t = lr·r̄_t/√G_t, DoWG's
///   lr·r̄²_t/(√v_t + eps), the hypergradient-learned rate α_t of SGD-HD and Adam-HD, which
///   Adam-HD then uses in place of Adam's lr);
/// - per-block or per-coordinate steps (L-DoG, COCOB): the scalar step plain gradient descent
///   would need to move as far, ‖x_{t+1} − x_t‖ / ‖d_t‖, with d_t the gradient after weight
///   decay (NaN when d_t = 0). For DoG this equals η_t.
///
/// Reading it allocates nothing; the run loop does not read it (it is for inspection and tests).
extension TypedOptimizerState {
    public var effectiveLearningRate: Double? { nil }
}

/// ‖Δx‖/‖d‖ from the two squared norms, the effective rate of per-coordinate methods.
@inline(__always)
func stepRatio(squaredStep: Double, squaredDirection: Double) -> Double {
    (squaredStep / squaredDirection).squareRoot()
}
