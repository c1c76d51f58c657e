import Specs

/// `optax_piecewise_constant(boundaries=b1;b2, scales=s1;s2)`: optax's
/// `piecewise_constant_schedule(init_value=lr0, boundaries_and_scales={b1: s1, b2: s2})`.
///
/// Reference: `optax.schedules.piecewise_constant_schedule` (optax/schedules/_schedule.py): the
/// value at t is init_value times every scale whose boundary is <= t, multiplied in increasing
/// order of boundary. optax's dict is written as two lists, its keys (`boundaries`) and its values
/// (`scales`), paired in order. torch's `MultiStepLR` (`multistep`) is the case of one scale
/// (gamma) for all milestones. A dict cannot repeat a key, so a repeated boundary is refused
/// (torch's multistep counts a repeated milestone twice).
public struct OptaxPiecewiseConstant: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "optax_piecewise_constant",
        summary: "optax piecewise_constant_schedule: multiply by scales[i] from update boundaries[i] on",
        parameters: parameters.docs,
        reference: "optax.schedules.piecewise_constant_schedule")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<Written>([
        .wholeNumbers("boundaries", \.boundaries, default: nil, .nonNegative, "distinct update indices >= 0, e.g. 100;200 (the dict's keys)"),
        .requiredNumbers("scales", \.scales, countOf: \.boundaries, .nonNegative, "one factor >= 0 per boundary, e.g. 0.1;0.1 (the dict's values)"),
    ])

    /// The parameters as written; the schedule is built from them.
    struct Written {
        var boundaries: [Int] = []
        var scales: [Double] = []
    }

    /// The spec as given (run ids hash it).
    public let spec: Spec
    /// (boundary, scale), sorted by boundary.
    public let steps: [(boundary: Int, scale: Double)]

    public init(spec: Spec) throws {
        let written = try Self.parameters.read(spec, into: Written())
        let boundaries = written.boundaries, scales = written.scales
        if Set(boundaries).count != boundaries.count {
            throw SpecUsageError("optax_piecewise_constant: parameter 'boundaries' must not repeat a value, got '\(spec["boundaries"]!)'")
        }
        steps = zip(boundaries, scales).map { (boundary: $0, scale: $1) }.sorted { $0.boundary < $1.boundary }
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        var v = lr0
        for s in steps where t >= s.boundary { v = s.scale * v }
        return v
    }
}
