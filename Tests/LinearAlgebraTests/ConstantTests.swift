import Testing
import LinearAlgebra

/// `ConstantBuffer` and `ConstantMatrix`: the read-only, `Sendable` form of problem data. They take
/// the storage over (no copy of a data set), keep every value, and refuse storage that another
/// reference could still write.
@Suite struct ConstantTests {
    @Test func constantMatrixTakesTheStorageOverWithItsValues() {
        let m = Matrix<Double>(rows: 2, columns: 3)
        for (i, v) in [1.0, -2, 3.5, 4, 0.1, -6].enumerated() { m.pointer[i] = v }
        let address = UnsafePointer(m.pointer)
        let c = ConstantMatrix(consume m)
        #expect(c.pointer == address)  // taken over, not copied
        #expect(c.rows == 2 && c.columns == 3 && c.storage.count == 6)
        #expect(c.storage.array == [1, -2, 3.5, 4, 0.1, -6])
        #expect(c[1, 1] == 0.1 && c[0, 2] == 3.5)
        #expect(c.row(1) == address + 3 && c.row(1)[2] == -6)
    }

    @Test func constantMatrixCopiesAreMutableAndIndependent() {
        let m = Matrix<Double>(rows: 2, columns: 2)
        for (i, v) in [1.0, 2, 3, 4].enumerated() { m.pointer[i] = v }
        let c = ConstantMatrix(consume m)
        let copy = c.copy()
        #expect(copy.storage.array == [1, 2, 3, 4] && copy.pointer != UnsafeMutablePointer(mutating: c.pointer))
        copy[0, 1] = 20
        #expect(c.storage.array == [1, 2, 3, 4])
    }

    @Test func constantMatrixConvertsToFloatByRounding() {
        let m = Matrix<Double>(rows: 1, columns: 3)
        for (i, v) in [0.1, 1.0 / 3, -1e-40].enumerated() { m.pointer[i] = v }
        let f = ConstantMatrix(consume m).converted(to: Float.self)
        #expect(f.rows == 1 && f.columns == 3)
        #expect(f.storage.array == [Float(0.1), Float(1.0 / 3), Float(-1e-40)])
    }

    @Test func constantBufferTakesTheBufferOverWithItsValues() {
        let b = Buffer<Double>([5, -0.25, 7])
        let address = UnsafePointer(b.pointer)
        let c = ConstantBuffer(consume b)
        #expect(c.pointer == address && c.count == 3)
        #expect(c.array == [5, -0.25, 7] && c[1] == -0.25 && Array(c.readOnly) == [5, -0.25, 7])
    }

    @Test func storageStillReferencedElsewhereIsRefused() async {
        await #expect(processExitsWith: .failure) {
            let m = Matrix<Double>(rows: 1, columns: 1)
            let writer = m
            _ = ConstantMatrix(m)
            writer[0, 0] = 1
        }
        await #expect(processExitsWith: .failure) {
            let b = Buffer<Double>(count: 1)
            let writer = b
            _ = ConstantBuffer(b)
            writer[0] = 1
        }
    }
}
