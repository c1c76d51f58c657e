import Foundation
import Specs

/// `optax_exponential(transition_steps, decay_rate, transition_begin=0, staircase=false, end_factor)`:
/// optax's `exponential_decay` from lr0.
///
/// Reference: `optax.schedules.exponential_decay` (optax/schedules/_schedule.py): with
/// d = t − transition_begin and p = d/transition_steps (⌊p⌋ if staircase), the value is init_value
/// for d <= 0, else `init_value·decay_rate^p`; with an end_value it is clipped, from below when
/// decay_rate < 1 and from above otherwise. Here init_value = lr0 and end_value = end_factor·lr0
/// (absent: no clip). torch's `ExponentialLR` (`exponential`) is the case transition_steps = 1,
/// begin 0, no clip; `staircase=true` is torch's `StepLR` (`step(step_size=transition_steps,
/// gamma=decay_rate)`) delayed by transition_begin and clipped. Differences: optax returns the
/// constant init_value when transition_steps <= 0 or decay_rate = 0 and clamps a negative
/// transition_begin to 0; we refuse these (and a negative decay_rate, whose fractional powers are NaN).
public struct OptaxExponentialDecay: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "optax_exponential",
        summary: "optax exponential_decay: lr0*decay_rate^((t-begin)/transition_steps), optional staircase and clip",
        parameters: parameters.docs,
        reference: "optax.schedules.exponential_decay")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<OptaxExponentialDecay>([
        .requiredInteger("transition_steps", \.transitionSteps, .atLeast(1), "updates per factor decay_rate, >= 1"),
        .requiredNumber("decay_rate", \.decayRate, .positive, "factor per transition_steps updates, > 0"),
        .integer("transition_begin", \.transitionBegin, default: "0", .nonNegative, "updates held at lr0 first, >= 0"),
        .flag("staircase", \.staircase, default: false, "decay at whole multiples of transition_steps only"),
        .optionalNumber("end_factor", \.endFactor, shown: "none", .nonNegative,
                        "optax end_value / lr0: lower bound if decay_rate < 1, else upper bound; >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "optax_exponential")
    public private(set) var transitionSteps = 1
    public private(set) var decayRate = 0.0
    public private(set) var transitionBegin = 0
    public private(set) var staircase = false
    public private(set) var endFactor: Double?

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        let decreased = t - transitionBegin
        var value = lr0
        if decreased > 0 {
            var p = Double(decreased) / Double(transitionSteps)
            if staircase { p = p.rounded(.down) }
            value = lr0 * pow(decayRate, p)
        }
        if let endFactor {
            let endValue = endFactor * lr0
            value = decayRate < 1 ? max(value, endValue) : min(value, endValue)
        }
        return value
    }
}
