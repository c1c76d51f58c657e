import Testing
import SeededRandom
import Specs
import Problems

/// `BatchObjective`'s contract for the shared classification kernel: a member's losses,
/// gradients and metrics are bit-identical to a lone objective's, in any slot, beside any other
/// members, as members leave, for both models, both precisions and full batches.
@Suite struct ClassificationBatchTests {
    static let specs = [
        "classify(model=softmax, n_train=60, n_test=30, batch=10)",
        "classify(model=softmax, n_train=60, n_test=30, batch=10, precision=f32)",
        "classify(model=mlp, hidden=6, n_train=60, n_test=30, batch=10)",
        "classify(model=mlp, hidden=6, n_train=60, n_test=30, batch=7, precision=f32)",
        "classify(model=softmax, n_train=40, n_test=20, batch=40, precision=f32)",  // full batch
        "classify(model=mlp, hidden=5, n_train=300, n_test=290, batch=20)",          // several row blocks
    ]

    @Test(arguments: specs, [1, 3, 64])
    func membersMatchLoneObjectivesBitForBit(_ spec: String, capacity: Int) throws {
        try checkMembersMatchLoneObjectives(ClassificationProblem(spec: Spec(parsing: spec), seed: 4), spec, capacity: capacity)
    }

    /// The lone objective's full loss and gradient are the mean over the data whatever the
    /// row blocking: a full batch's sample is exactly the full gradient.
    @Test func aFullBatchSampleIsTheFullLossAndGradient() throws {
        let problem = try ClassificationProblem(spec: Spec(parsing: "classify(model=mlp, hidden=4, n_train=30, n_test=10, batch=30)"), seed: 2)
        let o = problem.makeObjective()
        var g1 = [Double](repeating: 0, count: problem.dimension), g2 = g1
        let x = problem.initialPoint
        let f1 = x.withUnsafeBufferPointer { xp in g1.withUnsafeMutableBufferPointer { o.sampleLossAndGradient(at: xp, into: $0) } }
        let f2 = x.withUnsafeBufferPointer { xp in g2.withUnsafeMutableBufferPointer { o.lossAndGradient(at: xp, into: $0) } }
        #expect(f1.bitPattern == f2.bitPattern)
        #expect(g1 == g2)
    }
}

/// `BatchObjective`'s contract for any problem: K members (every slot but the last of a big batch,
/// each from its own start near x₀ with its own step size, member s leaving after step 2 + 3s),
/// sampled every step and evaluated on a subset every other step, against lone objectives fed the
/// same points: losses, gradients and metrics equal bit for bit.
func checkMembersMatchLoneObjectives(_ problem: any Problem, _ spec: String, capacity: Int) {
    let n = problem.dimension, metricCount = problem.metricNames.count
    let batch = problem.makeBatchObjective(capacity: capacity)
    #expect(batch.capacity == capacity)
    // Members: every slot used but the last of a big batch (left empty), each from its own
    // start near x₀, with its own step size; member s leaves after step 2 + 3s.
    let members = capacity == 1 ? [0] : Array(0..<(capacity - 1))
    var rng = RandomStream(seed: 9, label: "batch-members")
    var points = members.map { _ in problem.initialPoint.map { $0 + 0.05 * rng.gaussian() } }
    let rates = members.map { 0.05 + 0.1 * Double($0 % 5) }
    let lones = members.map { _ in problem.makeObjective() }
    var gradients = members.map { _ in [Double](repeating: .nan, count: n) }
    var losses = [Double](repeating: .nan, count: capacity)

    for step in 0..<8 {
        let alive = members.map { step <= 2 + 3 * $0 }
        // Lone: every objective draws every step, as a lone run's objective would; a member
        // that has left stops calling it (its stream no longer matters).
        var lone: [(loss: Double, gradient: [Double])?] = members.map { _ in nil }
        for (i, _) in members.enumerated() where alive[i] {
            var g = [Double](repeating: .nan, count: n)
            let f = points[i].withUnsafeBufferPointer { x in g.withUnsafeMutableBufferPointer { lones[i].sampleLossAndGradient(at: x, into: $0) } }
            lone[i] = (f, g)
        }
        withPointers(points, &gradients, alive: alive, capacity: capacity) { xs, gs in
            losses.withUnsafeMutableBufferPointer { batch.sampleLossAndGradient(points: xs, gradients: gs, losses: $0) }
        }
        for (i, slot) in members.enumerated() where alive[i] {
            #expect(losses[slot].bitPattern == lone[i]!.loss.bitPattern, "\(spec) K=\(capacity) step \(step) slot \(slot): loss")
            #expect(gradients[i].map(\.bitPattern) == lone[i]!.gradient.map(\.bitPattern), "\(spec) K=\(capacity) step \(step) slot \(slot): gradient")
        }
        // Evaluate every other step, on a subset (odd slots), against the lone metrics.
        if step % 2 == 1 {
            let evaluating = members.map { alive[$0] && ($0 % 2 == 1 || capacity == 1) }
            var metrics = members.map { _ in [Double](repeating: .nan, count: metricCount) }
            withPointers(points, &metrics, alive: evaluating, capacity: capacity) { xs, ms in batch.evaluate(points: xs, metrics: ms) }
            for (i, _) in members.enumerated() where evaluating[i] {
                var m = [Double](repeating: .nan, count: metricCount)
                points[i].withUnsafeBufferPointer { x in m.withUnsafeMutableBufferPointer { lones[i].evaluate(at: x, into: $0) } }
                #expect(metrics[i].map(\.bitPattern) == m.map(\.bitPattern), "\(spec) K=\(capacity) step \(step): metrics of member \(i)")
            }
        }
        for (i, _) in members.enumerated() where alive[i] {
            for j in 0..<n { points[i][j] -= rates[i] * gradients[i][j] }
        }
    }
}

/// The members' points and output buffers as the slot-indexed pointer lists `BatchObjective`
/// takes (member i in slot i; nil for members not taking part and for spare slots).
private func withPointers(_ points: [[Double]], _ outputs: inout [[Double]], alive: [Bool], capacity: Int,
                          _ body: (UnsafeBufferPointer<UnsafePointer<Double>?>, UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) -> Void) {
    let xs = UnsafeMutableBufferPointer<UnsafePointer<Double>?>.allocate(capacity: capacity)
    let os = UnsafeMutableBufferPointer<UnsafeMutablePointer<Double>?>.allocate(capacity: capacity)
    xs.initialize(repeating: nil)
    os.initialize(repeating: nil)
    defer { xs.deallocate(); os.deallocate() }
    // Stable storage for the duration of the call: copies the batch reads and writes through.
    let xStore = points.map { p -> UnsafeMutableBufferPointer<Double> in
        let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: p.count)
        _ = b.initialize(from: p)
        return b
    }
    let oStore = outputs.map { o -> UnsafeMutableBufferPointer<Double> in
        let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: o.count)
        _ = b.initialize(from: o)
        return b
    }
    defer { xStore.forEach { $0.deallocate() }; oStore.forEach { $0.deallocate() } }
    for i in points.indices where alive[i] {
        xs[i] = UnsafePointer(xStore[i].baseAddress!)
        os[i] = oStore[i].baseAddress!
    }
    body(UnsafeBufferPointer(xs), UnsafeBufferPointer(os))
    for i in outputs.indices where alive[i] { outputs[i] = Array(oStore[i]) }
}
