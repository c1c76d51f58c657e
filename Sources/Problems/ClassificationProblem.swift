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
    public var hasFloat32Parameters: Bool { precision == .f32 }
    public static func metrics(for spec: Spec) -> [Metric] { [Metric("train_loss"), Metric("test_loss"), Metric("test_accuracy", .higher)] }

    public let train: ClassificationImages
    public let test: ClassificationImages
    /// Float copies of the images, for precision=f32 only.
    let train32: ConstantMatrix<Float>?
    let test32: ConstantMatrix<Float>?
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
        case .f64: return ClassificationObjective64(ClassificationKernel(self, train: train.images, test: test.images, capacity: 1))
        case .f32: return ClassificationObjective32(ClassificationKernel(self, train: train32!, test: test32!, capacity: 1))
        }
    }

    /// One shared kernel for the group (`ClassificationKernel`): one product per pass serves
    /// every member, with a lone run's numbers.
    public func makeBatchObjective(capacity: Int) -> any BatchObjective {
        switch precision {
        case .f64: return ClassificationBatchObjective64(ClassificationKernel(self, train: train.images, test: test.images, capacity: capacity))
        case .f32: return ClassificationBatchObjective32(ClassificationKernel(self, train: train32!, test: test32!, capacity: capacity))
        }
    }
}

// The objectives are thin non-generic wrappers: calls into the kernel from a concrete type are
// specialised by the compiler (a generic class called through the `Objective` witness table
// would run unspecialised code, with dynamic casts in every scalar conversion).

/// precision=f64: one run.
final class ClassificationObjective64: Objective {
    let kernel: ClassificationKernel<Double>
    init(_ kernel: ClassificationKernel<Double>) { self.kernel = kernel }
    func loss(at x: UnsafeBufferPointer<Double>) -> Double { kernel.loss(at: x) }
    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        kernel.lossAndGradient(at: x, into: g)
    }
    func sampleLossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        kernel.sampleLossAndGradient(at: x, into: g)
    }
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double { kernel.sampleLoss(at: x) }
    func evaluate(at x: UnsafeBufferPointer<Double>, into metrics: UnsafeMutableBufferPointer<Double>) {
        kernel.evaluate(at: x, into: metrics)
    }
}

/// precision=f32: one run, on a float32 point (a float32 state: copied) or a float64 one (θ
/// rounded to Float, the gradient widened back to Double).
final class ClassificationObjective32: Objective {
    let kernel: ClassificationKernel<Float>
    init(_ kernel: ClassificationKernel<Float>) { self.kernel = kernel }
    func sampleLossAndGradient(at x: UnsafeBufferPointer<Float>, into g: UnsafeMutableBufferPointer<Float>) -> Double {
        kernel.sampleLossAndGradient(at: x, into: g)
    }
    func evaluate(at x: UnsafeBufferPointer<Float>, into metrics: UnsafeMutableBufferPointer<Double>) {
        kernel.evaluate(at: x, into: metrics)
    }
    func loss(at x: UnsafeBufferPointer<Double>) -> Double { kernel.loss(at: x) }
    func lossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        kernel.lossAndGradient(at: x, into: g)
    }
    func sampleLossAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        kernel.sampleLossAndGradient(at: x, into: g)
    }
    func sampleLoss(at x: UnsafeBufferPointer<Double>) -> Double { kernel.sampleLoss(at: x) }
    func evaluate(at x: UnsafeBufferPointer<Double>, into metrics: UnsafeMutableBufferPointer<Double>) {
        kernel.evaluate(at: x, into: metrics)
    }
}

/// precision=f64: a group of runs in lockstep.
final class ClassificationBatchObjective64: BatchObjective {
    let kernel: ClassificationKernel<Double>
    init(_ kernel: ClassificationKernel<Double>) { self.kernel = kernel }
    var capacity: Int { kernel.capacity }
    func sampleLossAndGradient(points: UnsafeBufferPointer<UnsafePointer<Double>?>,
                               gradients: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>,
                               losses: UnsafeMutableBufferPointer<Double>) {
        kernel.sampleLossAndGradient(points: points, gradients: gradients, losses: losses)
    }
    func evaluate(points: UnsafeBufferPointer<UnsafePointer<Double>?>, metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        kernel.evaluate(points: points, metrics: metrics)
    }
}

/// precision=f32: a group of runs in lockstep, on float32 points (float32 states) or float64 ones.
final class ClassificationBatchObjective32: BatchObjective {
    let kernel: ClassificationKernel<Float>
    init(_ kernel: ClassificationKernel<Float>) { self.kernel = kernel }
    var capacity: Int { kernel.capacity }
    func sampleLossAndGradient(points: UnsafeBufferPointer<UnsafePointer<Float>?>,
                               gradients: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>,
                               losses: UnsafeMutableBufferPointer<Double>) {
        kernel.sampleLossAndGradient(points: points, gradients: gradients, losses: losses)
    }
    func evaluate(points: UnsafeBufferPointer<UnsafePointer<Float>?>, metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        kernel.evaluate(points: points, metrics: metrics)
    }
    func sampleLossAndGradient(points: UnsafeBufferPointer<UnsafePointer<Double>?>,
                               gradients: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>,
                               losses: UnsafeMutableBufferPointer<Double>) {
        kernel.sampleLossAndGradient(points: points, gradients: gradients, losses: losses)
    }
    func evaluate(points: UnsafeBufferPointer<UnsafePointer<Double>?>, metrics: UnsafeBufferPointer<UnsafeMutablePointer<Double>?>) {
        kernel.evaluate(points: points, metrics: metrics)
    }
}
