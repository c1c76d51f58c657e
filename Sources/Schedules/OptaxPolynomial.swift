import Foundation
import Specs

/// `optax_polynomial(end_factor, power, transition_steps, transition_begin=0, init_factor=1)`:
/// optax's `polynomial_schedule`, as a factor of the base rate lr0.
///
/// Reference: `optax.schedules.polynomial_schedule` (optax/schedules/_schedule.py):
/// `count = clip(t − transition_begin, 0, transition_steps)`, `frac = 1 − count/transition_steps`,
/// value `(init_value − end_value)·frac^power + end_value`. Here init_value = init_factor·lr0 and
/// end_value = end_factor·lr0 (optax's absolute values as factors of the swept base rate), so
/// the rate is lr0·((init_factor − end_factor)·frac^power + end_factor): held at init_factor·lr0
/// for t <= transition_begin, at end_factor·lr0 from t = transition_begin + transition_steps on.
/// Differs from torch's `PolynomialLR` (`polynomial`), which has no end value (it decays to 0) and
/// no transition_begin. Differences from optax: optax holds init_value when transition_steps <= 0
/// and clamps a negative transition_begin to 0 (logging both); we refuse them (use `constant`).
public struct OptaxPolynomial: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "optax_polynomial",
        summary: "optax polynomial_schedule: init_factor*lr0 to end_factor*lr0 with power, after transition_begin",
        parameters: [
            ParameterDoc("end_factor", "required", "optax end_value / lr0, >= 0"),
            ParameterDoc("power", "required", "exponent of the polynomial, >= 0"),
            ParameterDoc("transition_steps", "required", "length of the transition in updates, >= 1"),
            ParameterDoc("transition_begin", "0", "updates held at init_factor*lr0 first, >= 0"),
            ParameterDoc("init_factor", "1", "optax init_value / lr0, >= 0"),
        ],
        reference: "optax.schedules.polynomial_schedule")

    public let spec: Spec
    public let law: OptaxPolynomialLaw

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        let end = try p.double("end_factor", .nonNegative)
        let power = try p.double("power", .nonNegative)
        let steps = try p.int("transition_steps", .atLeast(1))
        let begin = try p.int("transition_begin", default: 0, .nonNegative)
        let initial = try p.double("init_factor", default: 1, .nonNegative)
        try p.finish(allowed: Self.catalog.parameterNames)
        law = OptaxPolynomialLaw(initFactor: initial, endFactor: end, power: power,
                                 transitionSteps: steps, transitionBegin: begin)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double { law.value(at: t, base: lr0) }
}

/// optax's polynomial transition, shared by `optax_polynomial`, `optax_linear` and the warm-up
/// of `optax_warmup_cosine` (optax's `linear_schedule` is `polynomial_schedule` with power 1).
public struct OptaxPolynomialLaw: Sendable {
    public var initFactor: Double
    public var endFactor: Double
    public var power: Double
    public var transitionSteps: Int
    public var transitionBegin: Int

    /// `(init − end)·frac^power + end` with init, end = factor·lr0, in optax's order of operations.
    @inline(__always) public func value(at t: Int, base lr0: Double) -> Double {
        let count = min(max(t - transitionBegin, 0), transitionSteps)
        let frac = 1 - Double(count) / Double(transitionSteps)
        let initValue = initFactor * lr0, endValue = endFactor * lr0
        return (initValue - endValue) * pow(frac, power) + endValue
    }
}
