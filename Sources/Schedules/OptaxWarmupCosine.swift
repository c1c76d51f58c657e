import Specs

/// `optax_warmup_cosine(init_factor, warmup_steps, decay_steps, end_factor=0, exponent=1)`:
/// optax's `warmup_cosine_decay_schedule` with peak_value = lr0.
///
/// Reference: `optax.schedules.warmup_cosine_decay_schedule` (optax/schedules/_schedule.py):
/// `join_schedules([linear_schedule(init_value, peak_value, warmup_steps),
/// cosine_decay_schedule(peak_value, decay_steps − warmup_steps, alpha=end_value/peak_value,
/// exponent)], [warmup_steps])`. Here the swept base rate lr0 is the peak, init_value =
/// init_factor·lr0 and end_value = end_factor·lr0 (so alpha = end_factor). Note optax's
/// decay_steps is the total length, warm-up included. Differences: optax requires
/// decay_steps > warmup_steps only implicitly (its cosine raises otherwise); we say so in one line.
public struct OptaxWarmupCosine: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "optax_warmup_cosine",
        summary: "optax warmup_cosine_decay_schedule: linear warm-up to lr0, cosine to end_factor*lr0",
        parameters: parameters.docs,
        reference: "optax.schedules.warmup_cosine_decay_schedule")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<OptaxWarmupCosine>([
        .requiredNumber("init_factor", \.initFactor, .nonNegative, "optax init_value / peak_value (lr0), >= 0"),
        .requiredInteger("warmup_steps", \.warmupSteps, .nonNegative, "length of the linear warm-up, >= 0"),
        .requiredInteger("decay_steps", \.decaySteps, .atLeast(1), "total length, warm-up included, > warmup_steps"),
        .number("end_factor", \.cosine.alpha, default: "0", .nonNegative, "optax end_value / peak_value, >= 0"),
        .number("exponent", \.cosine.exponent, default: "1", .nonNegative, "power of the cosine factor, >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "optax_warmup_cosine")
    public private(set) var warmupSteps = 0
    public private(set) var initFactor = 0.0
    /// optax's decay_steps: the total length, warm-up included.
    public private(set) var decaySteps = 1
    /// The cosine after the warm-up (its decay_steps is decaySteps − warmupSteps).
    public private(set) var cosine = OptaxCosineLaw()

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        if decaySteps <= warmupSteps {
            throw SpecUsageError("optax_warmup_cosine: parameter 'decay_steps' must be > warmup_steps (\(warmupSteps)), got \(decaySteps)")
        }
        cosine.decaySteps = decaySteps - warmupSteps
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        if t < warmupSteps {
            // linear_schedule(init_value, peak_value, warmup_steps): (init − peak)·(1 − t/W) + peak.
            let frac = 1 - Double(t) / Double(warmupSteps)
            return (initFactor * lr0 - lr0) * frac + lr0
        }
        return cosine.value(at: t - warmupSteps, initValue: lr0)
    }
}
