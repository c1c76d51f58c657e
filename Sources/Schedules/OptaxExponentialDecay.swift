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
        parameters: [
            ParameterDoc("transition_steps", "required", "updates per factor decay_rate, >= 1"),
            ParameterDoc("decay_rate", "required", "factor per transition_steps updates, > 0"),
            ParameterDoc("transition_begin", "0", "updates held at lr0 first, >= 0"),
            ParameterDoc("staircase", "false", "decay at whole multiples of transition_steps only"),
            ParameterDoc("end_factor", "none", "optax end_value / lr0: lower bound if decay_rate < 1, else upper bound; >= 0"),
        ],
        reference: "optax.schedules.exponential_decay")

    public let spec: Spec
    public let transitionSteps: Int
    public let decayRate: Double
    public let transitionBegin: Int
    public let staircase: Bool
    public let endFactor: Double?

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        transitionSteps = try p.int("transition_steps", .atLeast(1))
        decayRate = try p.double("decay_rate", .positive)
        transitionBegin = try p.int("transition_begin", default: 0, .nonNegative)
        staircase = try p.bool("staircase", default: false)
        endFactor = try p.optionalDouble("end_factor", .nonNegative)
        try p.finish(allowed: Self.catalog.parameterNames)
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
