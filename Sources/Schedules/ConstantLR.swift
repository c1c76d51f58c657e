import Specs

/// `constant(factor=1, total_iters=0)`: lr0·factor for t < total_iters, then lr0.
///
/// Reference: `torch.optim.lr_scheduler.ConstantLR`, closed form
/// `base_lr * (factor + (last_epoch >= total_iters) * (1 - factor))`.
/// Deliberate difference: torch's defaults are factor=1/3, total_iters=5; ours (factor=1,
/// total_iters=0) make `constant` the plain fixed-rate baseline (seed 003's "fixed learning rate").
public struct ConstantLR: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "constant",
        summary: "fixed rate lr0 (optionally lr0*factor for the first total_iters updates)",
        parameters: [
            ParameterDoc("factor", "1", "multiplier before total_iters, in [0, 1]"),
            ParameterDoc("total_iters", "0", "updates at the reduced rate"),
        ],
        reference: "torch.optim.lr_scheduler.ConstantLR")

    public let spec: Spec
    public let factor: Double
    public let totalIters: Int

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        factor = try p.double("factor", default: 1, .unit)
        totalIters = try p.int("total_iters", default: 0, .nonNegative)
        try p.finish(allowed: Self.catalog.parameterNames)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * (factor + (t >= totalIters ? 1 - factor : 0))
    }
}
