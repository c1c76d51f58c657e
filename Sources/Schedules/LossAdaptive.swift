import Specs

/// `loss_adaptive(min_loss=best)`: lr0/(1 + loss/min_loss), with loss the last observed metric and
/// min_loss the lowest metric observed so far (`best`, the default) or a fixed positive number.
///
/// Reference: seed 000 ("适应性调整", α = α0/(1 + loss/min_loss)). The seed's *code* uses
/// lr0/(1 + loss), which is `loss_adaptive(min_loss=1)`.
/// Rules where the formula is undefined: before anything is observed (t = 0) the rate is lr0;
/// non-finite observations are ignored (the rate stays as it was); the ratio loss/min_loss is
/// taken as 0 when negative and min_loss is floored at the smallest positive normal double, so the
/// rate always lies in [0, lr0] (a loss of 0 when the best is 0 gives lr0; a positive loss after a
/// best of 0 gives ~0). With `best`, an improving run gets loss = min_loss, i.e. lr0/2.
public struct LossAdaptive: Schedule {
    public static let catalog = CatalogEntry(
        name: "loss_adaptive",
        summary: "lr0/(1 + loss/min_loss), min_loss the best loss so far (or fixed)",
        parameters: parameters.docs,
        reference: "seed 000 (adaptive adjustment)")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<LossAdaptive>([
        .optionalNumber("min_loss", \.fixedMinLoss, shown: "best", word: "best", .positive,
                        "best (lowest observed so far) or a fixed reference loss > 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "loss_adaptive")
    /// nil: the best observed so far.
    public private(set) var fixedMinLoss: Double?
    public var drive: ScheduleDrive { .metric }

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    /// The rate for a last loss and a reference minimum, with the guards above.
    public static func rate(loss: Double, minLoss: Double, base lr0: Double) -> Double {
        var ratio = loss / max(minLoss, Double.leastNormalMagnitude)
        if !(ratio > 0) { ratio = 0 }
        return lr0 / (1 + ratio)
    }

    public func makeController(base lr0: Double) -> any RateController { Controller(self, base: lr0) }

    public final class Controller: RateController {
        let schedule: LossAdaptive
        let base: Double
        public private(set) var lastLoss: Double?
        public private(set) var bestLoss = Double.infinity

        init(_ schedule: LossAdaptive, base: Double) {
            self.schedule = schedule
            self.base = base
        }

        public func rate(at t: Int, elapsedSeconds: Double) -> Double {
            guard let loss = lastLoss else { return base }
            return LossAdaptive.rate(loss: loss, minLoss: schedule.fixedMinLoss ?? bestLoss, base: base)
        }

        public func momentum(at t: Int) -> Double? { nil }

        public func observe(_ metric: Double, after t: Int) {
            guard metric.isFinite else { return }
            lastLoss = metric
            bestLoss = min(bestLoss, metric)
        }
    }
}
