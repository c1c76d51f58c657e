/// The objectives of up to `capacity` runs on one problem instance (one problem and seed),
/// advancing in lockstep: one sample (minibatch, noise draw) per step serves every member, so a
/// problem can compute all members' gradients with one kernel call (X_batch · [w₁ … w_K]).
///
/// The contract that makes grouping safe (README, "Batched runs"): member k's losses, gradients
/// and metrics are bit-identical to those of a lone objective from `Problem.makeObjective()` fed
/// the same points in the same order, whatever the other members are, how many there are, and
/// in which slot k sits. A member whose point is nil this step is skipped (it has stopped) and
/// never comes back.
public protocol BatchObjective: AnyObject {
    /// The most members this objective serves (slots 0..<capacity).
    var capacity: Int { get }
    /// Draws the next sample once and, for every slot k with `points[k] != nil`, writes the
    /// sampled loss at `points[k]` to `losses[k]` and its gradient to `gradients[k]!`
    /// (`dimension` values each). Allocates nothing.
    func sampleLossAndGradient(points: UnsafeBufferPointer<UnsafePointer<Double>?>,
                               gradients: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>,
                               losses: UnsafeMutableBufferPointer<Double>)
    /// For every slot k with `points[k] != nil`: the problem's metrics at `points[k]` (in the order
    /// of `Problem.metricNames`) into `metrics[k]!`. Does not advance the sample stream.
    func evaluate(points: UnsafeBufferPointer<UnsafePointer<Double>?>,
                  metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>)
    /// The same at float32 points, gradients in float32: only for problems with
    /// `Problem.hasFloat32Parameters`. One call serves either the float64 or the float32 members
    /// of a group (`BatchRun` gives each precision its own batch objective).
    func sampleLossAndGradient(points: UnsafeBufferPointer<UnsafePointer<Float>?>,
                               gradients: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>,
                               losses: UnsafeMutableBufferPointer<Double>)
    func evaluate(points: UnsafeBufferPointer<UnsafePointer<Float>?>,
                  metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>)
}

extension BatchObjective {
    public func sampleLossAndGradient(points: UnsafeBufferPointer<UnsafePointer<Float>?>,
                                      gradients: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>,
                                      losses: UnsafeMutableBufferPointer<Double>) {
        preconditionFailure("\(Self.self) serves float64 parameters only (Problem.hasFloat32Parameters)")
    }

    public func evaluate(points: UnsafeBufferPointer<UnsafePointer<Float>?>,
                         metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        preconditionFailure("\(Self.self) serves float64 parameters only (Problem.hasFloat32Parameters)")
    }
}

/// The default batch: one lone objective per slot, called one after another. Each slot's objective
/// draws its own copy of the problem's stream, so the contract holds trivially; a problem with a
/// shared kernel overrides `Problem.makeBatchObjective(capacity:)`.
public final class LoopedBatchObjective: BatchObjective {
    public let capacity: Int
    private let objectives: [any Objective]
    private let dimension: Int
    private let metricCount: Int

    public init(problem: any Problem, capacity: Int) {
        precondition(capacity >= 1, "a batch has at least one slot")
        self.capacity = capacity
        objectives = (0..<capacity).map { _ in problem.makeObjective() }
        dimension = problem.dimension
        metricCount = problem.metricNames.count
    }

    public func sampleLossAndGradient(points: UnsafeBufferPointer<UnsafePointer<Float>?>,
                                      gradients: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>,
                                      losses: UnsafeMutableBufferPointer<Double>) {
        for k in 0..<min(capacity, points.count) {
            guard let x = points[k], let g = gradients[k] else { continue }
            losses[k] = objectives[k].sampleLossAndGradient(at: UnsafeBufferPointer(start: x, count: dimension),
                                                            into: UnsafeMutableBufferPointer(start: g, count: dimension))
        }
    }

    public func evaluate(points: UnsafeBufferPointer<UnsafePointer<Float>?>,
                         metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        for k in 0..<min(capacity, points.count) {
            guard let x = points[k], let m = metrics[k] else { continue }
            objectives[k].evaluate(at: UnsafeBufferPointer(start: x, count: dimension),
                                   into: UnsafeMutableBufferPointer(start: m, count: metricCount))
        }
    }

    public func sampleLossAndGradient(points: UnsafeBufferPointer<UnsafePointer<Double>?>,
                                      gradients: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>,
                                      losses: UnsafeMutableBufferPointer<Double>) {
        for k in 0..<min(capacity, points.count) {
            guard let x = points[k], let g = gradients[k] else { continue }
            losses[k] = objectives[k].sampleLossAndGradient(at: UnsafeBufferPointer(start: x, count: dimension),
                                                            into: UnsafeMutableBufferPointer(start: g, count: dimension))
        }
    }

    public func evaluate(points: UnsafeBufferPointer<UnsafePointer<Double>?>,
                         metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        for k in 0..<min(capacity, points.count) {
            guard let x = points[k], let m = metrics[k] else { continue }
            objectives[k].evaluate(at: UnsafeBufferPointer(start: x, count: dimension),
                                   into: UnsafeMutableBufferPointer(start: m, count: metricCount))
        }
    }
}

extension Problem {
    /// Default: `LoopedBatchObjective` (no shared kernel).
    public func makeBatchObjective(capacity: Int) -> any BatchObjective {
        LoopedBatchObjective(problem: self, capacity: capacity)
    }
}
