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
        parameters: [
            ParameterDoc("warmup_steps", "required", "warm-up length W, >= 0"),
            ParameterDoc("decay_steps", "required", "decay length D, >= 1"),
            ParameterDoc("total_steps", "required", "run length N >= W + D"),
            ParameterDoc("decay", "linear", "linear, cosine or sqrt (1 - sqrt(p))"),
            ParameterDoc("min_factor", "0", "final rate as a fraction of lr0, in [0, 1]"),
        ],
        reference: "Hu et al. 2024 (MiniCPM); Hägele et al. 2024; transformers get_wsd_schedule")

    public enum Decay: String, Sendable { case linear, cosine, sqrt }

    public let spec: Spec
    public let warmupSteps: Int
    public let decaySteps: Int
    public let totalSteps: Int
    public let decay: Decay
    public let minFactor: Double

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        warmupSteps = try p.int("warmup_steps", .nonNegative)
        decaySteps = try p.int("decay_steps", .atLeast(1))
        totalSteps = try p.int("total_steps", .atLeast(1))
        decay = Decay(rawValue: try p.choice("decay", default: "linear", ["linear", "cosine", "sqrt"]))!
        minFactor = try p.double("min_factor", default: 0, .unit)
        try p.finish(allowed: Self.catalog.parameterNames)
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
