import Specs

/// `optax_linear(end_factor, transition_steps, transition_begin=0, init_factor=1)`: optax's
/// `linear_schedule` as a factor of lr0: init_factor·lr0 until transition_begin, then linear to
/// end_factor·lr0 over transition_steps updates, held there.
///
/// Reference: `optax.schedules.linear_schedule` (optax/schedules/_schedule.py), which is
/// `polynomial_schedule(power=1)`: value `(init − end)·(1 − count/T) + end`. torch's `LinearLR`
/// (`linear`) has the same shape without transition_begin and computes
/// `start + (end − start)·count/T` (equal up to rounding). Same refusals as `optax_polynomial`.
public struct OptaxLinear: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "optax_linear",
        summary: "optax linear_schedule: init_factor*lr0 to end_factor*lr0, after transition_begin",
        parameters: [
            ParameterDoc("end_factor", "required", "optax end_value / lr0, >= 0"),
            ParameterDoc("transition_steps", "required", "length of the ramp in updates, >= 1"),
            ParameterDoc("transition_begin", "0", "updates held at init_factor*lr0 first, >= 0"),
            ParameterDoc("init_factor", "1", "optax init_value / lr0, >= 0"),
        ],
        reference: "optax.schedules.linear_schedule")

    public let spec: Spec
    public let law: OptaxPolynomialLaw

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        let end = try p.double("end_factor", .nonNegative)
        let steps = try p.int("transition_steps", .atLeast(1))
        let begin = try p.int("transition_begin", default: 0, .nonNegative)
        let initial = try p.double("init_factor", default: 1, .nonNegative)
        try p.finish(allowed: Self.catalog.parameterNames)
        law = OptaxPolynomialLaw(initFactor: initial, endFactor: end, power: 1,
                                 transitionSteps: steps, transitionBegin: begin)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double { law.value(at: t, base: lr0) }
}
