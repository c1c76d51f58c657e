/// Why a run ended.
public enum StopReason: String, Sendable, Codable, CaseIterable {
    /// The step budget was used up.
    case budget
    /// The stopping target was reached.
    case target
    /// No relative improvement for `patience` evaluations.
    case plateau
    /// The loss became non-finite or rose far above its start.
    case diverged
}

/// When a run stops early (seed 004's "提前终止训练"): on divergence always; at a target and on a
/// plateau when asked.
public struct StopRule: Sendable, Equatable, Codable {
    /// Diverged when the gap to the optimum, f − f* (f − 0 where f* is unknown), exceeds this
    /// multiple of its starting value, or when the loss is not finite. Checked every step on the
    /// loss the optimizer sees.
    public var divergenceFactor: Double
    /// Stop once the evaluated gap f − f* is at or below this (nil: never).
    public var targetGap: Double?
    /// Stop once the best evaluated loss has not improved by `minRelativeImprovement` for this
    /// many consecutive evaluations (nil: never).
    public var patience: Int?
    public var minRelativeImprovement: Double

    public init(divergenceFactor: Double = 1e4, targetGap: Double? = nil, patience: Int? = nil, minRelativeImprovement: Double = 1e-4) {
        self.divergenceFactor = divergenceFactor
        self.targetGap = targetGap
        self.patience = patience
        self.minRelativeImprovement = minRelativeImprovement
    }

    public static let standard = StopRule()
}

/// Tracks the stop conditions of one run; allocation-free.
struct TerminationTracker {
    let rule: StopRule
    let optimum: Double
    var startGap = Double.nan
    var bestLoss = Double.infinity
    var evaluationsWithoutImprovement = 0

    init(rule: StopRule, optimum: Double?) {
        self.rule = rule
        self.optimum = optimum ?? 0
    }

    /// Checks the per-step loss for divergence.
    @inline(__always)
    mutating func diverged(stepLoss: Double) -> Bool {
        guard stepLoss.isFinite else { return true }
        let gap = stepLoss - optimum
        if startGap.isNaN { startGap = max(abs(gap), 1e-300) }
        return gap > rule.divergenceFactor * startGap
    }

    /// Checks an evaluation for the target or a plateau.
    mutating func stop(evaluatedLoss loss: Double) -> StopReason? {
        if !loss.isFinite { return .diverged }
        if let target = rule.targetGap, loss - optimum <= target { return .target }
        if let patience = rule.patience {
            if loss < bestLoss - rule.minRelativeImprovement * abs(bestLoss) || bestLoss == .infinity {
                evaluationsWithoutImprovement = 0
            } else {
                evaluationsWithoutImprovement += 1
                if evaluationsWithoutImprovement >= patience { return .plateau }
            }
        }
        bestLoss = min(bestLoss, loss)
        return nil
    }
}
