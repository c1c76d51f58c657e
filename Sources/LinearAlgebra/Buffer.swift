/// A fixed-size, contiguous, zero-initialised array of scalars, allocated once.
///
/// Problems, optimizers and runs keep their working memory in these: unlike `Array`, a
/// `Buffer` never copies on write nor checks uniqueness, so the per-step loop allocates nothing.
/// It is a class: share it by reference within one thread. It is not `Sendable`: every run keeps
/// its own; data that threads share is frozen into a `ConstantBuffer` first.
/// `buffer` and `readOnly` are views: keep the `Buffer` alive while they are used.
public final class Buffer<Scalar: BinaryFloatingPoint> {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Scalar>

    public init(count: Int) {
        precondition(count >= 0)
        BLASKernels.ensurePinned()
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    public convenience init(_ values: [Scalar]) {
        self.init(count: values.count)
        for i in 0..<values.count { pointer[i] = values[i] }
    }

    deinit { pointer.deallocate() }

    @inlinable public var buffer: UnsafeMutableBufferPointer<Scalar> { UnsafeMutableBufferPointer(start: pointer, count: count) }
    @inlinable public var readOnly: UnsafeBufferPointer<Scalar> { UnsafeBufferPointer(start: pointer, count: count) }

    @inlinable public subscript(i: Int) -> Scalar {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    /// A copy as an `Array` (allocates: not for the per-step loop).
    public var array: [Scalar] { Array(readOnly) }

    public func fill(_ value: Scalar) { pointer.update(repeating: value, count: count) }

    public func copy(from source: UnsafeBufferPointer<Scalar>) {
        precondition(source.count == count)
        if count > 0 { pointer.update(from: source.baseAddress!, count: count) }
    }
}

/// A row-major matrix of `rows × columns` scalars; not `Sendable`, as `Buffer` (shared read-only:
/// `ConstantMatrix`).
public final class Matrix<Scalar: BLASScalar> {
    public let rows: Int
    public let columns: Int
    public let storage: Buffer<Scalar>

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        storage = Buffer(count: rows * columns)
    }

    @inlinable public var pointer: UnsafeMutablePointer<Scalar> { storage.pointer }

    @inlinable public subscript(i: Int, j: Int) -> Scalar {
        get { storage.pointer[i * columns + j] }
        set { storage.pointer[i * columns + j] = newValue }
    }

    /// Pointer to the start of row `i`.
    @inlinable public func row(_ i: Int) -> UnsafeMutablePointer<Scalar> { storage.pointer + i * columns }

    public func copy() -> Matrix {
        let m = Matrix(rows: rows, columns: columns)
        m.storage.copy(from: storage.readOnly)
        return m
    }

    /// The same values in another precision.
    public func converted<T: BLASScalar>(to: T.Type) -> Matrix<T> {
        let m = Matrix<T>(rows: rows, columns: columns)
        for i in 0..<(rows * columns) { m.storage.pointer[i] = T(storage.pointer[i]) }
        return m
    }
}

// Mutable through every reference: no thread may see one while another writes (Swift 6 checks).
@available(*, unavailable) extension Buffer: Sendable {}
@available(*, unavailable) extension Matrix: Sendable {}
