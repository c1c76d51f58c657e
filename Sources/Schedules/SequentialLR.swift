import Specs

/// `sequential(schedules=A;B;C, milestones=m1;m2)`: A for t < m1, B for m1 <= t < m2, C after.
///
/// Reference: `torch.optim.lr_scheduler.SequentialLR`: the active child is
/// `bisect_right(milestones, t)`, and each child restarts at 0 at its milestone (torch calls the
/// child's closed form at epoch 0 there and steps it from then on), i.e. child k sees t − m_k;
/// optax's `join_schedules` does the same. All children start from the same lr0.
/// Differences: torch refuses ReduceLROnPlateau children; here children may be metric- or
/// time-driven. The composite's drive is the strongest of its children's (time > metric > step);
/// the observation after update t goes to the child active at t (with its own t − m_k); a
/// time-driven child sees the seconds since it became active (it restarts at 0 like the step).
public struct SequentialLR: Schedule {
    public static let catalog = CatalogEntry(
        name: "sequential",
        summary: "one schedule after another; each restarts at 0 at its milestone",
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.SequentialLR")

    /// The parameters, declared once: parsing, the catalog and the spec of a value built in code
    /// come from here. Milestones may be left out for one child (none), but are listed as required.
    static let parameters = ParameterTable<Written>([
        .childSpecs("schedules", \.schedules, "specs separated by ';', e.g. linear(total_iters=10);cosine(T_max=90)"),
        .wholeNumbers("milestones", \.milestones, default: [], shown: "required", .atLeast(1),
                      "increasing update indices >= 1, one fewer than schedules"),
    ])

    /// The parameters as written: the children's specs and the milestones.
    struct Written {
        var schedules: [Spec] = []
        var milestones: [Int] = []
    }

    /// The spec as given, or written from the values (run ids hash it).
    public let spec: Spec
    public let children: [any Schedule]
    public let milestones: [Int]

    public var drive: ScheduleDrive { .strongest(children.map(\.drive)) }

    /// Parses the spec, checks it, builds the children (the registry: the edge), then the value.
    public init(spec: Spec) throws {
        let written = try Self.parameters.read(spec, into: Written())
        try Self.check(count: written.schedules.count, milestones: written.milestones, written: spec["milestones"]?.description)
        try self.init(try written.schedules.map(ScheduleRegistry.make), milestones: written.milestones, spec: spec)
    }

    /// `children` one after another, as optax's `join_schedules(schedules, boundaries)`: child k
    /// runs from update `milestones[k − 1]` on, restarted at 0. Its spec is written from the
    /// children's (`sequential(schedules=A;B, milestones=m)`) and parses back to the same schedule.
    public init(_ children: [any Schedule], milestones: [Int]) throws {
        let written = Written(schedules: children.map { $0.spec }, milestones: milestones)
        try self.init(children, milestones: milestones, spec: Self.parameters.writtenSpec(Self.catalog.name, written))
    }

    /// The value with the spec it was written as; both paths check here.
    init(_ children: [any Schedule], milestones: [Int], spec: Spec) throws {
        try Self.check(count: children.count, milestones: milestones, written: nil)
        self.spec = spec
        self.children = children
        self.milestones = milestones
    }

    /// At least one child, one milestone fewer than children, each >= 1 and increasing.
    /// `written`: the milestones as the spec wrote them (for the message).
    static func check(count: Int, milestones: [Int], written: String?) throws {
        if count == 0 { throw SpecUsageError("sequential: parameter 'schedules' must list at least one schedule") }
        if milestones.count != count - 1 {
            throw SpecUsageError("sequential: parameter 'milestones' must have \(count - 1) value(s) for \(count) schedules, got \(milestones.count)")
        }
        let shown = written ?? milestones.map(String.init).joined(separator: ";")
        if let m = milestones.first, m < 1 {
            throw SpecUsageError("sequential: parameter 'milestones' must be >= 1, got '\(shown)'")
        }
        for i in milestones.indices.dropFirst() where milestones[i] <= milestones[i - 1] {
            throw SpecUsageError("sequential: parameter 'milestones' must be increasing, got '\(shown)'")
        }
    }

    public func makeController(base lr0: Double) -> any RateController {
        Controller(children: children.map { $0.makeController(base: lr0) }, milestones: milestones)
    }

    public final class Controller: RateController {
        let children: [any RateController]
        let milestones: [Int]
        /// Elapsed seconds when each child became active (child 0: the run's start).
        var startSeconds: [Double]
        var started: [Bool]

        init(children: [any RateController], milestones: [Int]) {
            self.children = children
            self.milestones = milestones
            startSeconds = Array(repeating: 0, count: children.count)
            started = Array(repeating: false, count: children.count)
            started[0] = true
        }

        /// `bisect_right(milestones, t)`.
        @inline(__always) func index(_ t: Int) -> Int {
            var i = 0
            while i < milestones.count, milestones[i] <= t { i += 1 }
            return i
        }

        @inline(__always) func offset(_ i: Int) -> Int { i == 0 ? 0 : milestones[i - 1] }

        public func rate(at t: Int, elapsedSeconds: Double) -> Double {
            let i = index(t)
            if !started[i] {
                started[i] = true
                startSeconds[i] = elapsedSeconds
            }
            return children[i].rate(at: t - offset(i), elapsedSeconds: elapsedSeconds - startSeconds[i])
        }

        public func momentum(at t: Int) -> Double? {
            let i = index(t)
            return children[i].momentum(at: t - offset(i))
        }

        public func observe(_ metric: Double, after t: Int) {
            let i = index(t)
            children[i].observe(metric, after: t - offset(i))
        }
    }
}
