import Specs

/// `interleave(every=k, on=A, otherwise=B)`: update t uses A's rate when t mod k = 0 (so t = 0
/// counts: updates 0, k, 2k, ...), B's otherwise. Both children see the global t and every
/// observation, whether or not their rate is used.
///
/// Reference: seed 000's example, which alternates linear decay (every 100th step) with the
/// loss-adaptive rate: `interleave(every=100, on=linear(start_factor=1, end_factor=0,
/// total_iters=1000), otherwise=loss_adaptive(min_loss=1))` reproduces its code. The seed sets the
/// rate *after* update `iter` for the next one, so in its loop A's rate is used by updates
/// 1, 101, 201, ... and update 0 runs at lr0; we count from update 0 (for a decay starting at lr0,
/// as in the seed, update 0 gets lr0 either way).
public struct InterleavedLR: Schedule {
    public static let catalog = CatalogEntry(
        name: "interleave",
        summary: "A's rate on every k-th update (t mod k = 0), B's otherwise",
        parameters: parameters.docs,
        reference: "seed 000 (mixture of linear decay and loss-adaptive rate)")

    /// The parameters, declared once: parsing, the catalog and the spec of a value built in code
    /// come from here.
    static let parameters = ParameterTable<Written>([
        .requiredInteger("every", \.every, .atLeast(1), "period k, >= 1"),
        .childSpec("on", \.on, default: nil, "schedule used when t mod k = 0"),
        .childSpec("otherwise", \.otherwise, default: nil, "schedule used on the other updates"),
    ])

    /// The parameters as written: the children as their specs.
    struct Written {
        var every = 1
        var on = Spec(name: "constant")
        var otherwise = Spec(name: "constant")
    }

    /// The spec as given, or written from the values (run ids hash it).
    public let spec: Spec
    public let every: Int
    public let on: any Schedule
    public let otherwise: any Schedule
    public var drive: ScheduleDrive { .strongest([on.drive, otherwise.drive]) }

    /// Parses the spec, builds both children (the registry: the edge), then the value.
    public init(spec: Spec) throws {
        let w = try Self.parameters.read(spec, into: Written())
        try self.init(every: w.every, on: try ScheduleRegistry.make(w.on), otherwise: try ScheduleRegistry.make(w.otherwise), spec: spec)
    }

    /// `on`'s rate on every `every`-th update (t mod every = 0), `otherwise`'s on the others. Its
    /// spec is written from the children's (`interleave(every=k, on=A, otherwise=B)`) and parses
    /// back to the same schedule.
    public init(every: Int, on: any Schedule, otherwise: any Schedule) throws {
        let written = Written(every: every, on: on.spec, otherwise: otherwise.spec)
        try self.init(every: every, on: on, otherwise: otherwise, spec: Self.parameters.writtenSpec(Self.catalog.name, written))
    }

    /// The value with the spec it was written as; both paths check here.
    init(every: Int, on: any Schedule, otherwise: any Schedule, spec: Spec) throws {
        try ValueRange.atLeast(1).wholeNumbers.check(Double(every), name: "interleave: parameter 'every'", wholeNumber: true)
        self.spec = spec
        self.every = every
        self.on = on
        self.otherwise = otherwise
    }

    public func makeController(base lr0: Double) -> any RateController {
        Controller(every: every, on: on.makeController(base: lr0), otherwise: otherwise.makeController(base: lr0))
    }

    public final class Controller: RateController {
        let every: Int
        let on: any RateController
        let otherwise: any RateController

        init(every: Int, on: any RateController, otherwise: any RateController) {
            self.every = every
            self.on = on
            self.otherwise = otherwise
        }

        public func rate(at t: Int, elapsedSeconds: Double) -> Double {
            t % every == 0 ? on.rate(at: t, elapsedSeconds: elapsedSeconds) : otherwise.rate(at: t, elapsedSeconds: elapsedSeconds)
        }

        public func momentum(at t: Int) -> Double? {
            t % every == 0 ? on.momentum(at: t) : otherwise.momentum(at: t)
        }

        public func observe(_ metric: Double, after t: Int) {
            on.observe(metric, after: t)
            otherwise.observe(metric, after: t)
        }
    }
}
