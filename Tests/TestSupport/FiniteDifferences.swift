import Problems
import SeededRandom

/// A central-difference check of a problem's `lossAndGradient`.
public struct FiniteDifferenceCheck {
    /// The largest relative error over the coordinates.
    public var worst: Double
    /// `loss` and `lossAndGradient` at the point: they must agree to 1e-12 relative.
    public var loss: Double, lossFromGradientCall: Double
    public var lossesAgree: Bool { loss == lossFromGradientCall || abs(loss - lossFromGradientCall) <= 1e-12 * abs(lossFromGradientCall) }
}

/// Central-difference check of `lossAndGradient` at `x`, step `h·max(1, |xᵢ|)` per coordinate.
public func finiteDifferenceCheck(_ problem: any Problem, at x: [Double], h: Double = 1e-6) -> FiniteDifferenceCheck {
    let objective = problem.makeObjective()
    let n = problem.dimension
    var g = [Double](repeating: 0, count: n)
    let f = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: xp, into: $0) } }
    let f2 = x.withUnsafeBufferPointer { objective.loss(at: $0) }
    var worst = 0.0
    var xp = x
    for i in 0..<n {
        let step = h * max(1, abs(x[i]))
        xp[i] = x[i] + step
        let fPlus = xp.withUnsafeBufferPointer { objective.loss(at: $0) }
        xp[i] = x[i] - step
        let fMinus = xp.withUnsafeBufferPointer { objective.loss(at: $0) }
        xp[i] = x[i]
        let fd = (fPlus - fMinus) / (2 * step)
        let scale = max(abs(g[i]), abs(fd), 1e-3 * max(1, abs(f)))
        worst = max(worst, abs(fd - g[i]) / scale)
    }
    return FiniteDifferenceCheck(worst: worst, loss: f2, lossFromGradientCall: f)
}

/// `count` Gaussian points in n dimensions, scaled by `scale`, from the stream "test-points".
public func randomPoints(_ n: Int, count: Int, scale: Double, seed: UInt64) -> [[Double]] {
    var s = RandomStream(seed: seed, label: "test-points")
    return (0..<count).map { _ in (0..<n).map { _ in s.gaussian() * scale } }
}
