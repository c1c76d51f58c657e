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
        parameters: [
            ParameterDoc("steps", "required", "warm-up length in updates, >= 0"),
            ParameterDoc("start_factor", "1/(steps+1)", "factor at t = 0, in [0, 1]"),
            ParameterDoc("then", "constant", "the schedule after the warm-up (restarts at t = 0)"),
        ],
        reference: "torch.optim.lr_scheduler.SequentialLR of LinearLR and X")

    public let spec: Spec
    public let steps: Int
    public let startFactor: Double
    public let sequence: SequentialLR

    public var drive: ScheduleDrive { sequence.drive }

    /// Parses the spec, builds `then` (the registry: the edge), then the value.
    public init(spec: Spec) throws {
        var p = Parameters(spec)
        let steps = try p.int("steps", .nonNegative)
        let startFactor = try p.double("start_factor", default: 1 / Double(steps + 1), .unit)
        let thenSpec = try p.spec("then", default: Spec(name: "constant"))
        try p.finish(allowed: Self.catalog.parameterNames)
        try self.init(steps: steps, startFactor: startFactor, then: try ScheduleRegistry.make(thenSpec), spec: spec)
    }

    /// A linear warm-up over `steps` updates from `startFactor`·lr0 (default 1/(steps+1)), then
    /// `then` restarted at 0. Its spec is written out in full
    /// (`warmup(steps=N, start_factor=s, then=X)`) and parses back to the same schedule.
    public init(steps: Int, startFactor: Double? = nil, then: any Schedule) throws {
        let s = startFactor ?? 1 / Double(steps + 1)
        try self.init(steps: steps, startFactor: s, then: then, spec: Spec(name: "warmup", arguments: [
            Spec.Argument(key: "steps", value: .exact(Double(steps))),
            Spec.Argument(key: "start_factor", value: .exact(s)),
            Spec.Argument(key: "then", value: .nested(then.spec)),
        ]))
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
