import GradientTransforms
import Optimizers
import Problems

/// The element type of a run's parameters, gradient and optimizer state: Double, or Float when a
/// float32 problem meets an optimizer with a float32 state (`RunSetup.isFloat32`; README,
/// "float32 end to end"). The run loop (`BatchLoop`) is written once, generic over it; these are
/// the calls whose overload depends on it.
public protocol RunScalar: BinaryFloatingPoint, SendableMetatype {
    /// The setup's optimizer state at the problem's start, in this scalar.
    static func makeState(_ setup: RunSetup) -> any TypedOptimizerState<Self>
    static func sample(_ objective: any Objective, at x: UnsafeBufferPointer<Self>, into g: UnsafeMutableBufferPointer<Self>) -> Double
    static func evaluate(_ objective: any Objective, at x: UnsafeBufferPointer<Self>, into metrics: UnsafeMutableBufferPointer<Double>)
    static func sample(_ batch: any BatchObjective, points: UnsafeBufferPointer<UnsafePointer<Self>?>,
                       gradients: UnsafeBufferPointer<UnsafeMutablePointer<Self>?>, losses: UnsafeMutableBufferPointer<Double>)
    static func evaluate(_ batch: any BatchObjective, points: UnsafeBufferPointer<UnsafePointer<Self>?>,
                         metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>)
    static func transform(_ chain: ChainState, _ g: UnsafeMutableBufferPointer<Self>, params: UnsafeBufferPointer<Self>)
}

extension Double: RunScalar {
    public static func makeState(_ setup: RunSetup) -> any TypedOptimizerState<Double> {
        setup.problem.initialPoint.withUnsafeBufferPointer { setup.optimizer.makeState(initialPoint: $0) }.typed
    }
    @inline(__always) public static func sample(_ objective: any Objective, at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        objective.sampleLossAndGradient(at: x, into: g)
    }
    @inline(__always) public static func evaluate(_ objective: any Objective, at x: UnsafeBufferPointer<Double>, into metrics: UnsafeMutableBufferPointer<Double>) {
        objective.evaluate(at: x, into: metrics)
    }
    @inline(__always) public static func sample(_ batch: any BatchObjective, points: UnsafeBufferPointer<UnsafePointer<Double>?>,
                                                gradients: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>, losses: UnsafeMutableBufferPointer<Double>) {
        batch.sampleLossAndGradient(points: points, gradients: gradients, losses: losses)
    }
    @inline(__always) public static func evaluate(_ batch: any BatchObjective, points: UnsafeBufferPointer<UnsafePointer<Double>?>,
                                                  metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        batch.evaluate(points: points, metrics: metrics)
    }
    @inline(__always) public static func transform(_ chain: ChainState, _ g: UnsafeMutableBufferPointer<Double>, params: UnsafeBufferPointer<Double>) {
        chain.apply(to: g, params: params)
    }
}

extension Float: RunScalar {
    /// The start rounded to Float (as the float32 problem rounds a float64 point).
    public static func makeState(_ setup: RunSetup) -> any TypedOptimizerState<Float> {
        let start = setup.problem.initialPoint.map(Float.init)
        guard let state = start.withUnsafeBufferPointer({ setup.optimizer.makeFloat32State(initialPoint: $0) }) else {
            preconditionFailure("\(setup.optimizer.spec) has no float32 state (RunSetup.isFloat32)")
        }
        return state
    }
    @inline(__always) public static func sample(_ objective: any Objective, at x: UnsafeBufferPointer<Float>, into g: UnsafeMutableBufferPointer<Float>) -> Double {
        objective.sampleLossAndGradient(at: x, into: g)
    }
    @inline(__always) public static func evaluate(_ objective: any Objective, at x: UnsafeBufferPointer<Float>, into metrics: UnsafeMutableBufferPointer<Double>) {
        objective.evaluate(at: x, into: metrics)
    }
    @inline(__always) public static func sample(_ batch: any BatchObjective, points: UnsafeBufferPointer<UnsafePointer<Float>?>,
                                                gradients: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>, losses: UnsafeMutableBufferPointer<Double>) {
        batch.sampleLossAndGradient(points: points, gradients: gradients, losses: losses)
    }
    @inline(__always) public static func evaluate(_ batch: any BatchObjective, points: UnsafeBufferPointer<UnsafePointer<Float>?>,
                                                  metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        batch.evaluate(points: points, metrics: metrics)
    }
    @inline(__always) public static func transform(_ chain: ChainState, _ g: UnsafeMutableBufferPointer<Float>, params: UnsafeBufferPointer<Float>) {
        chain.apply(to: g, params: params)
    }
}
