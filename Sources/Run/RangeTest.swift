import Foundation
import GradientTransforms
import LinearAlgebra
import Optimizers
import Problems
import Schedules
import Specs

/// The learning-rate range test (Smith 2017, "Cyclical Learning Rates for Training Neural
/// Networks", §3.3; seed 002): raise the rate exponentially from `minLR` to `maxLR` over `steps`
/// updates, record the loss against the rate, and stop once the smoothed loss exceeds
/// `stopFactor` × its best. Defaults and smoothing follow PyTorch Lightning's `lr_find`
/// (min_lr 1e-8, max_lr 1, 100 steps, mode exponential, early_stop_threshold 4, beta 0.98).
public struct RangeTest: Sendable {
    public var minLR: Double = 1e-8
    public var maxLR: Double = 1
    public var steps: Int = 100
    public var stopFactor: Double? = 4
    /// Exponential smoothing of the loss, with bias correction: s_k = β s_{k−1} + (1−β) loss_k,
    /// smoothed_k = s_k / (1 − β^{k+1}).
    public var beta: Double = 0.98

    public init(minLR: Double = 1e-8, maxLR: Double = 1, steps: Int = 100, stopFactor: Double? = 4, beta: Double = 0.98) {
        self.minLR = minLR
        self.maxLR = maxLR
        self.steps = steps
        self.stopFactor = stopFactor
        self.beta = beta
    }

    /// The rate of update k: minLR·(maxLR/minLR)^(k/(steps−1)), from minLR at k = 0 to maxLR at
    /// the last step. (Lightning's `_ExponentialLR` uses ((k+1)/steps) after the first step, so
    /// it skips one rung and never starts the ramp proper at minLR; we keep the clean ramp.)
    public func rate(at k: Int) -> Double {
        steps <= 1 ? minLR : minLR * pow(maxLR / minLR, Double(k) / Double(steps - 1))
    }

    public struct Point: Sendable, Equatable {
        public var lr: Double
        public var loss: Double
        public var smoothedLoss: Double
    }

    public struct Result: Sendable {
        public var points: [Point]
        /// Why it ended: the ramp's end, or the smoothed loss passing stopFactor × best.
        public var stoppedEarly: Bool
        /// The steepest-descent suggestion with a noise guard (`steepest(_:)`): the rate where
        /// the smoothed loss falls fastest, among the points before its minimum where it has
        /// dropped below its starting level by more than the loss's noise. nil if it never did.
        public var steepest: Double?
        /// Lightning's unguarded rule (`lightningSteepest(_:)`): the most negative finite
        /// difference of the smoothed loss, skipping the first 10 and the last point. On
        /// minibatch problems it can pick a noise dip at the lowest rates.
        public var lightningSteepest: Double?
        /// fastai's "minimum / 10" rule: a tenth of the rate at the smoothed loss's minimum.
        public var minimumOverTen: Double?
    }

    /// Runs the test for one problem, optimizer and transform chain (the schedule is the ramp).
    public func run(problem: any Problem, optimizer: any Optimizer, transforms: TransformChain = .identity) -> Result {
        let objective = problem.makeObjective()
        let state = problem.initialPoint.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
        let oracle = state as? any LossOracleState
        let chain = transforms.makeState(dimension: problem.dimension)
        let g = Buffer<Double>(count: problem.dimension)
        var points: [Point] = []
        points.reserveCapacity(steps)
        var average = 0.0
        var best = Double.infinity
        var stoppedEarly = false
        for k in 0..<steps {
            let loss = objective.sampleLossAndGradient(at: state.gradientPoint, into: g.buffer)
            average = beta * average + (1 - beta) * loss
            let smoothed = average / (1 - pow(beta, Double(k + 1)))
            let lr = rate(at: k)
            points.append(Point(lr: lr, loss: loss, smoothedLoss: smoothed))
            if !loss.isFinite || (stopFactor.map { k > 1 && smoothed > $0 * best } ?? false) {
                stoppedEarly = true
                break
            }
            // As Lightning: the best is taken from the second update on.
            if k >= 1, smoothed < best || k == 1 { best = smoothed }
            chain.apply(to: g.buffer, params: state.gradientPoint)
            let context = StepContext(step: k, learningRate: lr, loss: loss, optimumValue: problem.optimumValue)
            if let oracle {
                // A line search (SLS): its trial losses on the same sample, as in a run.
                oracle.update(gradient: g.readOnly, context: context) { objective.sampleLoss(at: $0) }
            } else {
                state.update(gradient: g.readOnly, context: context)
            }
        }
        return Result(points: points, stoppedEarly: stoppedEarly,
                      steepest: Self.steepest(points), lightningSteepest: Self.lightningSteepest(points),
                      minimumOverTen: Self.minimumOverTen(points))
    }

    /// Points Lightning skips at the start (`skip_begin`); they also give the noise estimate.
    static let skipBegin = 10

    /// Lightning's `suggestion(skip_begin=10, skip_end=1)` (PyTorch Lightning,
    /// `src/lightning/pytorch/tuner/lr_finder.py`, `_LRFinder.suggestion`): argmin of
    /// numpy.gradient of the smoothed loss over the kept points (central differences inside,
    /// one-sided at the ends).
    static func lightningSteepest(_ points: [Point]) -> Double? {
        let finite = points.filter { $0.smoothedLoss.isFinite }
        guard let slopes = lightningSlopes(finite) else { return nil }
        let best = slopes.indices.min { slopes[$0] < slopes[$1] }!
        return finite[skipBegin + best].lr
    }

    /// The noise-guarded steepest descent. Lightning's rule restricted to the kept points i with
    ///
    /// - i at or before the minimum of the smoothed loss (the descent, not a later wiggle), and
    /// - smoothed_i < start − noise, where start is the mean and noise the standard deviation of
    ///   the raw losses of the first 10 points (the lowest rates, where the optimizer has not yet
    ///   moved the loss: their spread is the minibatch noise). The noise is von Neumann's
    ///   successive-difference estimate, σ² = Σ(l_{k+1} − l_k)²/(2(n − 1)) (von Neumann et al.
    ///   1941, "The mean square successive difference"), which a slow trend does not inflate.
    ///
    /// and to negative slopes. Why one σ of the raw loss is enough: the bias-corrected smoothed
    /// loss at point k averages the raw ones with standard deviation
    /// σ·√((1 − β)/(1 + β)·(1 − β^{2(k+1)}))/(1 − β^{k+1}), 0.30σ at k = 10 and 0.10σ late (β = 0.98),
    /// so a drop of σ is 3–10 of its own standard deviations: noise alone rarely gets there.
    /// On deterministic problems the noise is ~0 and the rule is Lightning's whenever Lightning's
    /// pick lies on the descent (the usual case). nil when the smoothed loss never dropped
    /// meaningfully (fewer than 13 finite points, or only noise moved it). Like fastai's
    /// `valley` rule (fastai `callback/schedule.py`), it looks for the descent before the
    /// minimum rather than the steepest point anywhere.
    static func steepest(_ points: [Point]) -> Double? {
        let finite = points.filter { $0.smoothedLoss.isFinite }
        guard let slopes = lightningSlopes(finite) else { return nil }
        let first = finite.prefix(skipBegin).map(\.loss)
        let start = first.reduce(0, +) / Double(first.count)
        var squares = 0.0
        for k in 1..<first.count { squares += (first[k] - first[k - 1]) * (first[k] - first[k - 1]) }
        let noise = (squares / Double(2 * (first.count - 1))).squareRoot()
        let y = finite.map(\.smoothedLoss)
        let minimum = y.indices.min { y[$0] < y[$1] }!
        var best: Int?
        for j in slopes.indices {
            let i = skipBegin + j
            guard i <= minimum, y[i] < start - noise, slopes[j] < 0 else { continue }
            if best.map({ slopes[j] < slopes[$0] }) ?? true { best = j }
        }
        return best.map { finite[skipBegin + $0].lr }
    }

    /// numpy.gradient of the smoothed loss over Lightning's kept points (the first 10 and the
    /// last dropped); slope j belongs to finite point 10 + j. nil for fewer than 2 kept points.
    static func lightningSlopes(_ finite: [Point]) -> [Double]? {
        let kept = Array(finite.dropFirst(skipBegin).dropLast(1))
        guard kept.count >= 2 else { return nil }
        let y = kept.map(\.smoothedLoss)
        return y.indices.map { i in
            if i == 0 { return y[1] - y[0] }
            if i == y.count - 1 { return y[i] - y[i - 1] }
            return (y[i + 1] - y[i - 1]) / 2
        }
    }

    static func minimumOverTen(_ points: [Point]) -> Double? {
        guard let best = points.filter({ $0.smoothedLoss.isFinite }).min(by: { $0.smoothedLoss < $1.smoothedLoss }) else { return nil }
        return best.lr / 10
    }
}
