import Specs

/// `time_decay(gamma)`: lr0/(1 + gamma·s) with s the wall-clock seconds since the run started.
///
/// Reference: seed 001 (time decay, `lr0 * (1 + rate * elapsed_time)^-1`). Driven by wall-clock
/// time, not the step count: the same spec gives different rates on different machines, under
/// different load, and from one run to the next. Results with it are not reproducible.
public struct TimeDecay: Schedule {
    public static let catalog = CatalogEntry(
        name: "time_decay",
        summary: "lr0/(1 + gamma*seconds): decays with wall-clock time (non-deterministic)",
        parameters: parameters.docs,
        reference: "seed 001 (time decay)")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<TimeDecay>([
        .requiredNumber("gamma", \.gamma, .nonNegative, "decay rate per second, >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "time_decay")
    public private(set) var gamma = 0.0
    public var drive: ScheduleDrive { .time }

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    /// The rate after `seconds` of wall-clock time (negative times count as 0).
    public func learningRate(afterSeconds seconds: Double, base lr0: Double) -> Double {
        lr0 / (1 + gamma * max(0, seconds))
    }

    public func makeController(base lr0: Double) -> any RateController { Controller(self, base: lr0) }

    public final class Controller: RateController {
        let schedule: TimeDecay
        let base: Double
        init(_ schedule: TimeDecay, base: Double) {
            self.schedule = schedule
            self.base = base
        }
        public func rate(at t: Int, elapsedSeconds: Double) -> Double {
            schedule.learningRate(afterSeconds: elapsedSeconds, base: base)
        }
        public func momentum(at t: Int) -> Double? { nil }
        public func observe(_ metric: Double, after t: Int) {}
    }
}
