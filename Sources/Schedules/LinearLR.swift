import Specs

/// `linear(start_factor=1/3, end_factor=1, total_iters=5)`: the factor moves linearly from
/// start_factor (t = 0) to end_factor (t = total_iters) and stays there.
///
/// Reference: `torch.optim.lr_scheduler.LinearLR`, closed form
/// `base_lr * (start_factor + (end_factor - start_factor) * min(total_iters, last_epoch) / total_iters)`.
/// Covers seed 000's linear decay lr0·(1 − t/T) as `linear(start_factor=1, end_factor=0, total_iters=T)`
/// and a linear warm-up. Difference: torch rejects start_factor = 0 (its recursive form divides
/// by it); we evaluate the closed form, so 0 is allowed and gives rate 0 at t = 0.
public struct LinearLR: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "linear",
        summary: "factor linear from start_factor to end_factor over total_iters updates",
        parameters: [
            ParameterDoc("start_factor", "0.3333333333333333", "factor at t = 0, in [0, 1]"),
            ParameterDoc("end_factor", "1", "factor from t = total_iters on, in [0, 1]"),
            ParameterDoc("total_iters", "5", "length of the ramp, >= 1"),
        ],
        reference: "torch.optim.lr_scheduler.LinearLR")

    public let spec: Spec
    public let startFactor: Double
    public let endFactor: Double
    public let totalIters: Int

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        startFactor = try p.double("start_factor", default: 1.0 / 3, .unit)
        endFactor = try p.double("end_factor", default: 1, .unit)
        totalIters = try p.int("total_iters", default: 5, .atLeast(1))
        try p.finish(allowed: Self.catalog.parameterNames)
        self.spec = spec
    }

    /// A ramp built in code (by `warmup`), bypassing the spec.
    init(startFactor: Double, endFactor: Double, totalIters: Int) {
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        spec = Spec(name: "linear", arguments: [
            numberArgument("start_factor", startFactor),
            numberArgument("end_factor", endFactor),
            numberArgument("total_iters", Double(totalIters)),
        ])
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * (startFactor + (endFactor - startFactor) * Double(min(totalIters, t)) / Double(totalIters))
    }
}
