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
        parameters: parameters.docs,
        reference: "optax.schedules.polynomial_schedule")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<OptaxPolynomial>([
        .requiredNumber("end_factor", \.law.endFactor, .nonNegative, "optax end_value / lr0, >= 0"),
        .requiredNumber("power", \.law.power, .nonNegative, "exponent of the polynomial, >= 0"),
        .requiredInteger("transition_steps", \.law.transitionSteps, .atLeast(1), "length of the transition in updates, >= 1"),
        .integer("transition_begin", \.law.transitionBegin, default: "0", .nonNegative, "updates held at init_factor*lr0 first, >= 0"),
        .number("init_factor", \.law.initFactor, default: "1", .nonNegative, "optax init_value / lr0, >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "optax_polynomial")
    public private(set) var law = OptaxPolynomialLaw()

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double { law.value(at: t, base: lr0) }
}

/// optax's polynomial transition, shared by `optax_polynomial`, `optax_linear` and the warm-up
/// of `optax_warmup_cosine` (optax's `linear_schedule` is `polynomial_schedule` with power 1).
public struct OptaxPolynomialLaw: Sendable {
    public var initFactor = 1.0
    public var endFactor = 0.0
    public var power = 1.0
    public var transitionSteps = 1
    public var transitionBegin = 0

    /// `(init − end)·frac^power + end` with init, end = factor·lr0, in optax's order of operations.
    @inline(__always) public func value(at t: Int, base lr0: Double) -> Double {
        let count = min(max(t - transitionBegin, 0), transitionSteps)
        let frac = 1 - Double(count) / Double(transitionSteps)
        let initValue = initFactor * lr0, endValue = endFactor * lr0
        return (initValue - endValue) * pow(frac, power) + endValue
    }
}
