import Foundation
import Specs

/// `exponential(gamma)`: lr0·gamma^t (seeds 001 and 003; seed 003's *code* computes
/// lr0/(1+gamma·t) instead, which is `inverse_time`).
///
/// Reference: `torch.optim.lr_scheduler.ExponentialLR`, closed form `base_lr * gamma ** last_epoch`.
public struct ExponentialLR: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "exponential",
        summary: "multiply by gamma every update",
        parameters: [ParameterDoc("gamma", "required", "factor per update, > 0")],
        reference: "torch.optim.lr_scheduler.ExponentialLR")

    public let spec: Spec
    public let gamma: Double

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        gamma = try p.double("gamma", .positive)
        try p.finish(allowed: Self.catalog.parameterNames)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * pow(gamma, Double(t))
    }
}
