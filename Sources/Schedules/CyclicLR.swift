import Foundation
import Specs

/// `cyclic(base_lr=lr0/10, max_lr=lr0, step_size_up=2000, step_size_down=step_size_up,
/// mode=triangular, gamma=1, cycle_momentum=true, base_momentum=0.8, max_momentum=0.9)`.
///
/// Reference: `torch.optim.lr_scheduler.CyclicLR.get_lr` (a closed form in the batch index);
/// Smith, "Cyclical Learning Rates for Training Neural Networks", arXiv:1506.01186.
/// cycle = ⌊1 + t/(up + down)⌋, x = 1 + t/(up + down) − cycle, scale = x/r if x <= r else
/// (x − 1)/(r − 1) with r = up/(up + down); rate = base_lr + (max_lr − base_lr)·scale·f where
/// f = 1 (triangular), 1/2^(cycle − 1) (triangular2, evaluated per cycle) or gamma^t (exp_range,
/// evaluated per iteration). Momentum = max_momentum − (max_momentum − base_momentum)·scale·f.
/// Difference: torch requires base_lr and max_lr (absolute); here max_lr defaults to lr0 and
/// base_lr to lr0/10 when not given, so sweeping lr0 sweeps the cycle. Given values are absolute.
/// (torch also refuses cycle_momentum=true for an optimizer without momentum; here the harness
/// decides whether to use the momentum we report.)
public struct CyclicLR: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "cyclic",
        summary: "cyclical rate between base_lr and max_lr (triangular, triangular2, exp_range)",
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.CyclicLR; Smith 2017 (arXiv:1506.01186)")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<CyclicLR>([
        .optionalNumber("base_lr", \.baseLR, shown: "lr0/10", .nonNegative, "lower bound (absolute); defaults to lr0/10"),
        .optionalNumber("max_lr", \.maxLR, shown: "lr0", .nonNegative, "upper bound (absolute); defaults to lr0"),
        .integer("step_size_up", \.stepSizeUp, default: "2000", .atLeast(1), "updates in the increasing half, >= 1"),
        .optionalWholeNumber("step_size_down", \.givenStepSizeDown, shown: "step_size_up", .nonNegative, "updates in the decreasing half, >= 0"),
        .choice("mode", \.mode, default: .triangular, "triangular, triangular2 or exp_range"),
        .number("gamma", \.gamma, default: "1", .positive, "exp_range's factor per update, > 0"),
        .flag("cycle_momentum", \.cycleMomentum, default: true, "cycle momentum/beta1 inversely to the rate"),
        .number("base_momentum", \.baseMomentum, default: "0.8", .unit, "momentum at the peak rate, in [0, 1]"),
        .number("max_momentum", \.maxMomentum, default: "0.9", .unit, "momentum at the bottom rate, in [0, 1]"),
    ])

    public enum Mode: String, CaseIterable, Sendable { case triangular, triangular2, exp_range }

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "cyclic")
    public private(set) var baseLR: Double?
    public private(set) var maxLR: Double?
    public private(set) var stepSizeUp = 1
    /// step_size_down as given (nil: step_size_up).
    private(set) var givenStepSizeDown: Int?
    public var stepSizeDown: Int { givenStepSizeDown ?? stepSizeUp }
    public private(set) var mode = Mode.triangular
    public private(set) var gamma = 0.0
    public private(set) var cycleMomentum = false
    public private(set) var baseMomentum = 0.0
    public private(set) var maxMomentum = 0.0
    private(set) var totalSize = 0.0
    private(set) var stepRatio = 0.0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
        totalSize = Double(stepSizeUp) + Double(stepSizeDown)
        stepRatio = Double(stepSizeUp) / totalSize
    }

    /// torch's (cycle, scale_factor) for update t, shared by the rate and the momentum.
    func position(at t: Int) -> (cycle: Double, scaleFactor: Double) {
        let cycle = (1 + Double(t) / totalSize).rounded(.down)
        let x = 1.0 + Double(t) / totalSize - cycle
        return (cycle, x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1))
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        let low = baseLR ?? lr0 / 10
        let high = maxLR ?? lr0
        let (cycle, scaleFactor) = position(at: t)
        let baseHeight = (high - low) * scaleFactor
        return low + baseHeight * scale(cycle: cycle, t: t)
    }

    public func momentum(at t: Int, base lr0: Double) -> Double? {
        guard cycleMomentum else { return nil }
        let (cycle, scaleFactor) = position(at: t)
        let baseHeight = (maxMomentum - baseMomentum) * scaleFactor
        return maxMomentum - baseHeight * scale(cycle: cycle, t: t)
    }

    /// torch's scale_fn: of the cycle number (triangular, triangular2) or of t (exp_range).
    func scale(cycle: Double, t: Int) -> Double {
        switch mode {
        case .triangular: return 1.0
        case .triangular2: return 1 / pow(2.0, cycle - 1)
        case .exp_range: return pow(gamma, Double(t))
        }
    }
}
