import LinearAlgebra

/// The quadratic's group of up to `capacity` runs (`BatchObjective`): the members' points packed
/// as the rows of X (K × n) and their gradients as one fixed-order product X·A, whose row k is
/// the lone objective's xₖᵀA bit for bit (`quadraticApplyA`: an element depends on its own row
/// of X and column of A only). The NQM's noise is drawn once per step for all members, as each
/// member's lone objective would draw it; the losses ½ xₖ·(Axₖ) (+ ε·xₖ) are per member.
/// Axis-aligned quadratics have no product to share: λ ⊙ xₖ per member.
final class QuadraticBatchObjective: BatchObjective {
    let problem: Quadratic
    let capacity: Int
    let noise: QuadraticNoise
    /// The active members' points (rows) and their products, K × n each.
    let packedX: Buffer<Double>
    let packedG: Buffer<Double>
    /// The slots served by the call under way, in slot order.
    let slots: UnsafeMutableBufferPointer<Int>

    init(_ problem: Quadratic, capacity: Int) {
        precondition(capacity >= 1, "quadratic: a batch has at least one slot")
        self.problem = problem
        self.capacity = capacity
        noise = QuadraticNoise(problem)
        packedX = Buffer(count: problem.matrix == nil ? 0 : capacity * problem.dimension)
        packedG = Buffer(count: capacity * problem.dimension)
        slots = .allocate(capacity: capacity)
    }

    deinit { slots.deallocate() }

    /// Axₖ for every slot k with a point and an output, into packed row s (k = `slots[s]`).
    /// Returns the number of slots served.
    @inline(__always)
    private func products<Out>(_ points: UnsafeBufferPointer<UnsafePointer<Double>?>, _ outputs: UnsafeBufferPointer<Out?>) -> Int {
        let n = problem.dimension
        var m = 0
        for k in 0..<min(capacity, points.count, outputs.count) where points[k] != nil && outputs[k] != nil {
            slots[m] = k
            m += 1
        }
        guard let a = problem.matrix else {
            for s in 0..<m { quadraticApplyA(problem, points[slots[s]]!, into: packedG.pointer + s * n) }
            return m
        }
        for s in 0..<m { (packedX.pointer + s * n).update(from: points[slots[s]]!, count: n) }
        Double.fixedGemm(m, n, n, packedX.pointer, rowStride: n, columnStride: 1, a.pointer, n, packedG.pointer, n, accumulate: false)
        return m
    }

    func sampleLossAndGradient(points: UnsafeBufferPointer<UnsafePointer<Double>?>,
                               gradients: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>,
                               losses: UnsafeMutableBufferPointer<Double>) {
        let n = problem.dimension
        let m = products(points, gradients)
        if problem.noise > 0 { noise.draw() }
        for s in 0..<m {
            let k = slots[s]
            let x = UnsafeBufferPointer(start: points[k]!, count: n)
            let g = UnsafeMutableBufferPointer(start: gradients[k]!, count: n)
            g.baseAddress!.update(from: packedG.pointer + s * n, count: n)
            let f = 0.5 * Vec.dot(x, UnsafeBufferPointer(g))
            losses[k] = problem.noise > 0 ? noise.add(to: g, at: x, loss: f) : f
        }
    }

    /// The loss ½ xₖ·(Axₖ) (without noise) of every slot with a point and a metrics buffer.
    func evaluate(points: UnsafeBufferPointer<UnsafePointer<Double>?>, metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        let n = problem.dimension
        let m = products(points, metrics)
        for s in 0..<m {
            let k = slots[s]
            metrics[k]![0] = 0.5 * Vec.dot(UnsafeBufferPointer(start: points[k]!, count: n),
                                           UnsafeBufferPointer(start: packedG.pointer + s * n, count: n))
        }
    }
}
