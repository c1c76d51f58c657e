/// Level-1 operations on buffers of equal length, through BLAS.
public enum Vec {
    @inlinable public static func dot<T: BLASScalar>(_ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>) -> T {
        precondition(x.count == y.count)
        return x.isEmpty ? 0 : T.dot(x.count, x.baseAddress!, 1, y.baseAddress!, 1)
    }

    /// `y ← a·x + y`.
    @inlinable public static func axpy<T: BLASScalar>(_ a: T, _ x: UnsafeBufferPointer<T>, _ y: UnsafeMutableBufferPointer<T>) {
        precondition(x.count == y.count)
        if !x.isEmpty { T.axpy(x.count, a, x.baseAddress!, 1, y.baseAddress!, 1) }
    }

    /// `x ← a·x`.
    @inlinable public static func scale<T: BLASScalar>(_ x: UnsafeMutableBufferPointer<T>, by a: T) {
        if !x.isEmpty { T.scal(x.count, a, x.baseAddress!, 1) }
    }

    /// `‖x‖₂` (scaled, so no overflow for large entries).
    @inlinable public static func norm<T: BLASScalar>(_ x: UnsafeBufferPointer<T>) -> T {
        x.isEmpty ? 0 : T.nrm2(x.count, x.baseAddress!, 1)
    }
}
