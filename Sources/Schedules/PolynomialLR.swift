import Foundation
import Specs

/// `polynomial(total_iters=5, power=1)`: lr0·(1 − min(t, T)/T)^power, 0 from t = T on.
///
/// Reference: `torch.optim.lr_scheduler.PolynomialLR`, closed form
/// `base_lr * (1.0 - min(total_iters, last_epoch) / total_iters) ** power`.
public struct PolynomialLR: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "polynomial",
        summary: "polynomial decay to 0 over total_iters updates",
        parameters: [
            ParameterDoc("total_iters", "5", "updates until the rate reaches 0, >= 1"),
            ParameterDoc("power", "1", "exponent, >= 0"),
        ],
        reference: "torch.optim.lr_scheduler.PolynomialLR")

    public let spec: Spec
    public let totalIters: Int
    public let power: Double

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        totalIters = try p.int("total_iters", default: 5, .atLeast(1))
        power = try p.double("power", default: 1, .nonNegative)
        try p.finish(allowed: Self.catalog.parameterNames)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * pow(1.0 - Double(min(totalIters, t)) / Double(totalIters), power)
    }
}
