import Foundation
import Specs

/// SLS, SGD with a stochastic Armijo line search on each minibatch (Vaswani, Mishkin, Laradji,
/// Schmidt, Gidel & Lacoste-Julien 2019, "Painless Stochastic Gradient: Interpolation,
/// Line-Search, and Convergence Rates", NeurIPS, arXiv:1905.09997).
///
/// Follows `Sls.step` of the authors' code (github.com/IssamLaradji/sls, sls/sls.py and
/// sls/utils.py, commit 1934653), one parameter group, operation by operation. With f the loss
/// of the current minibatch at x, g its gradient and η the step size kept from the last update:
///
///     η ← η·gamma^(1/n_batches_per_epoch)   (reset_option=1; 0 keeps η, 2 sets η = init_step_size)
///     if ‖g‖ ≥ 1e-8, up to 100 trials:  x' = x − η·g,  f' = f(x') on the same minibatch
///       armijo:    accept if f' − (f − (η·c)·‖g‖²) ≤ 0, else η ← beta_b·η;
///                  none accepted: x ← x − 1e-6·g (η keeps its last value, beta_b^100 smaller)
///       goldstein: a = [f' ≤ f − (η·c)·‖g‖²], b = [f' ≥ f − (η·(1 − c))·‖g‖²]; accept if a and b;
///                  a alone: η ← min(beta_f·η, eta_max) (no min if bound_step_size=false);
///                  b alone: η ← max(beta_b·η, 1e-8); none accepted: x stays at the last trial
///     (‖g‖ < 1e-8: x does not move)
///
/// ‖g‖² is written as the reference computes it: the square of the root of Σgᵢ².
///
/// The schedule's rate multiplies the step the search tries: the trial point is x − lr·η·g and
/// both conditions are checked at the step lr·η (so Armijo holds at the step applied), the
/// fallback step is lr·1e-6; the rate 1 (the default) is the reference, which has no rate.
/// Differences from the reference: the trial losses come from the run loop
/// (`LossOracleState`, `Objective.sampleLoss`: the same minibatch without drawing a new one)
/// instead of a closure that re-seeds torch's generator; the reference raises on a Goldstein
/// trial that satisfies neither condition, which with c ≤ 0.5 happens only for a NaN loss,
/// treated here as too long a step (b alone); c > 0.5 is refused with goldstein.
/// `StepContext.momentum` is ignored (SLS has no momentum). `effectiveLearningRate` is the step
/// applied: lr·η accepted (armijo), lr·1e-6 after 100 failures, lr·η of the last trial
/// (goldstein), 0 when ‖g‖ < 1e-8.
public struct SLS: TabulatedOptimizer {
    public static let catalog = CatalogEntry(
        name: "sls",
        summary: "SLS: SGD with a stochastic Armijo (or Goldstein) line search on each minibatch; the schedule's rate multiplies the step.",
        parameters: parameters.docs,
        reference: "IssamLaradji/sls sls/sls.py (commit 1934653); Vaswani et al. 2019, arXiv:1905.09997")

    /// (0, 1): the range of `c` and `beta_b`.
    static let openUnit: ValueRange = {
        var r = ValueRange.unitOpenBelow
        r.upperOpen = true
        return r
    }()

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<SLS>([
        .integer("n_batches_per_epoch", \.nBatchesPerEpoch, default: "500", .atLeast(1), "minibatches per epoch, a whole number >= 1: reset_option=1 grows η by gamma per epoch"),
        .number("init_step_size", \.initStepSize, default: "1", .positive, "the step size η before the first update, > 0"),
        .number("c", \.c, default: "0.1", openUnit, "Armijo constant in (0, 1) (goldstein: in (0, 0.5])"),
        .number("beta_b", \.betaB, default: "0.9", openUnit, "backtracking factor in (0, 1): η ← beta_b·η after a failed trial"),
        .number("gamma", \.gamma, default: "2", .atLeast(1), "reset growth of η per epoch, >= 1 (reset_option=1)"),
        .number("beta_f", \.betaF, default: "2", .atLeast(1), "goldstein: growth factor of η after a too-short trial, >= 1"),
        .integer("reset_option", \.resetOption, default: "1", .closed(0, 2), "η at the start of an update: 0 the last η, 1 the last η·gamma^(1/n_batches_per_epoch), 2 init_step_size"),
        .number("eta_max", \.etaMax, default: "10", .positive, "goldstein: the bound on η (with bound_step_size), > 0"),
        .flag("bound_step_size", \.boundStepSize, default: true, "goldstein: cap η at eta_max"),
        .choice("line_search_fn", \.lineSearch, default: .armijo, "armijo or goldstein"),
    ])

    /// The line-search conditions of the reference.
    public enum LineSearch: String, Sendable, CaseIterable { case armijo, goldstein }

    /// The reference's fixed numbers: trials per update, the fallback step, the gradient norm
    /// below which no step is taken, and Goldstein's floor on η.
    public static let maxTrials = 100
    public static let fallbackStep = 1e-6
    public static let minimumGradientNorm = 1e-8
    public static let minimumStepSize = 1e-8

    // Set from the spec by `parameters` (which holds the defaults).
    public var nBatchesPerEpoch = 0
    public var initStepSize = 0.0, c = 0.0, betaB = 0.0, gamma = 0.0, betaF = 0.0
    public var resetOption = 0
    public var etaMax = 0.0
    public var boundStepSize = false
    public var lineSearch = LineSearch.armijo

    func validate(_ spec: Spec) throws {
        if lineSearch == .goldstein && c > 0.5 {
            throw SpecUsageError("\(spec.name): line_search_fn=goldstein requires c <= 0.5 (else a trial can fail both conditions), got c=\(c)")
        }
    }

    /// The schedule's rate multiplies the searched step, so 1 leaves it as the reference's.
    public var defaultLearningRate: Double { 1.0 }

    /// A line search: its state is a `LossOracleState`.
    public var evaluatesTrialLosses: Bool { true }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        SLSState(config: self, initialPoint: initialPoint)
    }
}

final class SLSState: LossOracleState, IterateState {
    let config: SLS
    let n: Int
    private let buffers = StateBuffers()
    let x: UnsafeMutablePointer<Double>
    let trial: UnsafeMutablePointer<Double>
    /// η, carried from update to update (the reference's `state['step_size']`).
    var stepSize: Double
    /// gamma^(1/n_batches_per_epoch), as the reference computes it.
    let growth: Double
    var effectiveLearningRate: Double?
    /// Trial losses the last update evaluated (the reference's n_forwards − 1 per step).
    private(set) var lastTrials = 0

    init(config: SLS, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = buffers.copy(of: initialPoint)
        trial = buffers.filled(n)
        stepSize = config.initStepSize
        growth = pow(config.gamma, 1.0 / Double(config.nBatchesPerEpoch))
    }

    /// Without trial losses SLS cannot search: only an update that needs none (‖g‖ < 1e-8) runs.
    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        update(gradient: g, context: context) { _ in
            preconditionFailure("sls needs the loss at trial points: call update(gradient:context:loss:)")
        }
    }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext,
                loss trialLoss: (UnsafeBufferPointer<Double>) -> Double) {
        switch config.resetOption {
        case 0: break
        case 1: stepSize = stepSize * growth
        default: stepSize = config.initStepSize
        }
        var squares = 0.0
        for i in 0..<n { squares += g[i] * g[i] }
        let norm = squares.squareRoot()
        lastTrials = 0
        // NaN norm: no step, as in the reference (the comparison is false).
        guard norm >= SLS.minimumGradientNorm else {
            effectiveLearningRate = 0
            return
        }
        let normSquared = norm * norm
        let f = context.loss
        let lr = context.learningRate
        let c = config.c
        let point = UnsafeBufferPointer(start: UnsafePointer(trial), count: n)
        var found = false
        var applied = 0.0
        for _ in 0..<SLS.maxTrials {
            let step = lr * stepSize
            for i in 0..<n { trial[i] = x[i] - step * g[i] }
            let next = trialLoss(point)
            lastTrials += 1
            applied = step
            switch config.lineSearch {
            case .armijo:
                if next - (f - (step * c) * normSquared) <= 0 {
                    found = true
                } else {
                    stepSize = stepSize * config.betaB
                }
            case .goldstein:
                let sufficient = next <= f - (step * c) * normSquared
                let curvature = next >= f - (step * (1 - c)) * normSquared
                if sufficient && curvature {
                    found = true
                } else if sufficient {
                    stepSize = stepSize * config.betaF
                    if config.boundStepSize { stepSize = min(stepSize, config.etaMax) }
                } else {
                    // The curvature condition alone, or neither (a NaN loss): too long a step.
                    stepSize = max(stepSize * config.betaB, SLS.minimumStepSize)
                }
            }
            if found { break }
        }
        if found || config.lineSearch == .goldstein {
            // Accepted, or Goldstein's last trial: the reference leaves x there.
            x.update(from: trial, count: n)
        } else {
            applied = lr * SLS.fallbackStep
            for i in 0..<n { x[i] = x[i] - applied * g[i] }
        }
        effectiveLearningRate = applied
    }
}
