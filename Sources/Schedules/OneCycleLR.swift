import Foundation
import Specs

/// `onecycle(max_lr=lr0, total_steps, pct_start=0.3, anneal_strategy=cos, div_factor=25,
/// final_div_factor=1e4, three_phase=false, cycle_momentum=true, base_momentum=0.85, max_momentum=0.95)`.
///
/// Reference: `torch.optim.lr_scheduler.OneCycleLR` (`get_lr`, which is already a closed form in
/// the step number); Smith & Topin, "Super-Convergence", arXiv:1708.07120. Phases (step s = t):
/// two-phase: [0, pct·N − 1] initial → max, then [.., N − 1] max → min;
/// three-phase: [0, pct·N − 1] initial → max, [.., 2·pct·N − 2] max → initial, [.., N − 1] initial → min;
/// with initial = max_lr/div_factor, min = initial/final_div_factor, and pct within a phase
/// (s − start)/(end − start). Momentum runs inversely (max → base → max), exactly as torch.
/// Differences: (1) `max_lr` defaults to lr0, so that sweeping lr0 sweeps the peak (in torch
/// max_lr is a required absolute rate that replaces the optimizer's lr); an explicit max_lr is
/// absolute and lr0 is then ignored. (2) For t >= total_steps torch raises (or, at exactly
/// t = total_steps, extrapolates the last phase past min_lr, below zero for `linear`); we hold the
/// value of t = total_steps − 1. (3) We reject pct_start·total_steps <= 1 (a warm-up phase of no
/// update: torch divides 0 by 0 when it is exactly 1, and starts mid-ramp below it).
public struct OneCycleLR: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "onecycle",
        summary: "1cycle: warm up to max_lr, anneal far below the start (momentum cycled inversely)",
        parameters: [
            ParameterDoc("max_lr", "lr0", "peak rate (absolute); defaults to the base rate lr0"),
            ParameterDoc("total_steps", "required", "length of the cycle in updates, >= 2"),
            ParameterDoc("pct_start", "0.3", "fraction of the cycle spent increasing, in [0, 1]"),
            ParameterDoc("anneal_strategy", "cos", "cos or linear"),
            ParameterDoc("div_factor", "25", "initial rate = max_lr/div_factor, > 0"),
            ParameterDoc("final_div_factor", "10000", "final rate = initial rate/final_div_factor, > 0"),
            ParameterDoc("three_phase", "false", "annihilation phase after a symmetric warm-up/cool-down"),
            ParameterDoc("cycle_momentum", "true", "cycle momentum/beta1 inversely to the rate"),
            ParameterDoc("base_momentum", "0.85", "momentum at the peak rate, in [0, 1]"),
            ParameterDoc("max_momentum", "0.95", "momentum at the start and end, in [0, 1]"),
        ],
        reference: "torch.optim.lr_scheduler.OneCycleLR; Smith & Topin 2019 (arXiv:1708.07120)")

    enum Level { case initial, peak, final }
    enum MomentumLevel { case max, base }
    struct Phase {
        var endStep: Double
        var startLR: Level
        var endLR: Level
        var startMomentum: MomentumLevel
        var endMomentum: MomentumLevel
    }

    public let spec: Spec
    public let maxLR: Double?
    public let totalSteps: Int
    public let pctStart: Double
    public let cosineAnnealing: Bool
    public let divFactor: Double
    public let finalDivFactor: Double
    public let threePhase: Bool
    public let cycleMomentum: Bool
    public let baseMomentum: Double
    public let maxMomentum: Double
    let phases: [Phase]

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        maxLR = try p.optionalDouble("max_lr", .nonNegative)
        totalSteps = try p.int("total_steps", .atLeast(2))
        pctStart = try p.double("pct_start", default: 0.3, .unit)
        cosineAnnealing = try p.choice("anneal_strategy", default: "cos", ["cos", "linear"]) == "cos"
        divFactor = try p.double("div_factor", default: 25, .positive)
        finalDivFactor = try p.double("final_div_factor", default: 1e4, .positive)
        threePhase = try p.bool("three_phase", default: false)
        cycleMomentum = try p.bool("cycle_momentum", default: true)
        baseMomentum = try p.double("base_momentum", default: 0.85, .unit)
        maxMomentum = try p.double("max_momentum", default: 0.95, .unit)
        try p.finish(allowed: Self.catalog.parameterNames)
        if !(pctStart * Double(totalSteps) > 1) {
            throw SpecUsageError("onecycle: pct_start*total_steps must be > 1 (a warm-up of at least one update), got \(pctStart * Double(totalSteps))")
        }
        self.spec = spec
        let n = Double(totalSteps)
        if threePhase {
            phases = [
                Phase(endStep: pctStart * n - 1, startLR: .initial, endLR: .peak, startMomentum: .max, endMomentum: .base),
                Phase(endStep: 2 * pctStart * n - 2, startLR: .peak, endLR: .initial, startMomentum: .base, endMomentum: .max),
                Phase(endStep: n - 1, startLR: .initial, endLR: .final, startMomentum: .max, endMomentum: .max),
            ]
        } else {
            phases = [
                Phase(endStep: pctStart * n - 1, startLR: .initial, endLR: .peak, startMomentum: .max, endMomentum: .base),
                Phase(endStep: n - 1, startLR: .peak, endLR: .final, startMomentum: .base, endMomentum: .max),
            ]
        }
    }

    func anneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        if cosineAnnealing {
            let cosOut = cos(Double.pi * pct) + 1
            return end + (start - end) / 2.0 * cosOut
        }
        return (end - start) * pct + start
    }

    /// The phase holding update t (clamped to total_steps − 1) and the fraction pct through it.
    func locate(_ t: Int) -> (phase: Phase, pct: Double) {
        let step = Double(min(max(t, 0), totalSteps - 1))
        var start = 0.0
        for (i, phase) in phases.enumerated() {
            if step <= phase.endStep || i == phases.count - 1 {
                return (phase, (step - start) / (phase.endStep - start))
            }
            start = phase.endStep
        }
        fatalError("unreachable: the last phase always matches")
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        let peak = maxLR ?? lr0
        let initial = peak / divFactor
        let final = initial / finalDivFactor
        func value(_ level: Level) -> Double {
            switch level {
            case .initial: return initial
            case .peak: return peak
            case .final: return final
            }
        }
        let (phase, pct) = locate(t)
        return anneal(value(phase.startLR), value(phase.endLR), pct)
    }

    public func momentum(at t: Int, base lr0: Double) -> Double? {
        guard cycleMomentum else { return nil }
        func value(_ level: MomentumLevel) -> Double { level == .max ? maxMomentum : baseMomentum }
        let (phase, pct) = locate(t)
        return anneal(value(phase.startMomentum), value(phase.endMomentum), pct)
    }
}
