import Foundation
import Specs

// What the schedule-free methods share (Defazio et al. 2024, "The Road Less Scheduled",
// arXiv:2405.15682; facebookresearch/schedule_free v1.4.1): the points they keep and the
// weighting of their average.

/// A schedule-free state: gradients are taken at y, the run reports the average x.
protocol ScheduleFreeState: TypedOptimizerState {
    var n: Int { get }
    var x: UnsafeMutablePointer<Scalar> { get }
    var y: UnsafeMutablePointer<Scalar> { get }
}

extension ScheduleFreeState {
    var gradientPoint: UnsafeBufferPointer<Scalar> { UnsafeBufferPointer(start: y, count: n) }
    var reportedPoint: UnsafeBufferPointer<Scalar> { UnsafeBufferPointer(start: x, count: n) }
}

/// The parameters of the average every schedule-free method takes.
protocol ScheduleFreeConfig {
    /// The polynomial weighting t^r.
    var r: Double { get set }
    /// The weights' power of lr_max.
    var weightLRPower: Double { get set }
}

/// Schedule-free AdamW and SGD also warm the rate up linearly.
protocol WarmupScheduleFreeConfig: ScheduleFreeConfig {
    var warmupSteps: Int { get set }
}

extension WarmupScheduleFreeConfig {
    /// The entries `r`, `weight_lr_power` and `warmup_steps`, in the reference's order.
    static var scheduleFreeEntries: [ParameterTable<Self>.Entry] {
        [
            .number("r", \.r, default: "0", .nonNegative, "polynomial weighting (k+1)^r of the average"),
            .number("weight_lr_power", \.weightLRPower, default: "2", .nonNegative, "weights in the average are lr_max^weight_lr_power"),
            .integer("warmup_steps", \.warmupSteps, default: "0", .nonNegative, "linear warmup of the rate over this many updates"),
        ]
    }
}

/// The storage of a schedule-free state: y and z besides x, each starting at the initial point, k
/// (the updates so far) and the average's weights. Each method's state subclasses it.
class ScheduleFreePoints<S: LaneScalar>: ParameterState<S> {
    let r: Double
    let weightLRPower: Double
    let y: UnsafeMutablePointer<S>
    let z: UnsafeMutablePointer<S>
    var k = 0
    var average = ScheduleFreeAverage()

    /// `buffers` may already hold the subclass's own buffers (allocated before `super.init`).
    init(config: some ScheduleFreeConfig, initialPoint: UnsafeBufferPointer<S>, buffers: StateBuffers = StateBuffers()) {
        r = config.r
        weightLRPower = config.weightLRPower
        y = buffers.copy(of: initialPoint)
        z = buffers.copy(of: initialPoint)
        super.init(initialPoint: initialPoint, buffers: buffers)
    }

    /// c, the weight of z in x, for this update (t = k + 1) at rate `lr`.
    @inline(__always)
    final func averageWeight(lr: Double) -> Double {
        average.weight(lr: lr, step: Double(k + 1), r: r, weightLRPower: weightLRPower)
    }
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
