import COpenBLAS

/// A LAPACK routine reported failure.
public struct LinearAlgebraError: Error, CustomStringConvertible {
    public var description: String
}

/// Dense factorisations through OpenBLAS's LAPACK (column-major Fortran routines; the row-major
/// layout is handled here).
public enum Dense {
    /// Solves `A x = b` for symmetric positive-definite `A` (n × n) by Cholesky (LAPACK dposv).
    public static func solveSPD(_ a: Matrix<Double>, _ b: [Double]) throws -> [Double] {
        precondition(a.rows == a.columns && b.count == a.rows)
        let work = a.copy()  // symmetric: row-major equals column-major
        var rhs = b
        var n = Int32(a.rows), nrhs: Int32 = 1, info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "L"))
        var lda = n, ldb = n
        rhs.withUnsafeMutableBufferPointer { r in
            dposv_(&uplo, &n, &nrhs, work.pointer, &lda, r.baseAddress!, &ldb, &info)
        }
        if info != 0 { throw LinearAlgebraError(description: "Cholesky solve failed: matrix not positive definite (dposv info \(info))") }
        return rhs
    }

    /// The least-squares solution of `min ‖X w − y‖₂` for X (rows ≥ columns) of full column
    /// rank, by Householder QR (LAPACK dgels): more accurate than the normal equations.
    public static func leastSquares(_ x: Matrix<Double>, _ y: [Double]) throws -> [Double] {
        precondition(y.count == x.rows && x.rows >= x.columns)
        // Row-major X (n × d) is column-major Xᵀ (d × n): solve with TRANS = 'T'.
        let a = x.copy()
        var rhs = y
        var m = Int32(x.columns), n = Int32(x.rows), nrhs: Int32 = 1, info: Int32 = 0
        var lda = m, ldb = n
        var trans = CChar(UInt8(ascii: "T"))
        var lwork: Int32 = -1
        var query = 0.0
        rhs.withUnsafeMutableBufferPointer { r in
            dgels_(&trans, &m, &n, &nrhs, a.pointer, &lda, r.baseAddress!, &ldb, &query, &lwork, &info)
        }
        lwork = Int32(query)
        var work = [Double](repeating: 0, count: Int(max(lwork, 1)))
        rhs.withUnsafeMutableBufferPointer { r in
            work.withUnsafeMutableBufferPointer { w in
                dgels_(&trans, &m, &n, &nrhs, a.pointer, &lda, r.baseAddress!, &ldb, w.baseAddress!, &lwork, &info)
            }
        }
        if info != 0 { throw LinearAlgebraError(description: "least-squares solve failed: matrix rank deficient (dgels info \(info))") }
        return Array(rhs.prefix(x.columns))
    }

    /// The eigenvalues of a symmetric matrix that no longer changes (a problem's), ascending.
    public static func symmetricEigenvalues(_ a: ConstantMatrix<Double>) throws -> [Double] {
        try symmetricEigenvalues(a.copy())
    }

    /// The eigenvalues of a symmetric matrix, ascending (LAPACK dsyev).
    public static func symmetricEigenvalues(_ a: Matrix<Double>) throws -> [Double] {
        precondition(a.rows == a.columns)
        let work = a.copy()
        var n = Int32(a.rows), lda = n, info: Int32 = 0, lwork: Int32 = -1
        var jobz = CChar(UInt8(ascii: "N")), uplo = CChar(UInt8(ascii: "L"))
        var w = [Double](repeating: 0, count: a.rows)
        var query = 0.0
        dsyev_(&jobz, &uplo, &n, work.pointer, &lda, &w, &query, &lwork, &info)
        lwork = Int32(query)
        var scratch = [Double](repeating: 0, count: Int(max(lwork, 1)))
        dsyev_(&jobz, &uplo, &n, work.pointer, &lda, &w, &scratch, &lwork, &info)
        if info != 0 { throw LinearAlgebraError(description: "eigenvalue computation failed (dsyev info \(info))") }
        return w
    }

    /// A random orthogonal matrix distributed by Haar measure: the Q of the QR factorisation of
    /// a Gaussian matrix, with column signs fixed by R's diagonal (Mezzadri 2007).
    public static func orthogonal(fromGaussian g: Matrix<Double>) throws -> Matrix<Double> {
        precondition(g.rows == g.columns)
        let nInt = g.rows
        // Work column-major: transpose into `a`.
        let a = Matrix<Double>(rows: nInt, columns: nInt)
        for i in 0..<nInt { for j in 0..<nInt { a.pointer[j * nInt + i] = g[i, j] } }
        var n = Int32(nInt), lda = n, info: Int32 = 0
        var tau = [Double](repeating: 0, count: nInt)
        var lwork: Int32 = -1
        var query = 0.0
        dgeqrf_(&n, &n, a.pointer, &lda, &tau, &query, &lwork, &info)
        lwork = Int32(max(query, Double(nInt)))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgeqrf_(&n, &n, a.pointer, &lda, &tau, &work, &lwork, &info)
        if info != 0 { throw LinearAlgebraError(description: "QR failed (dgeqrf info \(info))") }
        let signs = (0..<nInt).map { a.pointer[$0 * nInt + $0] < 0 ? -1.0 : 1.0 }  // R_jj, column-major
        var k = n
        dorgqr_(&n, &n, &k, a.pointer, &lda, &tau, &work, &lwork, &info)
        if info != 0 { throw LinearAlgebraError(description: "QR failed (dorgqr info \(info))") }
        let q = Matrix<Double>(rows: nInt, columns: nInt)
        for i in 0..<nInt { for j in 0..<nInt { q[i, j] = a.pointer[j * nInt + i] * signs[j] } }
        return q
    }
}
