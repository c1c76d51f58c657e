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
        parameters: [
            ParameterDoc("base_lr", "lr0/10", "lower bound (absolute); defaults to lr0/10"),
            ParameterDoc("max_lr", "lr0", "upper bound (absolute); defaults to lr0"),
            ParameterDoc("step_size_up", "2000", "updates in the increasing half, >= 1"),
            ParameterDoc("step_size_down", "step_size_up", "updates in the decreasing half, >= 0"),
            ParameterDoc("mode", "triangular", "triangular, triangular2 or exp_range"),
            ParameterDoc("gamma", "1", "exp_range's factor per update, > 0"),
            ParameterDoc("cycle_momentum", "true", "cycle momentum/beta1 inversely to the rate"),
            ParameterDoc("base_momentum", "0.8", "momentum at the peak rate, in [0, 1]"),
            ParameterDoc("max_momentum", "0.9", "momentum at the bottom rate, in [0, 1]"),
        ],
        reference: "torch.optim.lr_scheduler.CyclicLR; Smith 2017 (arXiv:1506.01186)")

    public enum Mode: String, Sendable { case triangular, triangular2, exp_range }

    public let spec: Spec
    public let baseLR: Double?
    public let maxLR: Double?
    public let stepSizeUp: Int
    public let stepSizeDown: Int
    public let mode: Mode
    public let gamma: Double
    public let cycleMomentum: Bool
    public let baseMomentum: Double
    public let maxMomentum: Double
    let totalSize: Double
    let stepRatio: Double

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        baseLR = try p.optionalDouble("base_lr", .nonNegative)
        maxLR = try p.optionalDouble("max_lr", .nonNegative)
        stepSizeUp = try p.int("step_size_up", default: 2000, .atLeast(1))
        stepSizeDown = try p.optionalInt("step_size_down", .nonNegative) ?? stepSizeUp
        mode = Mode(rawValue: try p.choice("mode", default: "triangular", ["triangular", "triangular2", "exp_range"]))!
        gamma = try p.double("gamma", default: 1, .positive)
        cycleMomentum = try p.bool("cycle_momentum", default: true)
        baseMomentum = try p.double("base_momentum", default: 0.8, .unit)
        maxMomentum = try p.double("max_momentum", default: 0.9, .unit)
        try p.finish(allowed: Self.catalog.parameterNames)
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
