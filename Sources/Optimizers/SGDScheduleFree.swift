import Foundation
import Specs

/// Schedule-Free SGD (Defazio et al. 2024, "The Road Less Scheduled", arXiv:2405.15682).
///
/// Follows `SGDScheduleFreeReference.step` in facebookresearch/schedule_free
/// schedulefree/sgd_schedulefree_reference.py (v1.4.1, commit 70785b5), which keeps x, y and z
/// explicitly; `SGDScheduleFree` in sgd_schedulefree.py is the same recursion with x eliminated.
/// With k = updates so far and lr the schedule's rate for this update:
///
///     lrₖ = lr·min(1, (k+1)/warmup_steps);  lr_max ← max(lr_max, lrₖ)  (lr_max starts at −1)
///     wₖ = (k+1)^r · lr_max^weight_lr_power;  W ← W + wₖ;  c = wₖ/W  (0 when W = 0)
///     g ← ∇f(y) + weight_decay·y;  z ← z − lrₖ·g;  x ← (1 − c)·x + c·z;  y ← β·x + (1 − β)·z
///
/// Gradients are taken at y (`gradientPoint`); the run reports x (`reportedPoint`).
/// The method is meant for a constant rate (the schedule is the warmup and the averaging);
/// a schedule's rate is used as torch's `group["lr"]` would be. `StepContext.momentum` is
/// ignored: β is the x/z interpolation weight, not a momentum a cycling schedule should change
/// (the reference's train()/eval() conversion between y and x assumes a fixed β).
public struct SGDScheduleFree: Optimizer {
    public static let catalog = CatalogEntry(
        name: "sgd_schedulefree",
        summary: "Schedule-Free SGD: gradients at y = (1−β)z + βx, report the weighted average x.",
        parameters: [
            ParameterDoc("momentum", "0.9", "β, the interpolation y = (1−β)z + βx, in (0, 1)"),
            ParameterDoc("weight_decay", "0", "L2 penalty added to the gradient at y"),
            ParameterDoc("r", "0", "polynomial weighting (k+1)^r of the average"),
            ParameterDoc("weight_lr_power", "2", "weights in the average are lr_max^weight_lr_power"),
            ParameterDoc("warmup_steps", "0", "linear warmup of the rate over this many updates"),
        ],
        reference: "Defazio et al. 2024, arXiv:2405.15682; facebookresearch/schedule_free schedulefree/sgd_schedulefree_reference.py (v1.4.1)")

    public var momentum: Double
    public var weightDecay: Double
    public var r: Double
    public var weightLRPower: Double
    public var warmupSteps: Int

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        momentum = try p.double("momentum", default: 0.9, .unitOpenAbove)
        weightDecay = try p.double("weight_decay", default: 0, .nonNegative)
        r = try p.double("r", default: 0, .nonNegative)
        weightLRPower = try p.double("weight_lr_power", default: 2, .nonNegative)
        warmupSteps = try p.int("warmup_steps", default: 0, .nonNegative)
        try p.finish()
        if momentum <= 0 {
            throw SpecUsageError("\(spec.name): parameter 'momentum' must be in (0, 1), got \(momentum)")
        }
    }

    public var spec: Spec {
        makeSpec(Self.catalog.name, [
            ("momentum", specNumber(momentum)), ("weight_decay", specNumber(weightDecay)),
            ("r", specNumber(r)), ("weight_lr_power", specNumber(weightLRPower)),
            ("warmup_steps", specNumber(Double(warmupSteps))),
        ])
    }

    public var defaultLearningRate: Double { 1.0 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        SGDScheduleFreeState(config: self, initialPoint: initialPoint)
    }
}

final class SGDScheduleFreeState: OptimizerState {
    let config: SGDScheduleFree
    let n: Int
    let x: UnsafeMutablePointer<Double>
    let y: UnsafeMutablePointer<Double>
    let z: UnsafeMutablePointer<Double>
    var k = 0
    var lrMax = -1.0
    var weightSum = 0.0

    init(config: SGDScheduleFree, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = allocateCopy(of: initialPoint)
        y = allocateCopy(of: initialPoint)
        z = allocateCopy(of: initialPoint)
    }

    deinit {
        x.deallocate()
        y.deallocate()
        z.deallocate()
    }

    var gradientPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: y, count: n) }
    var reportedPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: x, count: n) }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let sched = k < config.warmupSteps ? Double(k + 1) / Double(config.warmupSteps) : 1.0
        let lr = context.learningRate * sched
        lrMax = Swift.max(lr, lrMax)
        let weight = pow(Double(k + 1), config.r) * pow(lrMax, config.weightLRPower)
        weightSum += weight
        let ckp1 = weightSum == 0 ? 0 : weight / weightSum
        let beta = config.momentum
        let wd = config.weightDecay
        for i in 0..<n {
            var d = g[i]
            if wd != 0 { d = d + wd * y[i] }
            z[i] = z[i] + (-lr) * d
            x[i] = x[i] * (1 - ckp1) + ckp1 * z[i]
            y[i] = x[i] * beta + (1 - beta) * z[i]
        }
        k += 1
    }
}
