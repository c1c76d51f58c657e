#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import SeededRandom

/// The classification network of up to `capacity` runs at once, generic over the precision T:
/// the forward and backward passes of K parameter vectors on one minibatch (or one block of the
/// data set) are each one fixed-order product over the K runs' columns side by side,
/// X · [W₁ … W_K] and Xᵀ · [G₁ … G_K] (`BLASScalar.fixedGemm`). Every element of a fixed-order
/// product depends on its own column only, and every other operation here is per run and per
/// row, so a run's numbers are the same alone (capacity 1, the lone `Objective`), in any group,
/// in any slot, and whatever the row blocking of the data: the invariant of `BatchObjective`.
///
/// Layout of the packed parameters, for the q-th run of a chunk (`chunk`): softmax W in columns 10q..10q+9
/// of a 784 × 10K matrix, b at 10q; mlp W1 in columns hq..hq+h−1 of a 784 × hK matrix, b1 at
/// hq, W2 (h × 10) and its transpose in their own slices, b2 at 10q. All scratch is allocated
/// here, once; the per-step calls allocate nothing.
final class ClassificationKernel<T: BLASScalar> {
    let capacity: Int
    let xTrain: ConstantMatrix<T>
    let xTest: ConstantMatrix<T>
    let yTrain: UnsafeMutableBufferPointer<Int32>
    let yTest: UnsafeMutableBufferPointer<Int32>
    let nTrain: Int
    let nTest: Int
    let batch: Int
    let hidden: Int
    let isMLP: Bool
    let dimension: Int
    /// Runs computed together: the group is served in chunks of at most this many, so a chunk's
    /// packed parameters and gradients (784 × width each) stay within `chunkBytes`, in the core's
    /// L2 cache beside the minibatch and the activations, however big the group. Chunking changes no number.
    let chunk: Int
    static var chunkBytes: Int { 1 << 19 }
    /// Rows per block of a full-data pass (evaluation, full gradient): any value gives the same
    /// numbers; bigger blocks amortise the packing.
    let blockRows: Int

    // Packed parameters of the active runs (see the type's doc), in T.
    let w: Buffer<T>      // softmax W or mlp W1: 784 × (width·K)
    let bias1: Buffer<T>  // mlp b1: h·K
    let w2: Buffer<T>     // mlp W2: K slices of h × 10
    let w2t: Buffer<T>    // mlp W2ᵀ: K slices of 10 × h
    let bias2: Buffer<T>  // softmax b or mlp b2: 10·K
    // Their gradients, accumulated in T.
    let gw: Buffer<T>, gBias1: Buffer<T>, gw2: Buffer<T>, gBias2: Buffer<T>

    /// The gathered minibatch: rows and labels.
    let batchX: Matrix<T>
    let batchY: UnsafeMutableBufferPointer<Int32>
    /// Logits, then ∂loss/∂logits: blockRows × 10K. Hidden activations and their gradient
    /// (mlp): blockRows × hK.
    let logits: Buffer<T>
    let activations: Buffer<T>
    let activationGrad: Buffer<T>
    /// The log-softmax's scratch: one row's exponentials (10K), and per run its row maximum and
    /// the sum of its exponentials, then that sum's log.
    let exponentials: Buffer<Double>
    let shifts: Buffer<Double>
    let sums: Buffer<Double>
    /// Per run of the chunk: summed loss and correct predictions of the pass under way.
    let totals: UnsafeMutableBufferPointer<Double>
    let corrects: UnsafeMutableBufferPointer<Int>

    /// The slots of the runs a batch call serves, in slot order (`BatchObjective`).
    let slots: UnsafeMutableBufferPointer<Int>

    let permutation: UnsafeMutableBufferPointer<Int32>
    var position: Int
    var stream: RandomStream

    // Offsets of the blocks in one run's θ.
    let w1Offset: Int, b1Offset: Int, w2Offset: Int, b2Offset: Int

    static var d: Int { ClassificationImages.pixels }
    static var k: Int { ClassificationImages.classes }

    /// Columns of the shared product per run: 10 (softmax) or h (mlp).
    var width: Int { isMLP ? hidden : Self.k }

    init(_ problem: ClassificationProblem, train: ConstantMatrix<T>, test: ConstantMatrix<T>, capacity: Int) {
        precondition(capacity >= 1, "classify: a batch has at least one slot")
        self.capacity = capacity
        xTrain = train
        xTest = test
        nTrain = problem.train.count
        nTest = problem.test.count
        batch = problem.batch
        hidden = problem.hidden
        isMLP = problem.model == .mlp
        dimension = problem.dimension
        blockRows = max(problem.batch, min(256, max(nTrain, nTest)))
        yTrain = .allocate(capacity: nTrain)
        _ = yTrain.initialize(from: problem.train.labels)
        yTest = .allocate(capacity: nTest)
        _ = yTest.initialize(from: problem.test.labels)
        let d = Self.d, k = Self.k, h = hidden
        let width = isMLP ? h : k
        let chunk = min(capacity, max(1, Self.chunkBytes / (d * width * MemoryLayout<T>.stride)))
        self.chunk = chunk
        w = Buffer(count: d * width * chunk)
        gw = Buffer(count: d * width * chunk)
        bias1 = Buffer(count: h * chunk)
        gBias1 = Buffer(count: h * chunk)
        w2 = Buffer(count: h * k * chunk)
        w2t = Buffer(count: h * k * chunk)
        gw2 = Buffer(count: h * k * chunk)
        bias2 = Buffer(count: k * chunk)
        gBias2 = Buffer(count: k * chunk)
        batchX = Matrix(rows: batch < nTrain ? batch : 0, columns: d)
        batchY = .allocate(capacity: batch)
        batchY.initialize(repeating: 0)
        logits = Buffer(count: blockRows * k * chunk)
        activations = Buffer(count: blockRows * h * chunk)
        activationGrad = Buffer(count: blockRows * h * chunk)
        exponentials = Buffer(count: k * chunk)
        shifts = Buffer(count: chunk)
        sums = Buffer(count: chunk)
        totals = .allocate(capacity: chunk)
        totals.initialize(repeating: 0)
        corrects = .allocate(capacity: chunk)
        corrects.initialize(repeating: 0)
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0)
        permutation = .allocate(capacity: nTrain)
        permutation.initialize(repeating: 0)
        position = nTrain  // the first sample starts an epoch
        stream = problem.minibatchStream
        if isMLP {
            w1Offset = 0; b1Offset = d * h; w2Offset = b1Offset + h; b2Offset = w2Offset + h * k
        } else {
            w1Offset = 0; b1Offset = 0; w2Offset = 0; b2Offset = d * k  // softmax: W at 0, b at 7840
        }
    }

    deinit {
        yTrain.deallocate()
        yTest.deallocate()
        batchY.deallocate()
        totals.deallocate()
        corrects.deallocate()
        slots.deallocate()
        permutation.deallocate()
    }

    // MARK: the passes (points: the active runs' θ, in slot order; at most `capacity`)

    /// The next minibatch (a new epoch's permutation when this one is used up), gathered once
    /// for every run. Full batches (batch ≥ n_train) gather nothing: the pass is the full one.
    func drawSample() {
        guard batch < nTrain else { return }
        if position + batch > nTrain {
            // A new epoch: a fresh permutation of 0..<n from this objective's stream.
            for i in 0..<nTrain { permutation[i] = Int32(i) }
            stream.shuffle(permutation)
            position = 0
        }
        let d = Self.d
        for r in 0..<batch {
            let i = Int(permutation[position + r])
            (batchX.pointer + r * d).update(from: xTrain.pointer + i * d, count: d)
            batchY[r] = yTrain[i]
        }
        position += batch
    }

    /// Calls `body(first, n)` for consecutive chunks of at most `chunk` of the `count` runs.
    @inline(__always) private func forEachChunk(_ count: Int, _ body: (Int, Int) -> Void) {
        var first = 0
        while first < count {
            let n = min(chunk, count - first)
            body(first, n)
            first += n
        }
    }

    /// The sampled loss of each of the `count` runs at `points` on the sample drawn last, and,
    /// when `gradients` is given, its gradient (the full ones with full batches).
    func sampleLoss<P: BLASScalar>(count: Int, points: (Int) -> UnsafePointer<P>, losses: (Int, Double) -> Void) {
        trainingPass(full: batch >= nTrain, count: count, points: points, losses: losses, withGradients: false, gradients: Self.none)
    }

    func sampleLoss<P: BLASScalar>(count: Int, points: (Int) -> UnsafePointer<P>, losses: (Int, Double) -> Void,
                                   gradients: (Int) -> UnsafeMutablePointer<P>) {
        trainingPass(full: batch >= nTrain, count: count, points: points, losses: losses, withGradients: true, gradients: gradients)
    }

    /// The full training loss of each run and, with `gradients`, its mean gradient.
    func fullLoss<P: BLASScalar>(count: Int, points: (Int) -> UnsafePointer<P>, losses: (Int, Double) -> Void) {
        trainingPass(full: true, count: count, points: points, losses: losses, withGradients: false, gradients: Self.none)
    }

    func fullLoss<P: BLASScalar>(count: Int, points: (Int) -> UnsafePointer<P>, losses: (Int, Double) -> Void,
                                 gradients: (Int) -> UnsafeMutablePointer<P>) {
        trainingPass(full: true, count: count, points: points, losses: losses, withGradients: true, gradients: gradients)
    }

    /// The `gradients` of a pass that computes none (never called).
    private static func none<P>(_: Int) -> UnsafeMutablePointer<P> { preconditionFailure("classify: no gradient was asked for") }

    /// The mean loss (and gradient) over the whole training set (`full`) or the minibatch drawn
    /// last. The closures are non-escaping (an optional closure would escape, and its context
    /// be allocated on every call).
    private func trainingPass<P: BLASScalar>(full: Bool, count: Int, points: (Int) -> UnsafePointer<P>, losses: (Int, Double) -> Void,
                                             withGradients: Bool, gradients: (Int) -> UnsafeMutablePointer<P>) {
        forEachChunk(count) { first, n in
            load(first, n, points)
            if withGradients { clearGradients(n) }
            resetTotals(n)
            if full {
                sweep(n, xTrain, yTrain, nTrain, gradient: withGradients)
            } else {
                block(n, UnsafePointer(batchX.pointer), UnsafePointer(batchY.baseAddress!), batch,
                      gradientScale: withGradients ? 1 / Double(batch) : 0, first: true)
            }
            if withGradients { for q in 0..<n { store(q, n, gradients(first + q)) } }
            for q in 0..<n { losses(first + q, totals[q] / Double(full ? nTrain : batch)) }
        }
    }

    /// Metrics of each run: train loss, test loss, test accuracy.
    func evaluate<P: BLASScalar>(count: Int, points: (Int) -> UnsafePointer<P>, metrics: (Int) -> UnsafeMutablePointer<Double>) {
        forEachChunk(count) { first, n in
            load(first, n, points)
            resetTotals(n)
            sweep(n, xTrain, yTrain, nTrain, gradient: false)
            for q in 0..<n { metrics(first + q)[0] = totals[q] / Double(nTrain) }
            resetTotals(n)
            sweep(n, xTest, yTest, nTest, gradient: false)
            for q in 0..<n {
                let m = metrics(first + q)
                m[1] = totals[q] / Double(nTest)
                m[2] = Double(corrects[q]) / Double(nTest)
            }
        }
    }

    // MARK: packing

    /// Runs first..<first+count's θ (Double, or Float for a float32 state) into the packed T
    /// parameters (a copy when P is T).
    private func load<P: BLASScalar>(_ first: Int, _ count: Int, _ points: (Int) -> UnsafePointer<P>) {
        precondition(count <= chunk, "classify: \(count) runs in a chunk of \(chunk)")
        let d = Self.d, k = Self.k, h = hidden, width = self.width, ld = width * count
        let wp = w.pointer
        for q in 0..<count {
            let x = points(first + q)
            for p in 0..<d {
                convert(x + w1Offset + p * width, to: wp + p * ld + q * width, width)
            }
            for c in 0..<k { bias2.pointer[q * k + c] = T(x[b2Offset + c]) }
            if isMLP {
                for j in 0..<h { bias1.pointer[q * h + j] = T(x[b1Offset + j]) }
                let w2q = w2.pointer + q * h * k, w2tq = w2t.pointer + q * h * k
                for j in 0..<h {
                    for c in 0..<k {
                        let v = T(x[w2Offset + j * k + c])
                        w2q[j * k + c] = v
                        w2tq[c * h + j] = v
                    }
                }
            }
        }
    }

    /// Packed run q's gradient (T; `count` runs packed) into g (Double, or Float for a float32 state).
    private func store<P: BLASScalar>(_ q: Int, _ count: Int, _ g: UnsafeMutablePointer<P>) {
        let d = Self.d, k = Self.k, h = hidden, width = self.width, ld = width * count
        let gp = gw.pointer
        for p in 0..<d {
            convert(UnsafePointer(gp + p * ld + q * width), to: g + w1Offset + p * width, width)
        }
        for c in 0..<k { g[b2Offset + c] = P(gBias2.pointer[q * k + c]) }
        if isMLP {
            for j in 0..<h { g[b1Offset + j] = P(gBias1.pointer[q * h + j]) }
            convert(UnsafePointer(gw2.pointer + q * h * k), to: g + w2Offset, h * k)
        }
    }

    /// dst[i] = src[i] for i < n, rounded or widened from A to B. When they are the same type,
    /// an inline copy 32 bytes at a time: a row of W is 10 (softmax) or h (mlp) values, too short
    /// for a memcpy call, and an element loop over them is not vectorised.
    @inline(__always) private func convert<A: BLASScalar, B: BLASScalar>(_ src: UnsafePointer<A>, to dst: UnsafeMutablePointer<B>, _ n: Int) {
        guard A.self == B.self else {
            for i in 0..<n { dst[i] = B(src[i]) }
            return
        }
        let from = UnsafeRawPointer(src), to = UnsafeMutableRawPointer(dst)
        let bytes = n * MemoryLayout<A>.stride
        var i = 0
        while i + 32 <= bytes {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: i, as: SIMD4<UInt64>.self), toByteOffset: i, as: SIMD4<UInt64>.self)
            i += 32
        }
        while i < bytes {  // whole elements of 4 or 8 bytes
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: i, as: UInt32.self), toByteOffset: i, as: UInt32.self)
            i += 4
        }
    }

    /// The gradients the passes add to; ∇[W…] is written by the first block (`block`).
    private func clearGradients(_ count: Int) {
        let k = Self.k, h = hidden
        gBias2.pointer.update(repeating: 0, count: k * count)
        if isMLP {
            gBias1.pointer.update(repeating: 0, count: h * count)
            gw2.pointer.update(repeating: 0, count: h * k * count)
        }
    }

    private func resetTotals(_ count: Int) {
        for q in 0..<count { totals[q] = 0; corrects[q] = 0 }
    }

    // MARK: compute

    /// Loss (and accuracy) over all n rows of `x` into `totals`/`corrects`, in row blocks; with
    /// `gradient`, the mean loss's gradient is accumulated.
    private func sweep(_ count: Int, _ x: ConstantMatrix<T>, _ y: UnsafeMutableBufferPointer<Int32>, _ n: Int, gradient: Bool) {
        var start = 0
        let scale = gradient ? 1 / Double(n) : 0
        while start < n {
            let m = min(blockRows, n - start)
            block(count, UnsafePointer(x.row(start)), UnsafePointer(y.baseAddress! + start), m, gradientScale: scale, first: start == 0)
            start += m
        }
    }

    /// Forward pass of every run on m rows (m ≤ blockRows): adds each run's summed cross-entropy
    /// to `totals` and its correct argmax predictions to `corrects`, row by row. When
    /// `gradientScale` is not 0, adds gradientScale · ∇(summed loss) to the gradients; the `first`
    /// block of a pass writes ∇[W…] (W1's for the mlp) instead of adding to it, which saves
    /// clearing it: a product started from 0 is the same chain either way.
    private func block(_ count: Int, _ x: UnsafePointer<T>, _ y: UnsafePointer<Int32>, _ m: Int, gradientScale: Double, first: Bool) {
        let d = Self.d, k = Self.k, h = hidden
        let ldz = k * count, ldh = h * count
        let z = logits.pointer, a = activations.pointer
        let withGradient = gradientScale != 0

        // Forward.
        if isMLP {
            // A = relu(X·[W1…] + b1), one product for every run; then Z_q = A_q·W2_q.
            T.fixedGemm(m, ldh, d, x, rowStride: d, columnStride: 1, UnsafePointer(w.pointer), ldh, a, ldh, accumulate: false)
            let b1 = bias1.pointer
            for r in 0..<m {
                let row = a + r * ldh
                for j in 0..<ldh { row[j] = max(row[j] + b1[j], 0) }
            }
            for q in 0..<count {
                T.fixedGemm(m, k, h, UnsafePointer(a + q * h), rowStride: ldh, columnStride: 1,
                            UnsafePointer(w2.pointer + q * h * k), k, z + q * k, ldz, accumulate: false)
            }
        } else {
            // Z = X·[W…], one product for every run.
            T.fixedGemm(m, ldz, d, x, rowStride: d, columnStride: 1, UnsafePointer(w.pointer), ldz, z, ldz, accumulate: false)
        }

        // Log-softmax (row max subtracted), loss, accuracy, and ∂(scaled loss)/∂Z in place. The
        // exponentials of a row, all runs' logits at once, are one call of `VectorMath.exp`, and
        // the runs' logs one of `VectorMath.log` (their bits depend on each element alone, like
        // the products').
        let b2 = bias2.pointer, e = exponentials.pointer, shift = shifts.pointer, sum = sums.pointer
        for r in 0..<m {
            let label = Int(y[r])
            let zr = z + r * ldz
            for q in 0..<count {
                let row = zr + q * k, bias = b2 + q * k
                var best = 0
                var top = -Double.infinity
                for c in 0..<k {
                    let v = Double(row[c] + bias[c])
                    row[c] = T(v)
                    if v > top { top = v; best = c }
                }
                if best == label { corrects[q] += 1 }
                shift[q] = top
                for c in 0..<k { e[q * k + c] = Double(row[c]) - top }
            }
            VectorMath.exp(e, into: e, count: ldz)
            for q in 0..<count {
                var total = 0.0
                for c in 0..<k { total += e[q * k + c] }
                sum[q] = total
            }
            VectorMath.log(sum, into: sum, count: count)
            for q in 0..<count {
                let logSum = shift[q] + sum[q]
                totals[q] += logSum - Double(zr[q * k + label])
                if withGradient {
                    for c in 0..<k { e[q * k + c] = Double(zr[q * k + c]) - logSum }
                }
            }
            guard withGradient else { continue }
            VectorMath.exp(e, into: e, count: ldz)
            for q in 0..<count {
                for c in 0..<k {
                    let p = e[q * k + c]
                    zr[q * k + c] = T(gradientScale * (c == label ? p - 1 : p))
                }
            }
        }
        guard withGradient else { return }

        // Backward; z now holds G = ∂(scaled loss)/∂Z (m × 10K).
        let gb2 = gBias2.pointer
        for r in 0..<m {
            let row = z + r * ldz
            for j in 0..<ldz { gb2[j] += row[j] }
        }
        if isMLP {
            let ga = activationGrad.pointer, gb1 = gBias1.pointer
            for q in 0..<count {
                // ∇W2_q += A_qᵀ·G_q;  ∂/∂A_q = G_q·W2_qᵀ
                T.fixedGemm(h, k, m, UnsafePointer(a + q * h), rowStride: 1, columnStride: ldh,
                            UnsafePointer(z + q * k), ldz, gw2.pointer + q * h * k, k, accumulate: true)
                T.fixedGemm(m, h, k, UnsafePointer(z + q * k), rowStride: ldz, columnStride: 1,
                            UnsafePointer(w2t.pointer + q * h * k), h, ga + q * h, ldh, accumulate: false)
            }
            // relu′ (A > 0 ⇔ pre-activation > 0), and ∇b1.
            for r in 0..<m {
                let row = ga + r * ldh, act = a + r * ldh
                for j in 0..<ldh {
                    if act[j] <= 0 { row[j] = 0 }
                    gb1[j] += row[j]
                }
            }
            // ∇[W1…] += Xᵀ·(∂/∂pre-activation), one product for every run.
            T.fixedGemm(d, ldh, m, x, rowStride: 1, columnStride: d, UnsafePointer(ga), ldh, gw.pointer, ldh, accumulate: !first)
        } else {
            // ∇[W…] += Xᵀ·G, one product for every run.
            T.fixedGemm(d, ldz, m, x, rowStride: 1, columnStride: d, UnsafePointer(z), ldz, gw.pointer, ldz, accumulate: !first)
        }
    }
}

// MARK: the Objective (capacity 1) and BatchObjective calls

extension ClassificationKernel {
    @inline(__always) private func checked<P>(_ x: UnsafeBufferPointer<P>) -> UnsafePointer<P> {
        precondition(x.count == dimension, "classify: point has dimension \(x.count), expected \(dimension)")
        return x.baseAddress!
    }

    @inline(__always) private func checked<P>(_ g: UnsafeMutableBufferPointer<P>) -> UnsafeMutablePointer<P> {
        precondition(g.count == dimension, "classify: gradient has dimension \(g.count), expected \(dimension)")
        return g.baseAddress!
    }

    func loss(at x: UnsafeBufferPointer<Double>) -> Double {
        let p = checked(x)
        var loss = 0.0
        fullLoss(count: 1, points: { _ in p }, losses: { _, v in loss = v })
        return loss
    }

    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let p = checked(x), gp = checked(g)
        var loss = 0.0
        fullLoss(count: 1, points: { _ in p }, losses: { _, v in loss = v }, gradients: { _ in gp })
        return loss
    }

    func sampleLossAndGradient<P: BLASScalar>(at x: UnsafeBufferPointer<P>, into g: UnsafeMutableBufferPointer<P>) -> Double {
        let p = checked(x), gp = checked(g)
        drawSample()
        var loss = 0.0
        sampleLoss(count: 1, points: { _ in p }, losses: { _, v in loss = v }, gradients: { _ in gp })
        return loss
    }

    /// The loss on the last minibatch drawn, the forward pass of `sampleLossAndGradient` without
    /// the backward one; the full loss with full batches.
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double {
        let p = checked(x)
        var loss = 0.0
        sampleLoss(count: 1, points: { _ in p }, losses: { _, v in loss = v })
        return loss
    }

    func evaluate<P: BLASScalar>(at x: UnsafeBufferPointer<P>, into metrics: UnsafeMutableBufferPointer<Double>) {
        let p = checked(x)
        let m = metrics.baseAddress!
        evaluate(count: 1, points: { _ in p }, metrics: { _ in m })
    }

    /// The runs in `points` that are still running, compacted into `slots`; their count.
    private func active<P>(_ points: UnsafeBufferPointer<UnsafePointer<P>?>, _ also: (Int) -> Bool) -> Int {
        var count = 0
        for k in 0..<min(capacity, points.count) where points[k] != nil && also(k) {
            slots[count] = k
            count += 1
        }
        return count
    }

    func sampleLossAndGradient<P: BLASScalar>(points: UnsafeBufferPointer<UnsafePointer<P>?>,
                                              gradients: UnsafeBufferPointer<UnsafeMutablePointer<P>?>,
                                              losses: UnsafeMutableBufferPointer<Double>) {
        drawSample()  // drawn whoever is left: every member's stream is the lone stream
        let count = active(points) { gradients[$0] != nil }
        guard count > 0 else { return }
        sampleLoss(count: count, points: { points[self.slots[$0]]! },
                   losses: { losses[self.slots[$0]] = $1 }, gradients: { gradients[self.slots[$0]]! })
    }

    func evaluate<P: BLASScalar>(points: UnsafeBufferPointer<UnsafePointer<P>?>,
                                 metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        let count = active(points) { metrics[$0] != nil }
        guard count > 0 else { return }
        evaluate(count: count, points: { points[self.slots[$0]]! }, metrics: { metrics[self.slots[$0]]! })
    }
}
