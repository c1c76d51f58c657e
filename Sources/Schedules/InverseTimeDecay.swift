import Specs

/// `inverse_time(gamma)`: lr0/(1 + gamma·t).
///
/// Reference: seeds 001 and 003 ("fixed"/inverse-time decay, `lr0 / (1 + rate * t)`); the same as
/// Keras' `InverseTimeDecay` with decay_steps = 1. Seed 003's code labels this "exponential decay",
/// a bug of the seed: `exponential` here is lr0·gamma^t.
public struct InverseTimeDecay: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "inverse_time",
        summary: "lr0/(1 + gamma*t)",
        parameters: parameters.docs,
        reference: "seeds 001, 003 (inverse-time decay)")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<InverseTimeDecay>([
        .requiredNumber("gamma", \.gamma, .nonNegative, "decay rate per update, >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "inverse_time")
    public private(set) var gamma = 0.0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 / (1 + gamma * Double(t))
    }
}
