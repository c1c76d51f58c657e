/// A `Buffer` whose values can no longer change: the data a problem builds once and every worker
/// thread then reads (`Problem` is `Sendable`; a `Buffer` is not).
///
/// It takes the buffer over instead of copying it (data sets are large): the buffer passed must
/// be the only reference (pass a local with `consume`), checked at run time. It hands out only
/// read-only pointers, so nothing writes after `init`: that is what makes it `Sendable`.
public final class ConstantBuffer<Scalar: BinaryFloatingPoint> {
    @usableFromInline let values: Buffer<Scalar>

    public init(_ buffer: consuming Buffer<Scalar>) {
        precondition(isKnownUniquelyReferenced(&buffer), "ConstantBuffer: the buffer is still referenced elsewhere")
        values = buffer
    }

    /// The storage of a `Matrix` being taken over (`ConstantMatrix.init`, which checks it).
    init(storageOf matrix: Matrix<Scalar>) where Scalar: BLASScalar { values = matrix.storage }

    @inlinable public var count: Int { values.count }
    @inlinable public var pointer: UnsafePointer<Scalar> { UnsafePointer(values.pointer) }
    @inlinable public var readOnly: UnsafeBufferPointer<Scalar> { values.readOnly }
    @inlinable public subscript(i: Int) -> Scalar { values.pointer[i] }

    /// A copy as an `Array` (allocates: not for the per-step loop).
    public var array: [Scalar] { values.array }
}

extension ConstantBuffer: @unchecked Sendable where Scalar: Sendable {}

/// A `Matrix` whose values can no longer change (see `ConstantBuffer`): row-major, `rows × columns`.
public final class ConstantMatrix<Scalar: BLASScalar>: Sendable {
    public let rows: Int
    public let columns: Int
    public let storage: ConstantBuffer<Scalar>

    /// Takes `matrix` over: it must be the only reference to it and to its storage (pass a local
    /// with `consume`); the first is checked at run time.
    public init(_ matrix: consuming Matrix<Scalar>) {
        precondition(isKnownUniquelyReferenced(&matrix), "ConstantMatrix: the matrix is still referenced elsewhere")
        rows = matrix.rows
        columns = matrix.columns
        storage = ConstantBuffer(storageOf: matrix)
    }

    @inlinable public var pointer: UnsafePointer<Scalar> { storage.pointer }

    @inlinable public subscript(i: Int, j: Int) -> Scalar { storage.pointer[i * columns + j] }

    /// Pointer to the start of row `i`.
    @inlinable public func row(_ i: Int) -> UnsafePointer<Scalar> { storage.pointer + i * columns }

    /// A mutable copy.
    public func copy() -> Matrix<Scalar> {
        let m = Matrix<Scalar>(rows: rows, columns: columns)
        m.storage.copy(from: storage.readOnly)
        return m
    }

    /// The same values in another precision. Specialised: the generic conversion costs ~30 ns per
    /// element (a classification data set has 2.4 million).
    @_specialize(where Scalar == Double, T == Float)
    @_specialize(where Scalar == Double, T == Double)
    public func converted<T: BLASScalar>(to: T.Type) -> ConstantMatrix<T> {
        let m = Matrix<T>(rows: rows, columns: columns)
        for i in 0..<(rows * columns) { m.storage.pointer[i] = T(storage.pointer[i]) }
        return ConstantMatrix<T>(consume m)
    }
}
