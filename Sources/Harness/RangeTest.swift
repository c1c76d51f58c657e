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
        /// Lightning's suggestion: the rate where the smoothed loss falls fastest (the most
        /// negative finite difference, skipping the first 10 and the last point).
        public var steepest: Double?
        /// fastai's "minimum / 10" rule: a tenth of the rate at the smoothed loss's minimum.
        public var minimumOverTen: Double?
    }

    /// Runs the test for one problem, optimizer and transform chain (the schedule is the ramp).
    public func run(problem: any Problem, optimizer: any Optimizer, transforms: TransformChain = .identity) -> Result {
        let objective = problem.makeObjective()
        let state = problem.initialPoint.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
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
            state.update(gradient: g.readOnly, context: StepContext(step: k, learningRate: lr, loss: loss, optimumValue: problem.optimumValue))
        }
        return Result(points: points, stoppedEarly: stoppedEarly,
                      steepest: Self.steepest(points), minimumOverTen: Self.minimumOverTen(points))
    }

    /// Lightning's `suggestion(skip_begin=10, skip_end=1)`: argmin of numpy.gradient of the
    /// smoothed loss over the kept points (central differences inside, one-sided at the ends).
    static func steepest(_ points: [Point]) -> Double? {
        let finite = points.filter { $0.smoothedLoss.isFinite }
        let kept = Array(finite.dropFirst(10).dropLast(1))
        guard kept.count >= 2 else { return nil }
        let y = kept.map(\.smoothedLoss)
        var bestIndex = 0
        var bestSlope = Double.infinity
        for i in 0..<y.count {
            let slope: Double
            if i == 0 { slope = y[1] - y[0] } else if i == y.count - 1 { slope = y[i] - y[i - 1] } else { slope = (y[i + 1] - y[i - 1]) / 2 }
            if slope < bestSlope { bestSlope = slope; bestIndex = i }
        }
        return kept[bestIndex].lr
    }

    static func minimumOverTen(_ points: [Point]) -> Double? {
        guard let best = points.filter({ $0.smoothedLoss.isFinite }).min(by: { $0.smoothedLoss < $1.smoothedLoss }) else { return nil }
        return best.lr / 10
    }
}
