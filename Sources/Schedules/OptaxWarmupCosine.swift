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
        parameters: [
            ParameterDoc("init_factor", "required", "optax init_value / peak_value (lr0), >= 0"),
            ParameterDoc("warmup_steps", "required", "length of the linear warm-up, >= 0"),
            ParameterDoc("decay_steps", "required", "total length, warm-up included, > warmup_steps"),
            ParameterDoc("end_factor", "0", "optax end_value / peak_value, >= 0"),
            ParameterDoc("exponent", "1", "power of the cosine factor, >= 0"),
        ],
        reference: "optax.schedules.warmup_cosine_decay_schedule")

    public let spec: Spec
    public let warmupSteps: Int
    public let initFactor: Double
    public let cosine: OptaxCosineLaw

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        initFactor = try p.double("init_factor", .nonNegative)
        warmupSteps = try p.int("warmup_steps", .nonNegative)
        let decaySteps = try p.int("decay_steps", .atLeast(1))
        let end = try p.double("end_factor", default: 0, .nonNegative)
        let exponent = try p.double("exponent", default: 1, .nonNegative)
        try p.finish(allowed: Self.catalog.parameterNames)
        if decaySteps <= warmupSteps {
            throw SpecUsageError("optax_warmup_cosine: parameter 'decay_steps' must be > warmup_steps (\(warmupSteps)), got \(decaySteps)")
        }
        cosine = OptaxCosineLaw(decaySteps: decaySteps - warmupSteps, alpha: end, exponent: exponent)
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
