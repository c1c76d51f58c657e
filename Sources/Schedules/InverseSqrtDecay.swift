import Foundation
import Specs

/// `inverse_sqrt(gamma)`: lr0/√(1 + gamma·t).
///
/// Reference: seed 001 (square-root decay, `lr0 / sqrt(1 + rate * t)`).
public struct InverseSqrtDecay: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "inverse_sqrt",
        summary: "lr0/sqrt(1 + gamma*t)",
        parameters: parameters.docs,
        reference: "seed 001 (square-root decay)")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<InverseSqrtDecay>([
        .requiredNumber("gamma", \.gamma, .nonNegative, "decay rate per update, >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "inverse_sqrt")
    public private(set) var gamma = 0.0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 / (1 + gamma * Double(t)).squareRoot()
    }
}
