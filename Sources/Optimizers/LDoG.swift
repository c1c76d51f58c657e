import Specs

/// L-DoG, layer-wise DoG (Ivgi, Hinder & Carmon 2023, arXiv:2302.12022, §4): DoG's step
/// computed for each layer separately.
///
/// Follows class `LDoG` of `dog-optimizer` 1.0.3 (dog/dog.py): per block b,
///
///     first update:  r̄_b ← reps_rel·(1 + ‖x₀_b‖);  G_b ← ‖g_b‖² + eps
///     later:         r̄_b ← max(r̄_b, ‖x_b − x₀_b‖); G_b ← G_b + ‖g_b‖²
///     η_b ← lr·r̄_b/√G_b (init_eta as in DoG);   x_b ← x_b − η_b·g_b
///
/// Difference: the reference's blocks are the model's parameter tensors (its layers); an
/// optimizer here sees one flat vector and not the problem's layout, so the blocks are
/// consecutive runs of `block_size` coordinates (the last may be shorter). The default
/// block_size = 1 gives every coordinate its own step (the finest partition); a block_size at
/// least the dimension is DoG. Everything else is as in `DoG`. `effectiveLearningRate` is
/// ‖Δx‖/‖g‖ (see EffectiveRate.swift).
public struct LDoG: Optimizer {
    public static let catalog = CatalogEntry(
        name: "ldog",
        summary: "L-DoG: DoG's step per block of block_size coordinates (the reference's blocks are layers).",
        parameters: DoG.dogParameters + [
            ParameterDoc("block_size", "1", "coordinates per block, a whole number >= 1 (the reference's layers)"),
        ],
        reference: "dog-optimizer 1.0.3 (dog/dog.py, class LDoG); Ivgi, Hinder & Carmon 2023, arXiv:2302.12022")

    public var dog: DoG
    public var blockSize: Int

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        dog = try DoG(&p)
        blockSize = try p.int("block_size", default: 1, .atLeast(1))
        try p.finish()
    }

    public var spec: Spec {
        makeSpec(Self.catalog.name, dog.specArguments + [("block_size", specNumber(Double(blockSize)))])
    }

    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        DoGState(config: dog, blockSize: blockSize, initialPoint: initialPoint)
    }
}
