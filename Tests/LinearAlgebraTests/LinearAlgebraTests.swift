import Testing
@testable import LinearAlgebra

@Suite struct BLASTests {
    @Test func level1MatchesHandComputedValues() {
        let x = Buffer<Double>([1, 2, 3]), y = Buffer<Double>([4, -5, 6])
        #expect(Vec.dot(x.readOnly, y.readOnly) == 12)
        let v = Buffer<Double>([3, 4])
        #expect(Vec.norm(v.readOnly) == 5)
        Vec.axpy(2, x.readOnly, y.buffer)
        #expect(y.array == [6, -1, 12])
        Vec.scale(y.buffer, by: 0.5)
        #expect(y.array == [3, -0.5, 6])
        // nrm2 does not overflow where the naive sum of squares would.
        let big = Buffer<Double>([3e200, 4e200])
        #expect(abs(Vec.norm(big.readOnly) / 5e200 - 1) < 1e-15)
    }

    @Test func gemvAndGemmRowMajor() {
        // A = [[1, 2, 3], [4, 5, 6]]
        let a = Matrix<Double>(rows: 2, columns: 3)
        for (i, v) in [1.0, 2, 3, 4, 5, 6].enumerated() { a.pointer[i] = v }
        let x: [Double] = [1, 0, -1]
        var y: [Double] = [10, 20]
        Double.gemv(transpose: false, 2, 3, 1, a.pointer, 3, x, 1, &y)
        #expect(y == [8, 18])  // A x + y
        var z: [Double] = [0, 0, 0]
        Double.gemv(transpose: true, 2, 3, 2, a.pointer, 3, [1, 1], 0, &z)
        #expect(z == [10, 14, 18])  // 2 Aᵀ 1
        // C = A Aᵀ = [[14, 32], [32, 77]]
        var c = [Double](repeating: 0, count: 4)
        Double.gemm(transposeA: false, transposeB: true, 2, 2, 3, 1, a.pointer, 3, a.pointer, 3, 0, &c, 2)
        #expect(c == [14, 32, 32, 77])
        var cf = [Float](repeating: 0, count: 4)
        let af = a.converted(to: Float.self)
        Float.gemm(transposeA: false, transposeB: true, 2, 2, 3, 1, af.pointer, 3, af.pointer, 3, 0, &cf, 2)
        #expect(cf == [14, 32, 32, 77])
    }
}

@Suite struct SolveTests {
    @Test func choleskySolvesSPDSystem() throws {
        // A = [[4, 2], [2, 3]], b = [2, 1]: x = [0.5, 0]
        let a = Matrix<Double>(rows: 2, columns: 2)
        a[0, 0] = 4; a[0, 1] = 2; a[1, 0] = 2; a[1, 1] = 3
        let x = try Dense.solveSPD(a, [2, 1])
        #expect(abs(x[0] - 0.5) < 1e-15 && abs(x[1]) < 1e-15)
        a[1, 1] = -1
        #expect(throws: LinearAlgebraError.self) { try Dense.solveSPD(a, [1, 1]) }
    }

    @Test func leastSquaresFitsALine() throws {
        // Points (0, 1), (1, 3), (2, 5), (3, 7.5): fit y = w0 + w1 t.
        let x = Matrix<Double>(rows: 4, columns: 2)
        for i in 0..<4 { x[i, 0] = 1; x[i, 1] = Double(i) }
        let w = try Dense.leastSquares(x, [1, 3, 5, 7.5])
        // Normal equations: [[4, 6], [6, 14]] w = [16.5, 35.5] -> w = [0.9, 2.15]
        #expect(abs(w[0] - 0.9) < 1e-13)
        #expect(abs(w[1] - 2.15) < 1e-13)
    }

    @Test func orthogonalFromGaussianIsOrthogonal() throws {
        let n = 7
        let g = Matrix<Double>(rows: n, columns: n)
        for i in 0..<(n * n) { g.pointer[i] = Double((i * 37) % 11) - 5 + Double(i) * 0.01 }
        let q = try Dense.orthogonal(fromGaussian: g)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += q[k, i] * q[k, j] }
                #expect(abs(s - (i == j ? 1 : 0)) < 1e-13)
            }
        }
    }

    @Test func symmetricEigenvalues() throws {
        let a = Matrix<Double>(rows: 2, columns: 2)
        a[0, 0] = 2; a[0, 1] = 1; a[1, 0] = 1; a[1, 1] = 2
        let w = try Dense.symmetricEigenvalues(a)
        #expect(abs(w[0] - 1) < 1e-14 && abs(w[1] - 3) < 1e-14)
    }

    @Test func threadCountIsSettable() {
        let before = BLASThreads.count
        BLASThreads.set(1)
        #expect(BLASThreads.count == 1)
        BLASThreads.set(before)
        #expect(!BLASThreads.configuration.isEmpty)
    }
}
