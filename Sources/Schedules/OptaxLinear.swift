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
        parameters: parameters.docs,
        reference: "optax.schedules.linear_schedule")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<OptaxLinear>([
        .requiredNumber("end_factor", \.law.endFactor, .nonNegative, "optax end_value / lr0, >= 0"),
        .requiredInteger("transition_steps", \.law.transitionSteps, .atLeast(1), "length of the ramp in updates, >= 1"),
        .integer("transition_begin", \.law.transitionBegin, default: "0", .nonNegative, "updates held at init_factor*lr0 first, >= 0"),
        .number("init_factor", \.law.initFactor, default: "1", .nonNegative, "optax init_value / lr0, >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "optax_linear")
    /// optax's linear_schedule is the polynomial one with power 1.
    public private(set) var law = OptaxPolynomialLaw(power: 1)

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double { law.value(at: t, base: lr0) }
}
