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

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        steps = try p.int("steps", .nonNegative)
        startFactor = try p.double("start_factor", default: 1 / Double(steps + 1), .unit)
        let thenSpec = try p.spec("then", default: Spec(name: "constant"))
        try p.finish(allowed: Self.catalog.parameterNames)
        self.spec = spec
        let then = try ScheduleRegistry.make(thenSpec)
        if steps == 0 {
            sequence = SequentialLR(spec: spec, children: [then], milestones: [])
        } else {
            let ramp = LinearLR(startFactor: startFactor, endFactor: 1, totalIters: steps)
            sequence = SequentialLR(spec: spec, children: [ramp, then], milestones: [steps])
        }
    }

    public func makeController(base lr0: Double) -> any RateController { sequence.makeController(base: lr0) }
}
