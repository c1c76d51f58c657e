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
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.LinearLR")

    /// The parameters, declared once: parsing, the catalog and the spec of a ramp built in code
    /// come from here.
    static let parameters = ParameterTable<LinearLR>([
        .number("start_factor", \.startFactor, default: "0.3333333333333333", .unit, "factor at t = 0, in [0, 1]"),
        .number("end_factor", \.endFactor, default: "1", .unit, "factor from t = total_iters on, in [0, 1]"),
        .integer("total_iters", \.totalIters, default: "5", .atLeast(1), "length of the ramp, >= 1"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "linear")
    public private(set) var startFactor = 0.0
    public private(set) var endFactor = 0.0
    public private(set) var totalIters = 1

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    /// A ramp built in code (by `warmup`), bypassing the spec; its spec is written out in full.
    init(startFactor: Double, endFactor: Double, totalIters: Int) {
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        spec = Self.parameters.writtenSpec(Self.catalog.name, self)
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * (startFactor + (endFactor - startFactor) * Double(min(totalIters, t)) / Double(totalIters))
    }
}
