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
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.ConstantLR")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<ConstantLR>([
        .number("factor", \.factor, default: "1", .unit, "multiplier before total_iters, in [0, 1]"),
        .integer("total_iters", \.totalIters, default: "0", .nonNegative, "updates at the reduced rate"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "constant")
    public private(set) var factor = 0.0
    public private(set) var totalIters = 0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * (factor + (t >= totalIters ? 1 - factor : 0))
    }
}
