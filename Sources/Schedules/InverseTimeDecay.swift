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
        parameters: [ParameterDoc("gamma", "required", "decay rate per update, >= 0")],
        reference: "seeds 001, 003 (inverse-time decay)")

    public let spec: Spec
    public let gamma: Double

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        gamma = try p.double("gamma", .nonNegative)
        try p.finish(allowed: Self.catalog.parameterNames)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        lr0 / (1 + gamma * Double(t))
    }
}
