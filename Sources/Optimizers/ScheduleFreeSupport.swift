import Foundation

// What the schedule-free methods share (Defazio et al. 2024, "The Road Less Scheduled",
// arXiv:2405.15682; facebookresearch/schedule_free v1.4.1): the points they keep and the
// weighting of their average.

/// A schedule-free state: gradients are taken at y, the run reports the average x.
protocol ScheduleFreeState: OptimizerState {
    var n: Int { get }
    var x: UnsafeMutablePointer<Double> { get }
    var y: UnsafeMutablePointer<Double> { get }
}

extension ScheduleFreeState {
    var gradientPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: y, count: n) }
    var reportedPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: x, count: n) }
}

/// The weights of the average, as the reference computes them at update t = k + 1:
///
///     lr_max ← max(lr_max, lrₖ)  (starts at −1);  wₖ = t^r · lr_max^weight_lr_power
///     W ← W + wₖ;  c = wₖ/W  (0 when W = 0), the weight of z in x
struct ScheduleFreeAverage {
    var lrMax = -1.0
    var weightSum = 0.0

    /// c for the update at `step` t with rate `lr`.
    @inline(__always)
    mutating func weight(lr: Double, step: Double, r: Double, weightLRPower: Double) -> Double {
        lrMax = Swift.max(lr, lrMax)
        let weight = pow(step, r) * pow(lrMax, weightLRPower)
        weightSum += weight
        return weightSum == 0 ? 0 : weight / weightSum
    }
}

/// The reference's linear warmup factor for update k (0-based): min(1, (k+1)/warmup_steps).
@inline(__always)
func scheduleFreeWarmup(_ k: Int, warmupSteps: Int) -> Double {
    k < warmupSteps ? Double(k + 1) / Double(warmupSteps) : 1.0
}
