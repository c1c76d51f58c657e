import Specs

/// `chained(schedules=A;B)`: lr0 · Π_i (rate_i(t)/lr0), every child seeing the same t.
///
/// Reference: `torch.optim.lr_scheduler.ChainedScheduler`, which steps every child on the same
/// optimizer so that their multiplicative (chainable) updates compose: for closed-form children
/// the rate is lr0 times the product of their factors (torch's docstring example
/// ConstantLR(factor=0.1, total_iters=20) with ExponentialLR(gamma=0.9): 0.1·lr0 at t = 0,
/// 0.1·0.9^19·lr0 at t = 19, 0.9^20·lr0 at t = 20). Rate 0 when lr0 = 0. Differences: torch refuses
/// ReduceLROnPlateau children; here metric/time-driven children are allowed (their factor is
/// their rate over lr0, observations go to every child). The momentum is that of the last child
/// reporting one (in torch the last child to step sets it).
public struct ChainedScheduler: Schedule {
    public static let catalog = CatalogEntry(
        name: "chained",
        summary: "product of the children's factors",
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.ChainedScheduler")

    /// The parameters, declared once: parsing, the catalog and the spec of a value built in code
    /// come from here.
    static let parameters = ParameterTable<Written>([
        .childSpecs("schedules", \.schedules, "specs separated by ';'"),
    ])

    /// The parameters as written: the children's specs.
    struct Written {
        var schedules: [Spec] = []
    }

    /// The spec as given, or written from the values (run ids hash it).
    public let spec: Spec
    public let children: [any Schedule]
    public var drive: ScheduleDrive { .strongest(children.map(\.drive)) }

    /// Parses the spec, builds the children (the registry: the edge), then the value.
    public init(spec: Spec) throws {
        let written = try Self.parameters.read(spec, into: Written())
        try self.init(try written.schedules.map(ScheduleRegistry.make), spec: spec)
    }

    /// The product of `children`'s factors. Its spec is written from the children's
    /// (`chained(schedules=A;B)`) and parses back to the same schedule.
    public init(_ children: [any Schedule]) throws {
        try self.init(children, spec: Self.parameters.writtenSpec(Self.catalog.name, Written(schedules: children.map { $0.spec })))
    }

    /// The value with the spec it was written as; both paths check here.
    init(_ children: [any Schedule], spec: Spec) throws {
        if children.isEmpty { throw SpecUsageError("chained: parameter 'schedules' must list at least one schedule") }
        self.spec = spec
        self.children = children
    }

    public func makeController(base lr0: Double) -> any RateController {
        Controller(children: children.map { $0.makeController(base: lr0) }, base: lr0)
    }

    public final class Controller: RateController {
        let children: [any RateController]
        let base: Double

        init(children: [any RateController], base: Double) {
            self.children = children
            self.base = base
        }

        public func rate(at t: Int, elapsedSeconds: Double) -> Double {
            guard base != 0 else { return 0 }
            var r = base
            for child in children { r *= child.rate(at: t, elapsedSeconds: elapsedSeconds) / base }
            return r
        }

        public func momentum(at t: Int) -> Double? {
            var m: Double?
            for child in children { if let x = child.momentum(at: t) { m = x } }
            return m
        }

        public func observe(_ metric: Double, after t: Int) {
            for child in children { child.observe(metric, after: t) }
        }
    }
}
