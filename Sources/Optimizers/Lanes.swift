import CLanes

/// Elementwise update loops, a vector of coordinates at a time: an update written once as a
/// generic body over `Lane` runs on `SIMD4<Double>` for the bulk and on `Double` for the tail
/// (`forEachLane`). Every operation is elementwise and IEEE-rounded (+, −, ×, ÷, √; no fused
/// multiply-add, which Swift never forms on its own), so a lane computes exactly the scalar
/// code's bits: torch's arithmetic, and the golden tests, are unchanged. The compiler does not
/// vectorise these loops itself: it cannot prove the state's buffers do not alias.
protocol Lane {
    init(repeating value: Double)
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    func squareRoot() -> Self
    /// `Swift.max(a, b)` lane by lane: b where b ≥ a, else a (so NaN in b gives a).
    static func max(_ a: Self, _ b: Self) -> Self
    /// `torchSign` lane by lane: −1, 0 or 1 (±0 and NaN kept).
    func torchSign() -> Self
    /// The lanes at p[0], p[1], …
    static func load(_ p: UnsafePointer<Double>) -> Self
    func store(_ p: UnsafeMutablePointer<Double>)
}

extension Double: Lane {
    @inline(__always) init(repeating value: Double) { self = value }
    @inline(__always) static func load(_ p: UnsafePointer<Double>) -> Double { p.pointee }
    @inline(__always) static func max(_ a: Double, _ b: Double) -> Double { Swift.max(a, b) }
    @inline(__always) func torchSign() -> Double { Optimizers.torchSign(self) }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Double>) { p.pointee = self }
}

extension SIMD4<Double>: Lane {
    /// One vector square root (`lrb_sqrt4`, Sources/CLanes): the stdlib's goes lane by lane
    /// through the C library's `sqrt`. Correctly rounded, as Double's is.
    @inline(__always) func squareRoot() -> SIMD4<Double> { lrb_sqrt4(self) }
    @inline(__always) static func max(_ a: SIMD4<Double>, _ b: SIMD4<Double>) -> SIMD4<Double> {
        a.replacing(with: b, where: b .>= a)
    }
    @inline(__always) func torchSign() -> SIMD4<Double> {
        replacing(with: 1, where: self .> 0).replacing(with: -1, where: self .< 0)
    }
    @inline(__always) static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD4<Double>.self)
    }
}

/// A body over lanes, called at coordinates 0, 4, 8, … with `SIMD4<Double>` while four remain,
/// then one at a time with `Double`.
protocol LaneBody {
    func callAsFunction<V: Lane>(_ lane: V.Type, _ i: Int)
}

/// Runs `body` over coordinates 0..<n (see `LaneBody`).
@inline(__always)
func forEachLane(_ n: Int, _ body: some LaneBody) {
    var i = 0
    while i + 4 <= n {
        body(SIMD4<Double>.self, i)
        i += 4
    }
    while i < n {
        body(Double.self, i)
        i += 1
    }
}

extension UnsafeMutablePointer<Double> {
    /// The lanes at self[i], self[i + 1], …
    @inline(__always) func lane<V: Lane>(_ i: Int, as _: V.Type = V.self) -> V { V.load(UnsafePointer(self + i)) }
    /// Stores v at self[i], self[i + 1], …
    @inline(__always) func setLane<V: Lane>(_ i: Int, _ v: V) { v.store(self + i) }
}

extension UnsafePointer<Double> {
    @inline(__always) func lane<V: Lane>(_ i: Int, as _: V.Type = V.self) -> V { V.load(self + i) }
}

/// `torchLerp` on lanes with one weight for all of them (so one branch for the whole vector).
@inline(__always)
func torchLerp<V: Lane>(_ start: V, _ end: V, _ weight: Double) -> V {
    abs(weight) < 0.5 ? start + V(repeating: weight) * (end - start) : end - (end - start) * V(repeating: 1 - weight)
}

/// `l2Decayed` on lanes: g + wd·x, and g itself when wd = 0.
@inline(__always)
func l2Decayed<V: Lane>(_ g: V, _ x: V, _ wd: Double) -> V {
    wd != 0 ? g + V(repeating: wd) * x : g
}
