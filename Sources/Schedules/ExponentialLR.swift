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
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.ExponentialLR")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<ExponentialLR>([
        .requiredNumber("gamma", \.gamma, .positive, "factor per update, > 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "exponential")
    public private(set) var gamma = 0.0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * pow(gamma, Double(t))
    }
}
