import LinearAlgebra
import SeededRandom
import Specs

/// Least squares on seeded synthetic data: f(w) = ½·n⁻¹ ‖Xw − y‖², y = Xw* + noise·ξ.
///
/// Rows of X are Gaussian with AR(1)-correlated features (Cov(x_j, x_k) = corr^|j−k|, so the
/// Hessian's condition number grows as ((1 + corr)/(1 − corr))²); w* ~ N(0, I/d); ξ ~ N(0, 1).
/// Every seed is already a distinct instance (its own data), so `instance=classic` and
/// `instance=seeded` are this same problem (accepted, left out of the canonical spec).
/// Start w₀ = 0. f* = f(ŵ) with ŵ the least-squares solution computed at set-up by Householder QR.
/// With `batch` < n, minibatches are drawn without replacement within each epoch (a fresh seeded
/// permutation per epoch; the last n mod batch rows of an epoch are dropped, as with
/// `DataLoader(drop_last=True)`, so every step costs the same).
///
/// The full gradient reads X once: row blocks that fit in cache get the residual (gemv) and its
/// transposed product (gemv) in turn, instead of two passes over all of X. Minibatch gradients
/// and the full loss (the evaluation) are fixed-order products (`LinearRegressionProducts`), so
/// that a group of runs shares them with a lone run's bits (`LinearRegressionBatchObjective`); a
/// lone run's minibatch products read the drawn rows of X where they lie (`RowProducts`, the
/// same chains, no gathered copy).
public final class LinearRegression: Problem {
    public static let catalog = CatalogEntry(
        name: "linreg",
        summary: "least squares ½n⁻¹‖Xw − y‖² on seeded correlated Gaussian data; f* from a QR solve",
        parameters: [
            ParameterDoc("n", "1000", "number of examples (≥ 1, ≥ d)"),
            ParameterDoc("d", "50", "number of features (≥ 1)"),
            ParameterDoc("noise", "0.1", "label noise standard deviation (≥ 0)"),
            ParameterDoc("batch", "full", "minibatch size in [1, n], or full (= n) for full-batch gradients"),
            ParameterDoc("corr", "0.5", "AR(1) correlation between neighbouring features, in [0, 1)"),
            ProblemInstance.sameDoc("the data"),
        ],
        reference: "ordinary least squares; minibatch sampling as torch.utils.data.DataLoader(shuffle=True, drop_last=True)")

    public let spec: Spec
    public let n: Int
    public let d: Int
    public let noise: Double
    public let batch: Int
    public let corr: Double
    public let x: ConstantMatrix<Double>
    /// Xᵀ (d × n): the residuals Xw − y as the fixed-order product wᵀXᵀ.
    public let xT: ConstantMatrix<Double>
    public let y: ConstantBuffer<Double>
    /// The least-squares solution ŵ.
    public let solution: [Double]
    public let optimumValue: Double?
    let seed: UInt64
    /// The random stream's label: the spec fields that determine the data (not the batch size,
    /// so that every batch size sees the same data: common random numbers).
    let dataLabel: String

    public var dimension: Int { d }
    public var initialPoint: [Double] { Array(repeating: 0, count: d) }
    public var isStochastic: Bool { batch < n }

    public init(spec: Spec, seed: UInt64) throws {
        var p = Parameters(spec)
        n = try p.int("n", default: 1000, .atLeast(1))
        d = try p.int("d", default: 50, .atLeast(1))
        noise = try p.double("noise", default: 0.1, .nonNegative)
        corr = try p.double("corr", default: 0.5, .unitOpenAbove)
        if case .word("full")? = spec["batch"] {
            _ = try p.choice("batch", default: "full", ["full"])
            batch = n
        } else {
            batch = try p.int("batch", default: n, .atLeast(1))
        }
        _ = try ProblemInstance.read(&p)
        try p.finish()
        try ProblemMemory.check("linreg", bytes: 4 * ProblemMemory.matrix(n, d) + ProblemMemory.matrix(d, d) + ProblemMemory.runVectors(d), "n=\(n), d=\(d) (an n × d data matrix)")
        if n < d { throw SpecUsageError("linreg: parameter 'n' must be >= d (\(d)) so that the least-squares solution is unique, got \(n)") }
        if batch > n { throw SpecUsageError("linreg: parameter 'batch' must be in [1, n] = [1, \(n)] or full, got \(batch)") }
        self.seed = seed
        let batchValue: SpecValue = batch == n ? .word("full") : .number(Double(batch), text: "\(batch)")
        self.spec = Spec(name: "linreg", arguments: [
            .init(key: "n", value: .number(Double(n), text: "\(n)")),
            .init(key: "d", value: .number(Double(d), text: "\(d)")),
            .init(key: "noise", value: .number(noise, text: noise.description)),
            .init(key: "batch", value: batchValue),
            .init(key: "corr", value: .number(corr, text: corr.description)),
        ])
        // The data depends on (n, d, noise, corr) and the seed, not on the batch size.
        let dataLabel = "linreg/data/n=\(n)/d=\(d)/noise=\(noise)/corr=\(corr)"
        self.dataLabel = dataLabel
        var stream = RandomStream(seed: seed, label: dataLabel)
        var wStream = stream.split("w*")
        var noiseStream = stream.split("noise")
        let dim = d
        var wStar = [Double](repeating: 0, count: dim)
        for j in 0..<dim { wStar[j] = wStream.gaussian() / Double(dim).squareRoot() }
        let xm = Matrix<Double>(rows: n, columns: d)
        let rho = corr, sigma = noise, rows = n
        let innovation = (1 - rho * rho).squareRoot()
        for i in 0..<rows {
            let row = xm.row(i)
            row[0] = stream.gaussian()
            for j in 1..<max(dim, 1) where j < dim { row[j] = rho * row[j - 1] + innovation * stream.gaussian() }
        }
        let yb = Buffer<Double>(count: rows)
        for i in 0..<rows {
            yb[i] = Double.dot(dim, xm.row(i), 1, wStar, 1) + sigma * noiseStream.gaussian()
        }
        solution = try Dense.leastSquares(xm, yb.array)
        let xt = Matrix<Double>(rows: dim, columns: rows)
        for i in 0..<rows { for j in 0..<dim { xt.pointer[j * rows + i] = xm.pointer[i * dim + j] } }
        let data = (x: ConstantMatrix(consume xm), xT: ConstantMatrix(consume xt), y: ConstantBuffer(consume yb))
        x = data.x
        xT = data.xT
        y = data.y
        let probe = LinearRegressionObjective(x: data.x, xT: data.xT, y: data.y, n: rows, d: dim, batch: rows, stream: stream)
        optimumValue = solution.withUnsafeBufferPointer { probe.loss(at: $0) }
    }

    public func makeObjective() -> any Objective {
        LinearRegressionObjective(x: x, xT: xT, y: y, n: n, d: d, batch: batch,
                                  stream: RandomStream(seed: seed, label: dataLabel + "/minibatch"))
    }

    /// Minibatches: one fixed-order product per pass for the group (`LinearRegressionBatchObjective`).
    /// Full batch: each member's own fused one-pass gradient (`LoopedBatchObjective`): that pass
    /// is bound by reading X, which a shared product would read as often.
    public func makeBatchObjective(capacity: Int) -> any BatchObjective {
        guard batch < n else { return LoopedBatchObjective(problem: self, capacity: capacity) }
        return LinearRegressionBatchObjective(self, capacity: capacity)
    }
}

public final class LinearRegressionObjective: Objective {
    let x: ConstantMatrix<Double>
    let xT: ConstantMatrix<Double>
    let y: ConstantBuffer<Double>
    let n: Int, d: Int, batch: Int
    /// Rows per cache block in the one-pass gradient (about 256 KiB of X).
    public let blockRows: Int
    let residual: Buffer<Double>
    let order: UnsafeMutableBufferPointer<Int32>
    var position: Int
    /// Whether a minibatch has been drawn (`sampleLoss` before the first draw: a zero sample).
    var hasDrawn = false
    var stream: RandomStream

    init(x: ConstantMatrix<Double>, xT: ConstantMatrix<Double>, y: ConstantBuffer<Double>, n: Int, d: Int, batch: Int,
         stream: RandomStream, blockRows: Int? = nil) {
        self.x = x
        self.xT = xT
        self.y = y
        self.n = n
        self.d = d
        self.batch = batch
        self.blockRows = blockRows ?? max(8, min(n, 32_768 / max(d, 1)))
        residual = Buffer(count: max(n, batch, LinearRegressionProducts.lossBlock))
        order = .allocate(capacity: n)
        for i in 0..<n { order[i] = Int32(i) }
        position = n  // shuffle before the first batch
        self.stream = stream
    }

    deinit { order.deallocate() }

    /// A copy with another cache-block height (for tests and benchmarks of the fused gradient).
    public func withBlockRows(_ rows: Int) -> LinearRegressionObjective {
        LinearRegressionObjective(x: x, xT: xT, y: y, n: n, d: d, batch: batch, stream: stream, blockRows: rows)
    }

    /// The full loss, in blocks of `LinearRegressionProducts.lossBlock` rows (`lossSums`).
    public func loss(at w: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        LinearRegressionProducts.lossSums(1, w: w.baseAddress!, xT: xT.pointer, y: y.pointer, n: n, d: d,
                                          scratch: residual.pointer, into: &sum)
        return 0.5 * sum * (1 / Double(n))
    }

    /// One pass over X in row blocks: r_B = X_B w − y_B, then g += X_Bᵀ r_B while X_B is in cache.
    public func lossAndGradient(at w: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let gp = g.baseAddress!
        gp.update(repeating: 0, count: d)
        var sum = 0.0
        var start = 0
        while start < n {
            let rows = min(blockRows, n - start)
            let xb = x.pointer + start * d
            let r = residual.pointer + start
            r.update(from: y.pointer + start, count: rows)
            Double.gemv(transpose: false, rows, d, 1, xb, d, w.baseAddress!, -1, r)
            sum += Double.dot(rows, r, 1, r, 1)
            Double.gemv(transpose: true, rows, d, 1, xb, d, r, 1, gp)
            start += rows
        }
        let scale = 1 / Double(n)
        Double.scal(d, scale, gp, 1)
        return 0.5 * sum * scale
    }

    /// The textbook two-pass gradient (X w − y over all rows, then Xᵀ r): the reference the fused one is checked and timed against.
    public func lossAndGradientTwoPass(at w: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let r = residual.pointer
        r.update(from: y.pointer, count: n)
        Double.gemv(transpose: false, n, d, 1, x.pointer, d, w.baseAddress!, -1, r)
        let scale = 1 / Double(n)
        Double.gemv(transpose: true, n, d, scale, x.pointer, d, r, 0, g.baseAddress!)
        return 0.5 * Double.dot(n, r, 1, r, 1) * scale
    }

    /// Draws the next minibatch (minibatch only): its rows are `drawnRows`, `batch` indices into X.
    func drawNext() {
        if position + batch > n {
            stream.shuffle(order)
            position = 0
        }
        position += batch
        hasDrawn = true
    }

    /// The rows of the minibatch drawn last (valid until the next draw).
    var drawnRows: UnsafePointer<Int32> { UnsafePointer(order.baseAddress! + (position - batch)) }

    public func sampleLossAndGradient(at w: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        guard batch < n else { return lossAndGradient(at: w, into: g) }
        drawNext()
        let r = residual.pointer, gp = g.baseAddress!
        RowProducts.leastSquares(rows: batch, d: d, x: x.pointer, index: drawnRows, y: y.pointer, w: w.baseAddress!,
                                 residuals: r, gradient: gp)
        LinearRegressionProducts.scale(gp, count: d, rows: batch)
        return LinearRegressionProducts.halfMean(r, batch)
    }

    /// The loss on the last minibatch drawn, or the full loss summed over the same row blocks as
    /// `lossAndGradient` (so the bits agree with the sampled loss).
    public func sampleLoss(at w: UnsafeBufferPointer<Double>) -> Double {
        if batch < n {
            guard hasDrawn else { return 0 }
            let r = residual.pointer
            RowProducts.leastSquares(rows: batch, d: d, x: x.pointer, index: drawnRows, y: y.pointer, w: w.baseAddress!,
                                     residuals: r, gradient: nil)
            return LinearRegressionProducts.halfMean(r, batch)
        }
        var sum = 0.0
        var start = 0
        while start < n {
            let rows = min(blockRows, n - start)
            let r = residual.pointer + start
            r.update(from: y.pointer + start, count: rows)
            Double.gemv(transpose: false, rows, d, 1, x.pointer + start * d, d, w.baseAddress!, -1, r)
            sum += Double.dot(rows, r, 1, r, 1)
            start += rows
        }
        return 0.5 * sum * (1 / Double(n))
    }
}

/// The fixed-order products of least squares (`BLASScalar.fixedGemm`: each element one chain of
/// fused multiply-adds in increasing p), for one point or m at once. An element's chain is the
/// same whichever side of the product the point sits on (fma(a, b, s) = fma(b, a, s)), so each
/// side can take the layout that suits it and still get the same bits: residual r_i of point w
/// is s₀ = −y_i, s_{p+1} = fma(x_ip, w_p, s_p); gradient g_j = (1/B)·(chain over i of r_i·x_ij);
/// the loss ½·(r·r)/count with r contiguous. A lone minibatch reads its rows of X in place
/// (`RowProducts`, these chains: no gathered copy, no transposed one); a group and every full
/// loss take W·Xᵀ with the points as rows, vectorised over the data rows.
enum LinearRegressionProducts {
    /// Rows per block of the full loss: any group size sums the same blocks.
    static let lossBlock = 256

    /// Residuals of m points (the rows of w, m × d) on `count` data rows given transposed (xT:
    /// d × count, stride ldxT), into the rows of r (m × ldr).
    @inline(__always)
    static func residuals(_ m: Int, w: UnsafePointer<Double>, d: Int, xT: UnsafePointer<Double>, ldxT: Int,
                          y: UnsafePointer<Double>, count: Int, into r: UnsafeMutablePointer<Double>, ldr: Int) {
        for s in 0..<m {
            let row = r + s * ldr
            for j in 0..<count { row[j] = -y[j] }
        }
        Double.fixedGemm(m, count, d, w, rowStride: d, columnStride: 1, xT, ldxT, r, ldr, accumulate: true)
    }

    /// Gradients (1/rows)·r_sᵀ X_B of m points (residual rows r, m × rows, stride ldr) into the
    /// rows of g (m × d).
    @inline(__always)
    static func gradients(_ m: Int, r: UnsafePointer<Double>, ldr: Int, x: UnsafePointer<Double>, rows: Int, d: Int,
                          into g: UnsafeMutablePointer<Double>) {
        Double.fixedGemm(m, d, rows, r, rowStride: ldr, columnStride: 1, x, d, g, d, accumulate: false)
        scale(g, count: m * d, rows: rows)
    }

    /// g[i] ← g[i]·(1/rows): the unscaled sums of `rows` terms to their mean.
    @inline(__always)
    static func scale(_ g: UnsafeMutablePointer<Double>, count: Int, rows: Int) {
        let scale = 1 / Double(rows)
        for i in 0..<count { g[i] *= scale }
    }

    /// ½·(r·r)/count, r contiguous.
    @inline(__always)
    static func halfMean(_ r: UnsafePointer<Double>, _ count: Int) -> Double {
        0.5 * Double.dot(count, r, 1, r, 1) * (1 / Double(count))
    }

    /// sums[s] = Σ over blocks of `lossBlock` rows of ‖X_blk w_s − y_blk‖² for the m points in
    /// the rows of w (m × d), from Xᵀ (d × n); scratch: m × lossBlock.
    static func lossSums(_ m: Int, w: UnsafePointer<Double>, xT: UnsafePointer<Double>, y: UnsafePointer<Double>, n: Int, d: Int,
                         scratch: UnsafeMutablePointer<Double>, into sums: UnsafeMutablePointer<Double>) {
        for s in 0..<m { sums[s] = 0 }
        var start = 0
        while start < n {
            let cols = min(lossBlock, n - start)
            residuals(m, w: w, d: d, xT: xT + start, ldxT: n, y: y + start, count: cols, into: scratch, ldr: lossBlock)
            for s in 0..<m { sums[s] += Double.dot(cols, scratch + s * lossBlock, 1, scratch + s * lossBlock, 1) }
            start += cols
        }
    }
}
