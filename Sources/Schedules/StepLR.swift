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
        parameters: [
            ParameterDoc("step_size", "required", "updates between decays, >= 1"),
            ParameterDoc("gamma", "0.1", "decay factor, > 0"),
        ],
        reference: "torch.optim.lr_scheduler.StepLR")

    public let spec: Spec
    public let stepSize: Int
    public let gamma: Double

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        stepSize = try p.int("step_size", .atLeast(1))
        gamma = try p.double("gamma", default: 0.1, .positive)
        try p.finish(allowed: Self.catalog.parameterNames)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * pow(gamma, Double(t / stepSize))
    }
}
