import Foundation
import Specs

/// `wsd(warmup_steps, decay_steps, total_steps, decay=linear|cosine|sqrt, min_factor=0)`:
/// warmup-stable-decay. With W = warmup_steps, D = decay_steps, S = total_steps − W − D, m = min_factor:
///
///     t < W:              lr0·(m + (1 − m)·t/W)                    linear warm-up
///     W <= t < W + S:     lr0                                      stable
///     W + S <= t < N:     lr0·(m + (1 − m)·f(p)), p = (t − W − S)/D   decay
///     t >= N:             lr0·m
///
/// with f(p) = 1 − p (linear), (1 + cos(π·p))/2 (cosine) or 1 − √p (sqrt, the "1-sqrt" cooldown).
/// References: Hu et al. 2024, "MiniCPM" (arXiv:2404.06395), the WSD schedule; Hägele et al. 2024,
/// "Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations" (arXiv:2405.18392),
/// the 1-sqrt cooldown. The exact formulas are those of Hugging Face Transformers'
/// `get_wsd_schedule` (`_get_wsd_scheduler_lambda`, warmup_type=linear, num_cycles=0.5,
/// min_lr_ratio=m, decay_type linear/cosine/1-sqrt). Like it, the warm-up starts at m·lr0 (0 by
/// default, so update 0 runs at rate 0 when W > 0); MiniCPM's own decay is exponential, not offered.
public struct WarmupStableDecay: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "wsd",
        summary: "warmup-stable-decay: linear warm-up, constant, then a short decay to min_factor*lr0",
        parameters: parameters.docs,
        reference: "Hu et al. 2024 (MiniCPM); Hägele et al. 2024; transformers get_wsd_schedule")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<WarmupStableDecay>([
        .requiredInteger("warmup_steps", \.warmupSteps, .nonNegative, "warm-up length W, >= 0"),
        .requiredInteger("decay_steps", \.decaySteps, .atLeast(1), "decay length D, >= 1"),
        .requiredInteger("total_steps", \.totalSteps, .atLeast(1), "run length N >= W + D"),
        .choice("decay", \.decay, default: .linear, "linear, cosine or sqrt (1 - sqrt(p))"),
        .number("min_factor", \.minFactor, default: "0", .unit, "final rate as a fraction of lr0, in [0, 1]"),
    ])

    public enum Decay: String, CaseIterable, Sendable { case linear, cosine, sqrt }

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "wsd")
    public private(set) var warmupSteps = 0
    public private(set) var decaySteps = 1
    public private(set) var totalSteps = 1
    public private(set) var decay = Decay.linear
    public private(set) var minFactor = 0.0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        if warmupSteps + decaySteps > totalSteps {
            throw SpecUsageError("wsd: warmup_steps + decay_steps must be <= total_steps, got \(warmupSteps) + \(decaySteps) > \(totalSteps)")
        }
        self.spec = spec
    }

    /// The multiplier of lr0 for update t.
    public func factor(at t: Int) -> Double {
        let stableEnd = totalSteps - decaySteps
        if t < warmupSteps {
            let progress = Double(t) / Double(max(1, warmupSteps))
            return max(0.0, progress * (1.0 - minFactor) + minFactor)
        }
        if t < stableEnd { return 1.0 }
        if t < totalSteps {
            let progress = Double(t - stableEnd) / Double(max(1, decaySteps))
            let f: Double
            switch decay {
            case .linear: f = 1.0 - progress
            case .cosine: f = 0.5 * (1.0 + cos(Double.pi * 0.5 * 2.0 * progress))
            case .sqrt: f = 1.0 - progress.squareRoot()
            }
            return max(0.0, f * (1.0 - minFactor) + minFactor)
        }
        return minFactor
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double { lr0 * factor(at: t) }
}
