import Foundation
import Specs

/// `inverse_sqrt(gamma)`: lr0/√(1 + gamma·t).
///
/// Reference: seed 001 (square-root decay, `lr0 / sqrt(1 + rate * t)`).
public struct InverseSqrtDecay: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "inverse_sqrt",
        summary: "lr0/sqrt(1 + gamma*t)",
        parameters: [ParameterDoc("gamma", "required", "decay rate per update, >= 0")],
        reference: "seed 001 (square-root decay)")

    public let spec: Spec
    public let gamma: Double

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        gamma = try p.double("gamma", .nonNegative)
        try p.finish(allowed: Self.catalog.parameterNames)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 / (1 + gamma * Double(t)).squareRoot()
    }
}
