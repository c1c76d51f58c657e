import Specs

/// `optax_cosine_onecycle(transition_steps, pct_start=0.3, div_factor=25, final_div_factor=1e4)`:
/// optax's `cosine_onecycle_schedule` with peak_value = lr0.
///
/// Reference: `optax.schedules.cosine_onecycle_schedule` (optax/schedules/_schedule.py):
/// `piecewise_interpolate_schedule('cosine', peak/div_factor, {int(pct_start·N): div_factor,
/// N: 1/(div_factor·final_div_factor)})`: cosine from lr0/div_factor up to lr0 at step
/// ⌊pct_start·N⌋, then down to lr0/(div_factor·final_div_factor) at N, held after. torch's
/// `OneCycleLR` (`onecycle`) peaks at pct_start·N − 1 and ends at N − 1 and cycles momentum; optax
/// does neither. We refuse ⌊pct_start·N⌋ = 0 or = N (no warm-up or no decay phase).
public struct OptaxCosineOnecycle: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "optax_cosine_onecycle",
        summary: "optax cosine_onecycle_schedule: cosine up to lr0 at int(pct_start*N), down to the final value at N",
        parameters: parameters.docs,
        reference: "optax.schedules.cosine_onecycle_schedule")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<OnecycleParameters>([
        .requiredInteger("transition_steps", \.transitionSteps, .atLeast(2), "length N of the cycle in updates, >= 2"),
        .number("pct_start", \.pctStart, default: "0.3", .unit, "fraction of N spent increasing, with 1 <= int(pct_start*N) < N"),
        .number("div_factor", \.divFactor, default: "25", .positive, "initial rate = lr0/div_factor, > 0"),
        .number("final_div_factor", \.finalDivFactor, default: "10000", .positive, "final rate = initial rate/final_div_factor, > 0"),
    ])

    /// The spec as given (run ids hash it).
    public let spec: Spec
    public let law: OptaxInterpolationLaw

    public init(spec: Spec) throws {
        let w = try Self.parameters.read(spec, into: OnecycleParameters())
        let n = w.transitionSteps, pctStart = w.pctStart, div = w.divFactor, finalDiv = w.finalDivFactor
        let peak = Int(pctStart * Double(n))
        if peak < 1 || peak >= n {
            throw SpecUsageError("optax_cosine_onecycle: int(pct_start*transition_steps) must be in [1, transition_steps), got \(peak)")
        }
        law = OptaxInterpolationLaw(cosine: true, initDivisor: div, boundaries: [peak, n],
                                    scales: [div, 1 / (div * finalDiv)])
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double { law.value(at: t, base: lr0) }
}

/// The parameters of optax's one-cycle schedules as written (`pct_final`: the linear one's only);
/// the schedules are built from them.
struct OnecycleParameters {
    var transitionSteps = 2
    var pctStart = 0.0
    var pctFinal = 0.0
    var divFactor = 0.0
    var finalDivFactor = 0.0
}
