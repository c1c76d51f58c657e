#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import SeededRandom
import Specs

/// Ten-class classification of synthetic MNIST-like images (see `ClassificationGenerator`) by
/// softmax regression or a one-hidden-layer ReLU network, trained on the mean cross-entropy.
///
/// Parameters are one flat vector:
/// - softmax: W (784 × 10, row-major) then b (10): dimension 7850; logits = X·W + b.
/// - mlp: W1 (784 × h), b1 (h), W2 (h × 10), b2 (10): dimension 795·h + 10;
///   logits = relu(X·W1 + b1)·W2 + b2.
///
/// The loss is f(θ) = (1/n) Σᵢ [log Σ_c exp(zᵢc) − zᵢyᵢ], computed with the row maximum
/// subtracted. No regularisation. f* is unknown (nil).
///
/// x₀: softmax starts at zero (f(x₀) = log 10). The MLP starts from He et al. 2015's
/// initialisation, W1 ~ N(0, 2/784) (Kaiming normal, fan-in, ReLU gain), and Glorot & Bengio
/// 2010's normal initialisation for the linear output layer, W2 ~ N(0, 2/(h + 10)); biases 0.
///
/// Every seed is already a distinct instance (its own images), so `instance=classic` and
/// `instance=seeded` are this same problem (accepted, left out of the canonical spec).
///
/// Minibatches are drawn without replacement within an epoch, with a fresh seeded permutation
/// each epoch; a last partial batch is dropped (PyTorch's `drop_last=True`), so every minibatch
/// is a uniform random subset and the sampled gradient is unbiased.
public final class ClassificationProblem: Problem {
    public static let catalog = CatalogEntry(
        name: "classify",
        summary: "10-class MNIST-like synthetic images (28×28): softmax regression or a ReLU MLP, mean cross-entropy, minibatch gradients; f* unknown",
        parameters: [
            ParameterDoc("model", "softmax", "softmax (linear, 7850 parameters, convex) or mlp (784-h-10 ReLU network)"),
            ParameterDoc("hidden", "128", "mlp hidden width h (ignored by softmax), in [1, 10000]"),
            ParameterDoc("n_train", "6000", "training images (balanced classes), in [10, 1000000]"),
            ParameterDoc("n_test", "1000", "test images for test_loss and test_accuracy, in [10, 1000000]"),
            ParameterDoc("batch", "128", "minibatch size, in [1, n_train] (capped at n_train by default); batch = n_train is full batch"),
            ParameterDoc("precision", "f64", "f64 or f32: the precision of the data, activations and BLAS products"),
            ProblemInstance.sameDoc("the images and the MLP's initialisation"),
        ],
        reference: "MNIST layout after LeCun et al. 1998; He et al. 2015 (Kaiming init); Glorot & Bengio 2010; elastic distortions after Simard et al. 2003"
    )

    public enum Model: String, Sendable { case softmax, mlp }
    public enum Precision: String, Sendable { case f64, f32 }

    public let spec: Spec
    public let model: Model
    public let hidden: Int
    public let batch: Int
    public let precision: Precision
    public let dimension: Int
    public let initialPoint: [Double]
    public var optimumValue: Double? { nil }
    public var isStochastic: Bool { true }
    public static var metrics: [Metric] { [Metric("train_loss"), Metric("test_loss"), Metric("test_accuracy", .higher)] }

    public let train: ClassificationImages
    public let test: ClassificationImages
    /// Float copies of the images, for precision=f32 only.
    let train32: Matrix<Float>?
    let test32: Matrix<Float>?
    /// The stream every objective starts its minibatch permutations from.
    let minibatchStream: RandomStream

    public init(spec: Spec, seed: UInt64) throws {
        var p = Parameters(spec)
        let model = Model(rawValue: try p.choice("model", default: "softmax", ["softmax", "mlp"]))!
        let hidden = try p.int("hidden", default: 128, .closed(1, 10_000))
        let nTrain = try p.int("n_train", default: 6000, .closed(10, 1_000_000))
        let nTest = try p.int("n_test", default: 1000, .closed(10, 1_000_000))
        let batch = try p.int("batch", default: min(128, nTrain), .closed(1, Double(nTrain)))
        let precision = Precision(rawValue: try p.choice("precision", default: "f64", ["f64", "f32"]))!
        _ = try ProblemInstance.read(&p)
        try p.finish()
        try ProblemMemory.check("classify", bytes: ProblemMemory.matrix(nTrain + nTest, ClassificationImages.pixels) * (precision == .f32 ? 1.5 : 1) + ProblemMemory.runVectors(ClassificationImages.pixels * (hidden + 10) + hidden + 10), "n_train + n_test = \(nTrain + nTest) images")

        self.model = model
        self.hidden = model == .mlp ? hidden : 0
        self.batch = batch
        self.precision = precision
        func number(_ key: String, _ v: Int) -> Spec.Argument { Spec.Argument(key: key, value: .number(Double(v), text: String(v))) }
        var arguments = [Spec.Argument(key: "model", value: .word(model.rawValue))]
        if model == .mlp { arguments.append(number("hidden", hidden)) }  // softmax has no hidden layer
        arguments += [number("n_train", nTrain), number("n_test", nTest), number("batch", batch),
                      Spec.Argument(key: "precision", value: .word(precision.rawValue))]
        self.spec = Spec(name: spec.name, arguments: arguments)

        // The images depend on the seed and the set sizes only: softmax and mlp, f64 and f32,
        // any batch size, all see the same data.
        let data = RandomStream(seed: seed, label: "classify-data/n_train=\(nTrain),n_test=\(nTest)")
        (train, test) = ClassificationGenerator.generate(stream: data, trainCount: nTrain, testCount: nTest)
        minibatchStream = data.split("minibatches")
        if precision == .f32 {
            train32 = train.images.converted(to: Float.self)
            test32 = test.images.converted(to: Float.self)
        } else {
            train32 = nil
            test32 = nil
        }

        let d = ClassificationImages.pixels, k = ClassificationImages.classes
        switch model {
        case .softmax:
            dimension = d * k + k
            initialPoint = [Double](repeating: 0, count: dimension)
        case .mlp:
            dimension = d * hidden + hidden + hidden * k + k
            // Not the data stream: the start depends on the architecture, not on the set sizes.
            var rng = RandomStream(seed: seed, label: "classify-init/model=mlp,hidden=\(hidden)")
            var x = [Double](repeating: 0, count: dimension)
            let sd1 = (2.0 / Double(d)).squareRoot()              // He: fan-in 784, ReLU
            for i in 0..<(d * hidden) { x[i] = sd1 * rng.gaussian() }
            let sd2 = (2.0 / Double(hidden + k)).squareRoot()     // Glorot: linear output layer
            let w2 = d * hidden + hidden
            for i in 0..<(hidden * k) { x[w2 + i] = sd2 * rng.gaussian() }
            initialPoint = x
        }
    }

    public func makeObjective() -> any Objective {
        switch precision {
        case .f64: return ClassificationObjective64(ClassificationCore(self, train: train.images, test: test.images))
        case .f32: return ClassificationObjective32(ClassificationCore(self, train: train32!, test: test32!))
        }
    }
}

// The objectives are thin non-generic wrappers: calls into the core from a concrete type are
// specialised by the compiler (a generic class called through the `Objective` witness table
// would run unspecialised code, with dynamic casts in every scalar conversion).

/// precision=f64: dgemm.
final class ClassificationObjective64: Objective {
    let core: ClassificationCore<Double>
    init(_ core: ClassificationCore<Double>) { self.core = core }
    func loss(at x: UnsafeBufferPointer<Double>) -> Double { core.loss(at: x) }
    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        core.lossAndGradient(at: x, into: g)
    }
    func sampleLossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        core.sampleLossAndGradient(at: x, into: g)
    }
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double { core.sampleLoss(at: x) }
    func evaluate(at x: UnsafeBufferPointer<Double>, into metrics: UnsafeMutableBufferPointer<Double>) {
        core.evaluate(at: x, into: metrics)
    }
}

/// precision=f32: sgemm on Float data; θ converted to Float and the gradient back to Double.
final class ClassificationObjective32: Objective {
    let core: ClassificationCore<Float>
    init(_ core: ClassificationCore<Float>) { self.core = core }
    func loss(at x: UnsafeBufferPointer<Double>) -> Double { core.loss(at: x) }
    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        core.lossAndGradient(at: x, into: g)
    }
    func sampleLossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        core.sampleLossAndGradient(at: x, into: g)
    }
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double { core.sampleLoss(at: x) }
    func evaluate(at x: UnsafeBufferPointer<Double>, into metrics: UnsafeMutableBufferPointer<Double>) {
        core.evaluate(at: x, into: metrics)
    }
}

/// One run's evaluator, generic over the BLAS precision. All scratch is allocated here, once;
/// the loss, gradient and metric calls allocate nothing. The full training loss and gradient
/// are summed over row blocks of the batch size, so scratch stays batch-sized.
final class ClassificationCore<T: BLASScalar> {
    let xTrain: Matrix<T>
    let xTest: Matrix<T>
    let yTrain: UnsafeMutableBufferPointer<Int32>
    let yTest: UnsafeMutableBufferPointer<Int32>
    let nTrain: Int
    let nTest: Int
    let batch: Int
    let hidden: Int
    let isMLP: Bool
    let dimension: Int

    /// θ in precision T, and the gradient accumulated in T.
    let theta: Buffer<T>
    let grad: Buffer<T>
    /// The gathered minibatch: rows and labels.
    let batchX: Matrix<T>
    let batchY: UnsafeMutableBufferPointer<Int32>
    /// Hidden activations relu(X·W1 + b1) and their gradient (mlp); logits, then ∂loss/∂logits.
    let activations: Matrix<T>
    let activationGrad: Matrix<T>
    let logits: Matrix<T>

    let permutation: UnsafeMutableBufferPointer<Int32>
    var position: Int
    var stream: RandomStream

    // Offsets of the blocks in θ.
    let w1: Int, b1: Int, w2: Int, b2: Int

    static var d: Int { ClassificationImages.pixels }
    static var k: Int { ClassificationImages.classes }

    init(_ problem: ClassificationProblem, train: Matrix<T>, test: Matrix<T>) {
        xTrain = train
        xTest = test
        nTrain = problem.train.count
        nTest = problem.test.count
        batch = problem.batch
        hidden = problem.hidden
        isMLP = problem.model == .mlp
        dimension = problem.dimension
        yTrain = .allocate(capacity: nTrain)
        _ = yTrain.initialize(from: problem.train.labels)
        yTest = .allocate(capacity: nTest)
        _ = yTest.initialize(from: problem.test.labels)
        theta = Buffer(count: dimension)
        grad = Buffer(count: dimension)
        let d = Self.d, k = Self.k
        batchX = Matrix(rows: batch < nTrain ? batch : 0, columns: d)
        batchY = .allocate(capacity: batch)
        batchY.initialize(repeating: 0)
        activations = Matrix(rows: batch, columns: hidden)
        activationGrad = Matrix(rows: batch, columns: hidden)
        logits = Matrix(rows: batch, columns: k)
        permutation = .allocate(capacity: nTrain)
        permutation.initialize(repeating: 0)
        position = nTrain  // the first sample starts an epoch
        stream = problem.minibatchStream
        if isMLP {
            w1 = 0; b1 = d * hidden; w2 = b1 + hidden; b2 = w2 + hidden * k
        } else {
            w1 = 0; b1 = 0; w2 = 0; b2 = d * k  // softmax: W at 0, b at 7840
        }
    }

    deinit {
        yTrain.deallocate()
        yTest.deallocate()
        batchY.deallocate()
        permutation.deallocate()
    }

    // MARK: the Objective calls

    func loss(at x: UnsafeBufferPointer<Double>) -> Double {
        load(x)
        return sweep(xTrain, yTrain, nTrain, gradient: false).loss
    }

    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        load(x)
        grad.fill(0)
        let loss = sweep(xTrain, yTrain, nTrain, gradient: true).loss
        store(g)
        return loss
    }

    func sampleLossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        if batch >= nTrain { return lossAndGradient(at: x, into: g) }
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
        load(x)
        grad.fill(0)
        var correct = 0
        let loss = block(UnsafePointer(batchX.pointer), UnsafePointer(batchY.baseAddress!), batch,
                         gradientScale: 1 / Double(batch), correct: &correct) / Double(batch)
        store(g)
        return loss
    }

    /// The loss on the last minibatch drawn (still in batchX, batchY), the forward pass of
    /// `sampleLossAndGradient` without the backward one; the full loss with full batches.
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double {
        if batch >= nTrain { return loss(at: x) }
        load(x)
        var correct = 0
        return block(UnsafePointer(batchX.pointer), UnsafePointer(batchY.baseAddress!), batch,
                     gradientScale: 0, correct: &correct) / Double(batch)
    }

    func evaluate(at x: UnsafeBufferPointer<Double>, into metrics: UnsafeMutableBufferPointer<Double>) {
        load(x)
        metrics[0] = sweep(xTrain, yTrain, nTrain, gradient: false).loss
        let t = sweep(xTest, yTest, nTest, gradient: false)
        metrics[1] = t.loss
        metrics[2] = t.accuracy
    }

    // MARK: core

    /// θ (Double) → theta (T).
    @inline(__always) private func load(_ x: UnsafeBufferPointer<Double>) {
        precondition(x.count == dimension, "classify: point has dimension \(x.count), expected \(dimension)")
        let p = theta.pointer
        for i in 0..<dimension { p[i] = T(x[i]) }
    }

    /// grad (T) → g (Double).
    @inline(__always) private func store(_ g: UnsafeMutableBufferPointer<Double>) {
        precondition(g.count == dimension, "classify: gradient has dimension \(g.count), expected \(dimension)")
        let p = grad.pointer
        for i in 0..<dimension { g[i] = Double(p[i]) }
    }

    /// Mean loss (and accuracy) over all n rows of `x`, in row blocks of the batch size; with
    /// `gradient`, the mean loss's gradient is accumulated into `grad`.
    private func sweep(_ x: Matrix<T>, _ y: UnsafeMutableBufferPointer<Int32>, _ n: Int, gradient: Bool)
        -> (loss: Double, accuracy: Double)
    {
        var total = 0.0
        var correct = 0
        var start = 0
        let scale = gradient ? 1 / Double(n) : 0
        while start < n {
            let m = min(batch, n - start)
            total += block(UnsafePointer(x.row(start)), UnsafePointer(y.baseAddress! + start), m,
                           gradientScale: scale, correct: &correct)
            start += m
        }
        return (total / Double(n), Double(correct) / Double(n))
    }

    /// Forward pass on m rows (m ≤ batch); returns the summed cross-entropy and adds the number
    /// of correct argmax predictions to `correct`. When `gradientScale` is not 0, adds
    /// gradientScale · ∇(summed loss) to `grad`.
    private func block(_ x: UnsafePointer<T>, _ y: UnsafePointer<Int32>, _ m: Int, gradientScale: Double,
                       correct: inout Int) -> Double
    {
        let d = Self.d, k = Self.k, h = hidden
        let th = theta.pointer, gr = grad.pointer
        let z = logits.pointer
        let a = activations.pointer
        let withGradient = gradientScale != 0

        // Forward.
        if isMLP {
            // A = relu(X·W1 + b1)
            T.gemm(transposeA: false, transposeB: false, m, h, d, 1, x, d, th + w1, h, 0, a, h)
            for r in 0..<m {
                let row = a + r * h
                for j in 0..<h { row[j] = max(row[j] + th[b1 + j], 0) }
            }
            // Z = A·W2 + b2
            T.gemm(transposeA: false, transposeB: false, m, k, h, 1, a, h, th + w2, k, 0, z, k)
        } else {
            // Z = X·W + b
            T.gemm(transposeA: false, transposeB: false, m, k, d, 1, x, d, th, k, 0, z, k)
        }

        // Log-softmax (row max subtracted), loss, accuracy, and ∂(scaled loss)/∂Z in place.
        var total = 0.0
        for r in 0..<m {
            let row = z + r * k
            let label = Int(y[r])
            var best = 0
            var top = -Double.infinity
            for c in 0..<k {
                let v = Double(row[c] + th[b2 + c])
                row[c] = T(v)
                if v > top { top = v; best = c }
            }
            if best == label { correct += 1 }
            var sum = 0.0
            for c in 0..<k { sum += exp(Double(row[c]) - top) }
            let logSum = top + log(sum)
            total += logSum - Double(row[label])
            if withGradient {
                for c in 0..<k {
                    let p = exp(Double(row[c]) - logSum)
                    row[c] = T(gradientScale * (c == label ? p - 1 : p))
                }
            }
        }
        guard withGradient else { return total }

        // Backward; z now holds G = ∂(scaled loss)/∂Z (m × k).
        for r in 0..<m {
            let row = z + r * k
            for c in 0..<k { gr[b2 + c] += row[c] }
        }
        if isMLP {
            // ∇W2 += Aᵀ·G;  ∂/∂A = G·W2ᵀ, masked by relu′ (A > 0 ⇔ pre-activation > 0)
            T.gemm(transposeA: true, transposeB: false, h, k, m, 1, a, h, z, k, 1, gr + w2, k)
            let ga = activationGrad.pointer
            T.gemm(transposeA: false, transposeB: true, m, h, k, 1, z, k, th + w2, k, 0, ga, h)
            for r in 0..<m {
                let row = ga + r * h, act = a + r * h
                for j in 0..<h {
                    if act[j] <= 0 { row[j] = 0 }
                    gr[b1 + j] += row[j]
                }
            }
            // ∇W1 += Xᵀ·(∂/∂pre-activation)
            T.gemm(transposeA: true, transposeB: false, d, h, m, 1, x, d, ga, h, 1, gr + w1, h)
        } else {
            // ∇W += Xᵀ·G
            T.gemm(transposeA: true, transposeB: false, d, k, m, 1, x, d, z, k, 1, gr, k)
        }
        return total
    }
}
