import CKernels

/// Least squares' minibatch products read from the rows of X where they lie
/// (Sources/CKernels/rows.c): r_b = chain over p of fma(X[i_b, p], w_p, ·) from −y[i_b], and
/// g_j = chain over b of fma(r_b, X[i_b, j], ·) from 0: the chains `FixedOrder`'s products
/// compute on the gathered rows, to the bit, without the gathered copy (a minibatch of 128 rows
/// of 1000 values is 1 MB to copy). Allocates nothing.
public enum RowProducts {
    /// Residuals of `rows` rows of x (`d` values each), row b being x[index[b]], into r; the
    /// unscaled gradient r·X_B into g when it is not nil.
    @inline(__always)
    public static func leastSquares(rows: Int, d: Int, x: UnsafePointer<Double>, index: UnsafePointer<Int32>,
                                    y: UnsafePointer<Double>, w: UnsafePointer<Double>,
                                    residuals r: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>?) {
        lrb_row_products_f64(rows, d, x, index, y, w, r, g)
    }

    /// `leastSquares` with the implementation forced (tests: every instruction set agrees).
    public static func leastSquares(isa: FixedOrder.ISA, rows: Int, d: Int, x: UnsafePointer<Double>, index: UnsafePointer<Int32>,
                                    y: UnsafePointer<Double>, w: UnsafePointer<Double>,
                                    residuals r: UnsafeMutablePointer<Double>, gradient g: UnsafeMutablePointer<Double>?) {
        lrb_row_products_f64_isa(isa.rawValue, rows, d, x, index, y, w, r, g)
    }
}
