import Specs

/// `optax_linear_onecycle(transition_steps, pct_start=0.3, pct_final=0.85, div_factor=25,
/// final_div_factor=1e4)`: optax's `linear_onecycle_schedule` with peak_value = lr0.
///
/// Reference: `optax.schedules.linear_onecycle_schedule` (optax/schedules/_schedule.py):
/// `piecewise_interpolate_schedule('linear', peak/div_factor, {int(pct_start·N): div_factor,
/// int(pct_final·N): 1/div_factor, N: 1/final_div_factor})`: linear from lr0/div_factor up to lr0
/// at ⌊pct_start·N⌋, back down to lr0/div_factor at ⌊pct_final·N⌋, then to
/// lr0/(div_factor·final_div_factor) at N, held after. torch's three-phase `onecycle` is
/// symmetric (back at the start at 2·pct_start·N − 2) and cycles momentum. We refuse boundaries
/// that coincide (optax's dict would silently merge them) or a first boundary at 0.
public struct OptaxLinearOnecycle: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "optax_linear_onecycle",
        summary: "optax linear_onecycle_schedule: three linear phases ending at int(pct_start*N), int(pct_final*N), N",
        parameters: parameters.docs,
        reference: "optax.schedules.linear_onecycle_schedule")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<OnecycleParameters>([
        .requiredInteger("transition_steps", \.transitionSteps, .atLeast(3), "length N of the cycle in updates, >= 3"),
        .number("pct_start", \.pctStart, default: "0.3", .unit, "end of the increase as a fraction of N, 1 <= int(pct_start*N)"),
        .number("pct_final", \.pctFinal, default: "0.85", .unit, "end of the decrease back to the start, int(pct_start*N) < int(pct_final*N) < N"),
        .number("div_factor", \.divFactor, default: "25", .positive, "initial rate = lr0/div_factor, > 0"),
        .number("final_div_factor", \.finalDivFactor, default: "10000", .positive, "final rate = initial rate/final_div_factor, > 0"),
    ])

    /// The spec as given (run ids hash it).
    public let spec: Spec
    public let law: OptaxInterpolationLaw

    public init(spec: Spec) throws {
        let w = try Self.parameters.read(spec, into: OnecycleParameters())
        let n = w.transitionSteps, pctStart = w.pctStart, pctFinal = w.pctFinal, div = w.divFactor, finalDiv = w.finalDivFactor
        let peak = Int(pctStart * Double(n)), back = Int(pctFinal * Double(n))
        if !(1 <= peak && peak < back && back < n) {
            throw SpecUsageError("optax_linear_onecycle: need 1 <= int(pct_start*N) < int(pct_final*N) < N = transition_steps, got \(peak), \(back), \(n)")
        }
        law = OptaxInterpolationLaw(cosine: false, initDivisor: div, boundaries: [peak, back, n],
                                    scales: [div, 1 / div, 1 / finalDiv])
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double { law.value(at: t, base: lr0) }
}
