import Foundation
import Specs

/// Schedule-Free AdamW (Defazio et al. 2024, "The Road Less Scheduled", arXiv:2405.15682).
///
/// Follows `AdamWScheduleFreeReference.step` in facebookresearch/schedule_free
/// schedulefree/adamw_schedulefree_reference.py (v1.4.1, commit 70785b5; `decay_at_z=False`,
/// `inner_momentum=0`), which keeps x, y and z explicitly; `AdamWScheduleFree` in
/// adamw_schedulefree.py is the same recursion with x eliminated. With k = updates so far:
///
///     lrₖ = lr·min(1, (k+1)/warmup_steps);  lr_max ← max(lr_max, lrₖ)  (lr_max starts at −1)
///     wₖ = (k+1)^r · lr_max^weight_lr_power;  W ← W + wₖ;  c = wₖ/W  (0 when W = 0)
///     z ← z − lrₖ·weight_decay·y;  v ← β2·v + (1 − β2)·g²;  d = √(v/(1 − β2^(k+1))) + eps
///     z ← z − lrₖ·g/d;  x ← (1 − c)·x + c·z;  y ← β1·x + (1 − β1)·z
///
/// Since v1.3 (commit 59ed9b6, Nov 2024) the bias correction divides v inside the root; before,
/// it was folded into the rate (lrₖ·√(1 − β2^(k+1)), which also entered lr_max) with d = √v + eps.
/// We follow the current reference. Gradients are taken at y, the run reports x. The default
/// rate 0.0025 is the reference's. `StepContext.momentum` is ignored (β1 is the x/z interpolation).
public struct AdamWScheduleFree: Optimizer {
    public static let catalog = CatalogEntry(
        name: "adamw_schedulefree",
        summary: "Schedule-Free AdamW: Adam-normalised steps on z, gradients at y, report the average x.",
        parameters: [
            ParameterDoc("betas", "0.9;0.999", "β1 (interpolation y = (1−β1)z + β1x) ; β2 (second-moment decay), each in [0, 1)"),
            ParameterDoc("eps", "1e-8", "added to the root of the second moment (> 0)"),
            ParameterDoc("weight_decay", "0", "decoupled decay evaluated at y: z ← z − lr·weight_decay·y"),
            ParameterDoc("r", "0", "polynomial weighting (k+1)^r of the average"),
            ParameterDoc("weight_lr_power", "2", "weights in the average are lr_max^weight_lr_power"),
            ParameterDoc("warmup_steps", "0", "linear warmup of the rate over this many updates"),
        ],
        reference: "Defazio et al. 2024, arXiv:2405.15682; facebookresearch/schedule_free schedulefree/adamw_schedulefree_reference.py (v1.4.1)")

    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    public var weightDecay: Double
    public var r: Double
    public var weightLRPower: Double
    public var warmupSteps: Int

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        (beta1, beta2) = try readBetas(&p, default: [0.9, 0.999])
        eps = try p.double("eps", default: 1e-8, .positive)
        weightDecay = try p.double("weight_decay", default: 0, .nonNegative)
        r = try p.double("r", default: 0, .nonNegative)
        weightLRPower = try p.double("weight_lr_power", default: 2, .nonNegative)
        warmupSteps = try p.int("warmup_steps", default: 0, .nonNegative)
        try p.finish()
    }

    public var spec: Spec {
        makeSpec(Self.catalog.name, [
            ("betas", specNumbers([beta1, beta2])), ("eps", specNumber(eps)),
            ("weight_decay", specNumber(weightDecay)), ("r", specNumber(r)),
            ("weight_lr_power", specNumber(weightLRPower)),
            ("warmup_steps", specNumber(Double(warmupSteps))),
        ])
    }

    public var defaultLearningRate: Double { 0.0025 }

    public func makeState(initialPoint: UnsafeBufferPointer<Double>) -> any OptimizerState {
        AdamWScheduleFreeState(config: self, initialPoint: initialPoint)
    }
}

final class AdamWScheduleFreeState: OptimizerState {
    let config: AdamWScheduleFree
    let n: Int
    let x: UnsafeMutablePointer<Double>
    let y: UnsafeMutablePointer<Double>
    let z: UnsafeMutablePointer<Double>
    let expAvgSq: UnsafeMutablePointer<Double>
    var k = 0
    var lrMax = -1.0
    var weightSum = 0.0

    init(config: AdamWScheduleFree, initialPoint: UnsafeBufferPointer<Double>) {
        self.config = config
        n = initialPoint.count
        x = allocateCopy(of: initialPoint)
        y = allocateCopy(of: initialPoint)
        z = allocateCopy(of: initialPoint)
        expAvgSq = allocateFilled(n)
    }

    deinit {
        x.deallocate()
        y.deallocate()
        z.deallocate()
        expAvgSq.deallocate()
    }

    var gradientPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: y, count: n) }
    var reportedPoint: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: x, count: n) }

    func update(gradient g: UnsafeBufferPointer<Double>, context: StepContext) {
        let beta1 = config.beta1
        let beta2 = config.beta2
        let eps = config.eps
        let decay = config.weightDecay
        let sched = k < config.warmupSteps ? Double(k + 1) / Double(config.warmupSteps) : 1.0
        let biasCorrection2 = 1 - pow(beta2, Double(k + 1))
        let lr = context.learningRate * sched
        lrMax = Swift.max(lr, lrMax)
        let weight = pow(Double(k + 1), config.r) * pow(lrMax, config.weightLRPower)
        weightSum += weight
        let ckp1 = weightSum == 0 ? 0 : weight / weightSum
        for i in 0..<n {
            if decay != 0 { z[i] = z[i] + (-(lr * decay)) * y[i] }
            let d = g[i]
            expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * (d * d)
            let denom = (expAvgSq[i] / biasCorrection2).squareRoot() + eps
            z[i] = z[i] + (-lr) * (d / denom)
            x[i] = x[i] * (1 - ckp1) + ckp1 * z[i]
            y[i] = x[i] * beta1 + (1 - beta1) * z[i]
        }
        k += 1
    }
}
