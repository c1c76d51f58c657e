import LinearAlgebra

/// Minibatch least squares for a group of up to `capacity` runs (`BatchObjective`): the
/// minibatch is drawn by the lone objective's sampler (the same draws), gathered and transposed
/// once for the group, the members' points packed as the rows of W (K × d), and each pass is one
/// fixed-order product for all of them: residuals R = W·X_Bᵀ − y_B, gradients R·X_B / B, and for
/// evaluations the full loss in blocks of Xᵀ's columns (`LinearRegressionProducts`). An element's
/// chain is a lone run's, so every member gets a lone run's bits.
final class LinearRegressionBatchObjective: BatchObjective {
    let capacity: Int
    let n: Int, d: Int, batch: Int
    /// The lone objective whose minibatch stream the group follows, and whose data it reads.
    let sampler: LinearRegressionObjective
    /// The minibatch's rows (batch × d), its labels, and its rows transposed (d × batch).
    let gathered: Buffer<Double>
    let gatheredY: Buffer<Double>
    let gatheredT: Buffer<Double>
    let packedW: Buffer<Double>
    let packedR: Buffer<Double>
    let packedG: Buffer<Double>
    let sums: Buffer<Double>
    let slots: UnsafeMutableBufferPointer<Int>

    init(_ problem: LinearRegression, capacity: Int) {
        precondition(capacity >= 1, "linreg: a batch has at least one slot")
        precondition(problem.batch < problem.n, "linreg: the shared products serve minibatches")
        self.capacity = capacity
        n = problem.n
        d = problem.d
        batch = problem.batch
        sampler = problem.makeObjective() as! LinearRegressionObjective
        gathered = Buffer(count: batch * d)
        gatheredY = Buffer(count: batch)
        gatheredT = Buffer(count: d * batch)
        packedW = Buffer(count: capacity * d)
        packedR = Buffer(count: capacity * max(batch, LinearRegressionProducts.lossBlock))
        packedG = Buffer(count: capacity * d)
        sums = Buffer(count: capacity)
        slots = .allocate(capacity: capacity)
    }

    deinit { slots.deallocate() }

    /// Packs the points of the slots with a point and an output as the rows of W; returns how many.
    @inline(__always)
    private func pack<Out>(_ points: UnsafeBufferPointer<UnsafePointer<Double>?>, _ outputs: UnsafeBufferPointer<Out?>) -> Int {
        var m = 0
        for k in 0..<min(capacity, points.count, outputs.count) where points[k] != nil && outputs[k] != nil {
            slots[m] = k
            (packedW.pointer + m * d).update(from: points[k]!, count: d)
            m += 1
        }
        return m
    }

    func sampleLossAndGradient(points: UnsafeBufferPointer<UnsafePointer<Double>?>,
                               gradients: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>,
                               losses: UnsafeMutableBufferPointer<Double>) {
        sampler.drawNext()
        let m = pack(points, gradients)
        guard m > 0 else { return }
        let xb = gathered.pointer, xt = gatheredT.pointer, rows = sampler.drawnRows
        for k in 0..<batch {
            let i = Int(rows[k])
            (xb + k * d).update(from: sampler.x.pointer + i * d, count: d)
            gatheredY[k] = sampler.y[i]
        }
        for i in 0..<batch { for j in 0..<d { xt[j * batch + i] = xb[i * d + j] } }
        LinearRegressionProducts.residuals(m, w: packedW.pointer, d: d, xT: xt, ldxT: batch,
                                           y: gatheredY.pointer, count: batch, into: packedR.pointer, ldr: batch)
        LinearRegressionProducts.gradients(m, r: packedR.pointer, ldr: batch, x: xb, rows: batch, d: d, into: packedG.pointer)
        for s in 0..<m {
            let k = slots[s]
            gradients[k]!.update(from: packedG.pointer + s * d, count: d)
            losses[k] = LinearRegressionProducts.halfMean(packedR.pointer + s * batch, batch)
        }
    }

    func evaluate(points: UnsafeBufferPointer<UnsafePointer<Double>?>, metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        let m = pack(points, metrics)
        guard m > 0 else { return }
        LinearRegressionProducts.lossSums(m, w: packedW.pointer, xT: sampler.xT.pointer, y: sampler.y.pointer, n: n, d: d,
                                          scratch: packedR.pointer, into: sums.pointer)
        for s in 0..<m { metrics[slots[s]]![0] = 0.5 * sums[s] * (1 / Double(n)) }
    }
}
