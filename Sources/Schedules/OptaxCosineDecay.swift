import Foundation
import Specs

/// `optax_cosine(decay_steps, alpha=0, exponent=1)`: optax's `cosine_decay_schedule` from lr0.
///
/// Reference: `optax.schedules.cosine_decay_schedule` (optax/schedules/_schedule.py):
/// `count = min(t, decay_steps)`, `c = (1 + cos(π·count/decay_steps))/2`,
/// value `init_value·((1 − alpha)·c^exponent + alpha)` with init_value = lr0. alpha is already a
/// factor of the initial value in optax. Beyond decay_steps the rate stays at alpha·lr0, where
/// torch's `CosineAnnealingLR` (`cosine`) climbs back (it is periodic) and its eta_min is an
/// absolute rate; torch has no exponent.
public struct OptaxCosineDecay: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "optax_cosine",
        summary: "optax cosine_decay_schedule: cosine from lr0 to alpha*lr0 over decay_steps, held after",
        parameters: parameters.docs,
        reference: "optax.schedules.cosine_decay_schedule")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<OptaxCosineDecay>([
        .requiredInteger("decay_steps", \.law.decaySteps, .atLeast(1), "length of the decay in updates, >= 1"),
        .number("alpha", \.law.alpha, default: "0", .nonNegative, "final rate as a fraction of lr0, >= 0"),
        .number("exponent", \.law.exponent, default: "1", .nonNegative, "power of the cosine factor, >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "optax_cosine")
    public private(set) var law = OptaxCosineLaw()

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double { law.value(at: t, initValue: lr0) }
}

/// optax's cosine decay, shared by `optax_cosine` and `optax_warmup_cosine`.
public struct OptaxCosineLaw: Sendable {
    public var decaySteps = 1
    public var alpha = 0.0
    public var exponent = 1.0

    /// `init_value·((1 − alpha)·c^exponent + alpha)`, in optax's order of operations.
    @inline(__always) public func value(at t: Int, initValue: Double) -> Double {
        let count = Double(min(t, decaySteps))
        let c = 0.5 * (1 + cos(Double.pi * count / Double(decaySteps)))
        return initValue * ((1 - alpha) * pow(c, exponent) + alpha)
    }
}
