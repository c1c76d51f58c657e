import Specs

/// `plateau(mode=min, factor=0.1, patience=10, threshold=1e-4, threshold_mode=rel, cooldown=0,
/// min_lr=0, eps=1e-8)`: reduce the rate by `factor` when the observed metric stops improving.
///
/// Reference: `torch.optim.lr_scheduler.ReduceLROnPlateau.step`, exactly: best starts at +inf
/// (−inf for max); an observation better than best (rel: a < best·(1 − threshold) in min mode,
/// a > best·(1 + threshold) in max mode; abs: a < best − threshold, a > best + threshold) resets
/// the count of bad observations, any other adds one; during cooldown the counter ticks down and
/// bad observations are forgotten; when the count exceeds `patience` the rate becomes
/// max(rate·factor, min_lr) unless that changes it by no more than eps, and the cooldown starts.
/// It observes the metric given to `observe(_:after:)`, once per update (in a run: the loss at
/// the point after each update, i.e. the minibatch loss on stochastic problems), so `patience`
/// and `cooldown` count updates here, whereas torch users usually step it once per epoch with a
/// validation loss. min_lr and eps are absolute, as in torch.
public struct ReduceLROnPlateau: Schedule {
    public static let catalog = CatalogEntry(
        name: "plateau",
        summary: "reduce by factor when the observed loss has not improved for patience updates",
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.ReduceLROnPlateau")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<ReduceLROnPlateau>([
        .choice("mode", \.mode, default: .min, "min or max: whether lower or higher metric is better"),
        .number("factor", \.factor, default: "0.1", .unitOpenAbove, "reduction factor, in [0, 1)"),
        .integer("patience", \.patience, default: "10", .nonNegative, "bad observations tolerated before reducing, >= 0"),
        // [0, 1) when relative: the range follows threshold_mode as written (read after it in torch).
        .dependentNumber("threshold", \.threshold, default: "0.0001",
                         range: { $0["threshold_mode"]?.description == "abs" ? .nonNegative : .unitOpenAbove },
                         "improvement needed to count as better, >= 0 (< 1 when rel)"),
        .choice("threshold_mode", \.thresholdMode, default: .rel, "rel or abs"),
        .integer("cooldown", \.cooldown, default: "0", .nonNegative, "observations ignored after a reduction, >= 0"),
        .number("min_lr", \.minLR, default: "0", .nonNegative, "lower bound on the rate (absolute), >= 0"),
        .number("eps", \.eps, default: "1e-8", .nonNegative, "smallest change of rate applied, >= 0"),
    ])

    public enum Mode: String, CaseIterable, Sendable { case min, max }
    public enum ThresholdMode: String, CaseIterable, Sendable { case rel, abs }

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "plateau")
    public private(set) var mode = Mode.min
    public private(set) var factor = 0.0
    public private(set) var patience = 0
    public private(set) var threshold = 0.0
    public private(set) var thresholdMode = ThresholdMode.rel
    public private(set) var cooldown = 0
    public private(set) var minLR = 0.0
    public private(set) var eps = 0.0
    public var maximize: Bool { mode == .max }
    public var relative: Bool { thresholdMode == .rel }

    public var drive: ScheduleDrive { .metric }

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    /// torch's `_is_better(a, best)`.
    public func isBetter(_ a: Double, than best: Double) -> Bool {
        switch (maximize, relative) {
        case (false, true): return a < best * (1.0 - threshold)
        case (false, false): return a < best - threshold
        case (true, true): return a > best * (threshold + 1.0)
        case (true, false): return a > best + threshold
        }
    }

    public func makeController(base lr0: Double) -> any RateController { Controller(self, base: lr0) }

    /// One run's plateau state: torch's lr, best, num_bad_epochs and cooldown_counter.
    public final class Controller: RateController {
        let schedule: ReduceLROnPlateau
        public private(set) var lr: Double
        public private(set) var best: Double
        public private(set) var numBad = 0
        public private(set) var cooldownCounter = 0
        /// How many times the rate was reduced.
        public private(set) var reductions = 0

        init(_ schedule: ReduceLROnPlateau, base lr0: Double) {
            self.schedule = schedule
            lr = lr0
            best = schedule.maximize ? -.infinity : .infinity
        }

        public func rate(at t: Int, elapsedSeconds: Double) -> Double { lr }
        public func momentum(at t: Int) -> Double? { nil }

        public func observe(_ metric: Double, after t: Int) {
            if schedule.isBetter(metric, than: best) {
                best = metric
                numBad = 0
            } else {
                numBad += 1
            }
            if cooldownCounter > 0 {
                cooldownCounter -= 1
                numBad = 0
            }
            if numBad > schedule.patience {
                let newLR = max(lr * schedule.factor, schedule.minLR)
                if lr - newLR > schedule.eps {
                    lr = newLR
                    reductions += 1
                }
                cooldownCounter = schedule.cooldown
                numBad = 0
            }
        }
    }
}
