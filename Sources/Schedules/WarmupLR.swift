import Specs

/// `warmup(steps=N, start_factor=1/(N+1), then=X)`: a linear warm-up, then X (restarted at 0).
///
/// Exactly `sequential(schedules=linear(start_factor=s, end_factor=1, total_iters=N);X, milestones=N)`
/// (torch: `SequentialLR([LinearLR(start_factor=s, end_factor=1, total_iters=N), X], milestones=[N])`).
/// Default start_factor = 1/(N+1): then the warm-up rate is lr0·(t+1)/(N+1) for t < N, so no update
/// is wasted at rate 0 (start_factor=0, the usual "t/N" warm-up, spends update 0 at rate 0) and the
/// ramp meets lr0 at t = N. torch's default 1/3 would start at a third of lr0 whatever N.
/// steps=0 means no warm-up: just X.
public struct WarmupLR: Schedule {
    public static let catalog = CatalogEntry(
        name: "warmup",
        summary: "linear warm-up over steps updates, then another schedule",
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.SequentialLR of LinearLR and X")

    /// The parameters, declared once: parsing, the catalog and the spec of a value built in code
    /// come from here.
    static let parameters = ParameterTable<Written>([
        .requiredInteger("steps", \.steps, .nonNegative, "warm-up length in updates, >= 0"),
        .derivedNumber("start_factor", \.startFactor, shown: "1/(steps+1)", default: { defaultStartFactor(steps: $0.steps) }, .unit,
                       "factor at t = 0, in [0, 1]"),
        .childSpec("then", \.then, default: Spec(name: "constant"), "the schedule after the warm-up (restarts at t = 0)"),
    ])

    /// 1/(steps+1): the ramp lr0·(t+1)/(steps+1) meets lr0 at t = steps.
    static func defaultStartFactor(steps: Int) -> Double { 1 / Double(steps + 1) }

    /// The parameters as written: `then` as its spec.
    struct Written {
        var steps = 0
        var startFactor = 0.0
        var then = Spec(name: "constant")
    }

    /// The spec as given, or written from the values (run ids hash it).
    public let spec: Spec
    public let steps: Int
    public let startFactor: Double
    public let sequence: SequentialLR

    public var drive: ScheduleDrive { sequence.drive }

    /// Parses the spec, builds `then` (the registry: the edge), then the value.
    public init(spec: Spec) throws {
        let w = try Self.parameters.read(spec, into: Written())
        try self.init(steps: w.steps, startFactor: w.startFactor, then: try ScheduleRegistry.make(w.then), spec: spec)
    }

    /// A linear warm-up over `steps` updates from `startFactor`·lr0 (default 1/(steps+1)), then
    /// `then` restarted at 0. Its spec is written out in full
    /// (`warmup(steps=N, start_factor=s, then=X)`) and parses back to the same schedule.
    public init(steps: Int, startFactor: Double? = nil, then: any Schedule) throws {
        let s = startFactor ?? Self.defaultStartFactor(steps: steps)
        let written = Written(steps: steps, startFactor: s, then: then.spec)
        try self.init(steps: steps, startFactor: s, then: then, spec: Self.parameters.writtenSpec(Self.catalog.name, written))
    }

    /// The value with the spec it was written as; both paths check here.
    init(steps: Int, startFactor: Double, then: any Schedule, spec: Spec) throws {
        try ValueRange.nonNegative.wholeNumbers.check(Double(steps), name: "warmup: parameter 'steps'", wholeNumber: true)
        try ValueRange.unit.check(startFactor, name: "warmup: parameter 'start_factor'")
        self.spec = spec
        self.steps = steps
        self.startFactor = startFactor
        if steps == 0 {
            sequence = try SequentialLR([then], milestones: [], spec: spec)
        } else {
            let ramp = LinearLR(startFactor: startFactor, endFactor: 1, totalIters: steps)
            sequence = try SequentialLR([ramp, then], milestones: [steps], spec: spec)
        }
    }

    public func makeController(base lr0: Double) -> any RateController { sequence.makeController(base: lr0) }
}
