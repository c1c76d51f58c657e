import Foundation
import Specs

/// `step(step_size, gamma=0.1)`: lr0·gamma^⌊t/step_size⌋ (seed 001's step decay).
///
/// Reference: `torch.optim.lr_scheduler.StepLR`, closed form
/// `base_lr * gamma ** (last_epoch // step_size)`.
public struct StepLR: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "step",
        summary: "multiply by gamma every step_size updates",
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.StepLR")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<StepLR>([
        .requiredInteger("step_size", \.stepSize, .atLeast(1), "updates between decays, >= 1"),
        .number("gamma", \.gamma, default: "0.1", .positive, "decay factor, > 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "step")
    public private(set) var stepSize = 1
    public private(set) var gamma = 0.0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * pow(gamma, Double(t / stepSize))
    }
}
