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
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.PolynomialLR")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<PolynomialLR>([
        .integer("total_iters", \.totalIters, default: "5", .atLeast(1), "updates until the rate reaches 0, >= 1"),
        .number("power", \.power, default: "1", .nonNegative, "exponent, >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "polynomial")
    public private(set) var totalIters = 1
    public private(set) var power = 0.0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 * pow(1.0 - Double(min(totalIters, t)) / Double(totalIters), power)
    }
}
