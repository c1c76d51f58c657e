import Specs

/// A transformation of the gradient applied before the optimizer sees it, after optax's
/// `GradientTransformation`: configuration here, per-run state in `makeState`.
public protocol GradientTransform: Sendable {
    static var catalog: CatalogEntry { get }
    init(spec: Spec) throws
    var spec: Spec { get }
    /// State for one run on a problem of `dimension` parameters, sized once.
    func makeState(dimension: Int) -> any TransformState
}

/// One run's transform: rewrites the gradient in place, in float64 or (a float32 state, README
/// "float32 end to end") in float32; allocates nothing.
public protocol TransformState: AnyObject {
    func apply(to g: UnsafeMutableBufferPointer<Double>, params: UnsafeBufferPointer<Double>)
    func apply(to g: UnsafeMutableBufferPointer<Float>, params: UnsafeBufferPointer<Float>)
}

/// A stateless transform is its own state.
public protocol StatelessTransform: GradientTransform {
    func apply(to g: UnsafeMutableBufferPointer<Double>)
    func apply(to g: UnsafeMutableBufferPointer<Float>)
}

final class StatelessState<T: StatelessTransform>: TransformState {
    let transform: T
    init(_ transform: T) { self.transform = transform }
    func apply(to g: UnsafeMutableBufferPointer<Double>, params: UnsafeBufferPointer<Double>) { transform.apply(to: g) }
    func apply(to g: UnsafeMutableBufferPointer<Float>, params: UnsafeBufferPointer<Float>) { transform.apply(to: g) }
}

extension StatelessTransform {
    public func makeState(dimension: Int) -> any TransformState { StatelessState(self) }
}

/// Transforms applied in order, as optax's `chain`: `chain(clip_norm(1), normalize)`.
public struct TransformChain: Sendable, CustomStringConvertible {
    public let transforms: [any GradientTransform]

    public init(_ transforms: [any GradientTransform]) { self.transforms = transforms }

    /// The identity: no transform.
    public static let identity = TransformChain([])

    public var description: String {
        transforms.isEmpty ? "none" : transforms.map { $0.spec.description }.joined(separator: " → ")
    }

    public func makeState(dimension: Int) -> ChainState {
        ChainState(transforms.map { $0.makeState(dimension: dimension) })
    }
}

/// The states of a chain, applied in order.
public final class ChainState {
    let states: [any TransformState]
    init(_ states: [any TransformState]) { self.states = states }

    public var isEmpty: Bool { states.isEmpty }

    @inline(__always)
    public func apply(to g: UnsafeMutableBufferPointer<Double>, params: UnsafeBufferPointer<Double>) {
        for s in states { s.apply(to: g, params: params) }
    }

    @inline(__always)
    public func apply(to g: UnsafeMutableBufferPointer<Float>, params: UnsafeBufferPointer<Float>) {
        for s in states { s.apply(to: g, params: params) }
    }
}

/// ‖g‖₂ computed with scaling, so huge gradients do not overflow to inf; in float64 for a float32
/// gradient too (each component widened exactly).
@inline(__always)
func euclideanNorm<S: BinaryFloatingPoint>(_ g: UnsafeMutableBufferPointer<S>) -> Double {
    var scale = 0.0
    for v in g { scale = max(scale, abs(Double(v))) }
    guard scale > 0, scale.isFinite else { return scale }
    var s = 0.0
    let inv = 1 / scale
    for v in g { let u = Double(v) * inv; s += u * u }
    return scale * s.squareRoot()
}
