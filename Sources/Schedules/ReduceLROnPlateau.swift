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
        parameters: [
            ParameterDoc("mode", "min", "min or max: whether lower or higher metric is better"),
            ParameterDoc("factor", "0.1", "reduction factor, in [0, 1)"),
            ParameterDoc("patience", "10", "bad observations tolerated before reducing, >= 0"),
            ParameterDoc("threshold", "0.0001", "improvement needed to count as better, >= 0 (< 1 when rel)"),
            ParameterDoc("threshold_mode", "rel", "rel or abs"),
            ParameterDoc("cooldown", "0", "observations ignored after a reduction, >= 0"),
            ParameterDoc("min_lr", "0", "lower bound on the rate (absolute), >= 0"),
            ParameterDoc("eps", "1e-8", "smallest change of rate applied, >= 0"),
        ],
        reference: "torch.optim.lr_scheduler.ReduceLROnPlateau")

    public let spec: Spec
    public let maximize: Bool
    public let factor: Double
    public let patience: Int
    public let threshold: Double
    public let relative: Bool
    public let cooldown: Int
    public let minLR: Double
    public let eps: Double

    public var drive: ScheduleDrive { .metric }

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        maximize = try p.choice("mode", default: "min", ["min", "max"]) == "max"
        factor = try p.double("factor", default: 0.1, .unitOpenAbove)
        patience = try p.int("patience", default: 10, .nonNegative)
        relative = try p.choice("threshold_mode", default: "rel", ["rel", "abs"]) == "rel"
        threshold = try p.double("threshold", default: 1e-4, relative ? .unitOpenAbove : .nonNegative)
        cooldown = try p.int("cooldown", default: 0, .nonNegative)
        minLR = try p.double("min_lr", default: 0, .nonNegative)
        eps = try p.double("eps", default: 1e-8, .nonNegative)
        try p.finish(allowed: Self.catalog.parameterNames)
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
