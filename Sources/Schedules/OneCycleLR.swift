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
        parameters: parameters.docs,
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

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<OneCycleLR>([
        .optionalNumber("max_lr", \.maxLR, shown: "lr0", .nonNegative, "peak rate (absolute); defaults to the base rate lr0"),
        .requiredInteger("total_steps", \.totalSteps, .atLeast(2), "length of the cycle in updates, >= 2"),
        .number("pct_start", \.pctStart, default: "0.3", .unit, "fraction of the cycle spent increasing, in [0, 1]"),
        .choice("anneal_strategy", \.annealStrategy, default: .cos, "cos or linear"),
        .number("div_factor", \.divFactor, default: "25", .positive, "initial rate = max_lr/div_factor, > 0"),
        .number("final_div_factor", \.finalDivFactor, default: "10000", .positive, "final rate = initial rate/final_div_factor, > 0"),
        .flag("three_phase", \.threePhase, default: false, "annihilation phase after a symmetric warm-up/cool-down"),
        .flag("cycle_momentum", \.cycleMomentum, default: true, "cycle momentum/beta1 inversely to the rate"),
        .number("base_momentum", \.baseMomentum, default: "0.85", .unit, "momentum at the peak rate, in [0, 1]"),
        .number("max_momentum", \.maxMomentum, default: "0.95", .unit, "momentum at the start and end, in [0, 1]"),
    ])

    /// torch's `anneal_strategy`.
    public enum AnnealStrategy: String, CaseIterable, Sendable { case cos, linear }

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "onecycle")
    public private(set) var maxLR: Double?
    public private(set) var totalSteps = 2
    public private(set) var pctStart = 0.0
    public private(set) var annealStrategy = AnnealStrategy.cos
    public private(set) var divFactor = 0.0
    public private(set) var finalDivFactor = 0.0
    public private(set) var threePhase = false
    public private(set) var cycleMomentum = false
    public private(set) var baseMomentum = 0.0
    public private(set) var maxMomentum = 0.0
    public var cosineAnnealing: Bool { annealStrategy == .cos }
    private(set) var phases: [Phase] = []

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
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
