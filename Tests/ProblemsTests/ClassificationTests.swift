import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import SeededRandom
import Specs
import Problems

@Suite struct ClassificationTests {
    @Test func specIsCanonicalAndDimensionsAreRight() throws {
        // (The default sizes take seconds to generate in a debug build: smaller sets here.)
        let s = try classify("classify(n_test=10, n_train=200, hidden=3)")
        #expect(s.spec.description == "classify(model=softmax, n_train=200, n_test=10, batch=128, precision=f64)")
        #expect(s.dimension == 7850)
        #expect(s.initialPoint == [Double](repeating: 0, count: 7850))
        #expect(s.optimumValue == nil)
        #expect(s.isStochastic)
        #expect(s.metricNames == ["train_loss", "test_loss", "test_accuracy"])
        let m = try classify("classify(model=mlp, hidden=8, n_train=50, n_test=20, precision=f32)")
        #expect(m.spec.description == "classify(model=mlp, hidden=8, n_train=50, n_test=20, batch=50, precision=f32)")
        #expect(m.dimension == 784 * 8 + 8 + 8 * 10 + 10)
        #expect(ClassificationProblem.catalog.signature
            == "classify(model=softmax, hidden=128, n_train=6000, n_test=1000, batch=128, precision=f64, instance=seeded)")
    }

    @Test(arguments: [
        ("classify(batch=0)", "classify: parameter 'batch' must be a whole number in [1, 6000], got 0"),
        ("classify(n_train=100, batch=101)", "classify: parameter 'batch' must be a whole number in [1, 100], got 101"),
        ("classify(n_train=9)", "classify: parameter 'n_train' must be a whole number in [10, 1000000], got 9"),
        ("classify(model=mlp, hidden=0)", "classify: parameter 'hidden' must be a whole number in [1, 10000], got 0"),
        ("classify(model=cnn)", "classify: parameter 'model' must be one of softmax, mlp, got 'cnn'"),
        ("classify(precision=f16)", "classify: parameter 'precision' must be one of f64, f32, got 'f16'"),
        ("classify(n_tran=100)", "classify: unknown parameter 'n_tran'; allowed: batch, hidden, instance, model, n_test, n_train, precision"),
    ])
    func rejectsBadSpecs(text: String, message: String) {
        #expect(throws: SpecUsageError(message)) { _ = try classify(text) }
    }

    @Test func classesAreBalancedAndPixelsInRange() throws {
        let p = try classify("classify(n_train=55, n_test=30)")
        var counts = [Int](repeating: 0, count: 10)
        for y in p.train.labels { counts[Int(y)] += 1 }
        #expect(counts == [6, 6, 6, 6, 6, 5, 5, 5, 5, 5])  // 0…4 get the remainder, then shuffled
        #expect(Array(p.train.labels.prefix(10)) != (0..<10).map { Int32($0) })
        counts = [Int](repeating: 0, count: 10)
        for y in p.test.labels { counts[Int(y)] += 1 }
        #expect(counts == [Int](repeating: 3, count: 10))
        for set in [p.train, p.test] {
            #expect(set.images.rows == set.count && set.images.columns == 784)
            let pixels = set.images.storage.array
            #expect(pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
            // Ink and background both occur: not blank, not saturated.
            let mean = pixels.reduce(0, +) / Double(pixels.count)
            #expect(mean > 0.05 && mean < 0.4)
            for i in 0..<set.count {
                let row = (0..<784).map { set.images[i, $0] }
                #expect(row.max()! > 0.5)
            }
        }
    }

    @Test func dataIsAPureFunctionOfSizesAndSeed() throws {
        let a = try classify("classify(n_train=40, n_test=20)", seed: 3)
        let again = try classify("classify(n_train=40, n_test=20)", seed: 3)
        let other = try classify("classify(n_train=40, n_test=20)", seed: 4)
        let mlp = try classify("classify(model=mlp, hidden=5, n_train=40, n_test=20, batch=8, precision=f32)", seed: 3)
        #expect(fingerprint(a.train) == fingerprint(again.train))
        #expect(fingerprint(a.test) == fingerprint(again.test))
        #expect(fingerprint(a.train) != fingerprint(other.train))
        #expect(fingerprint(a.test) != fingerprint(other.test))
        #expect(fingerprint(a.train) != fingerprint(a.test))
        // Model, width, batch and precision do not change the images.
        #expect(fingerprint(a.train) == fingerprint(mlp.train))
        #expect(fingerprint(a.test) == fingerprint(mlp.test))
        // The MLP start is seeded and reproducible.
        let m1 = try classify("classify(model=mlp, hidden=5, n_train=40, n_test=20)", seed: 3)
        #expect(m1.initialPoint == mlp.initialPoint)
        #expect(try classify("classify(model=mlp, hidden=5, n_train=40, n_test=20)", seed: 4).initialPoint != m1.initialPoint)
    }

    /// The images are pinned: the generator uses only + − × ÷, sqrt and the stream's Gaussians,
    /// so these bytes must come out on every platform. A deliberate change to the generator
    /// changes them (and the accuracies documented in docs/fragments/classify.md).
    @Test func dataIsPinned() throws {
        let p = try classify("classify(n_train=20, n_test=10)", seed: 1)
        #expect(fingerprint(p.train) == 105_665_907_671_645_859)
        #expect(fingerprint(p.test) == 1_056_830_254_278_688_826)
    }

    @Test func mlpStartsFromHeAndGlorotInitialisation() throws {
        let p = try classify("classify(model=mlp, hidden=64, n_train=20, n_test=10)")
        let x = p.initialPoint
        let w1 = Array(x[0..<(784 * 64)])
        let b1 = Array(x[(784 * 64)..<(785 * 64)])
        let w2 = Array(x[(785 * 64)..<(795 * 64)])
        let b2 = Array(x[(795 * 64)...])
        func sd(_ v: [Double]) -> Double { (v.reduce(0) { $0 + $1 * $1 } / Double(v.count)).squareRoot() }
        #expect(abs(sd(w1) / (2.0 / 784).squareRoot() - 1) < 0.02)
        #expect(abs(sd(w2) / (2.0 / 74).squareRoot() - 1) < 0.1)
        #expect(b1.allSatisfy { $0 == 0 } && b2.allSatisfy { $0 == 0 } && b2.count == 10)
    }

    @Test func softmaxStartHasLossLogTen() throws {
        let p = try classify("classify(n_train=50, n_test=20)")
        let m = metrics(p.makeObjective(), p.initialPoint)
        #expect(abs(m[0] - 2.302585092994046) < 1e-14)
        #expect(abs(m[1] - 2.302585092994046) < 1e-14)
        #expect(m[2] == 0.1)  // all logits tie: argmax picks class 0, a tenth of the balanced test set
    }

    /// The problem `gradientMatchesCentralDifferences` checks, for each model.
    static func finiteDifferenceSpec(model: String) -> String { "classify(model=\(model), hidden=8, n_train=50, n_test=10)" }
    static let finiteDifferenceModels = ["softmax", "mlp"]

    @Test(arguments: finiteDifferenceModels)
    func gradientMatchesCentralDifferences(model: String) throws {
        let p = try classify(Self.finiteDifferenceSpec(model: model))
        let objective = p.makeObjective()
        var rng = RandomStream(seed: 11, label: "fd/" + model)
        // Softmax is smooth: a larger step. The MLP has ReLU kinks: a small one, most coordinates.
        let h = model == "softmax" ? 1e-5 : 1e-6
        for _ in 0..<3 {
            let x = p.initialPoint.map { $0 + 0.05 * rng.gaussian() }
            let (f, g) = lossAndGradient(objective, x)
            #expect(abs(f - loss(objective, x)) < 1e-13)
            var fd: [Double] = [], exact: [Double] = []
            var good = 0
            let coordinates = (0..<30).map { _ in rng.index(below: p.dimension) }
                + [p.dimension - 1, p.dimension - 10]  // biases of the output layer
            for i in coordinates {
                var xp = x, xm = x
                xp[i] += h
                xm[i] -= h
                let d = (loss(objective, xp) - loss(objective, xm)) / (2 * h)
                fd.append(d)
                exact.append(g[i])
                if abs(d - g[i]) <= 1e-6 * max(abs(g[i]), 1e-3) { good += 1 }
            }
            let error = norm(zip(fd, exact).map { $0 - $1 }) / norm(exact)
            if model == "softmax" {
                #expect(error < 1e-6)
                #expect(good == coordinates.count)
            } else {
                #expect(good >= coordinates.count - 2)
                #expect(error < 1e-4)
            }
        }
    }

    @Test(arguments: ["softmax", "mlp"])
    func epochOfMinibatchGradientsAveragesToTheFullGradient(model: String) throws {
        let p = try classify("classify(model=\(model), hidden=6, n_train=60, n_test=10, batch=20)")
        let objective = p.makeObjective()
        var rng = RandomStream(seed: 5, label: "epoch")
        let x = p.initialPoint.map { $0 + 0.05 * rng.gaussian() }
        let (f, g) = lossAndGradient(objective, x)
        var meanLoss = 0.0
        var mean = [Double](repeating: 0, count: p.dimension)
        var first: [Double] = []
        for b in 0..<3 {
            let (fb, gb) = sample(objective, x)
            if b == 0 { first = gb }
            meanLoss += fb / 3
            for i in mean.indices { mean[i] += gb[i] / 3 }
        }
        #expect(abs(meanLoss - f) < 1e-12)
        #expect(zip(mean, g).allSatisfy { abs($0 - $1) < 1e-10 })
        #expect(norm(zip(first, g).map { $0 - $1 }) > 1e-3 * norm(g))  // a minibatch is not the full batch
    }

    @Test func objectivesOfOneProblemDrawTheSameMinibatches() throws {
        let p = try classify("classify(n_train=50, n_test=10, batch=7)")
        let a = p.makeObjective(), b = p.makeObjective()
        var rng = RandomStream(seed: 9, label: "x")
        let x = p.initialPoint.map { _ in 0.05 * rng.gaussian() }
        var differs = false
        var previous: [Double] = []
        for _ in 0..<16 {  // over two epochs of 7 batches of 7 (one row dropped per epoch)
            let (fa, ga) = sample(a, x)
            let (fb, gb) = sample(b, x)
            #expect(fa == fb && ga == gb)
            if !previous.isEmpty && previous != ga { differs = true }
            previous = ga
        }
        #expect(differs)
    }

    @Test func fullBatchSampleIsTheFullGradient() throws {
        let p = try classify("classify(model=mlp, hidden=4, n_train=30, n_test=10, batch=30)")
        let objective = p.makeObjective()
        let full = lossAndGradient(objective, p.initialPoint)
        let s = sample(objective, p.initialPoint)
        #expect(full.loss == s.loss && full.gradient == s.gradient)
    }

    @Test(arguments: ["softmax", "mlp"])
    func float32GradientAgreesWithFloat64(model: String) throws {
        let p64 = try classify("classify(model=\(model), hidden=16, n_train=200, n_test=50, batch=64)")
        let p32 = try classify("classify(model=\(model), hidden=16, n_train=200, n_test=50, batch=64, precision=f32)")
        #expect(p64.initialPoint == p32.initialPoint)
        let o64 = p64.makeObjective(), o32 = p32.makeObjective()
        var rng = RandomStream(seed: 2, label: "f32")
        let x = p64.initialPoint.map { $0 + 0.05 * rng.gaussian() }
        let (f64, g64) = lossAndGradient(o64, x)
        let (f32, g32) = lossAndGradient(o32, x)
        #expect(abs(f32 - f64) < 1e-5 * abs(f64))
        #expect(norm(zip(g32, g64).map { $0 - $1 }) < 1e-4 * norm(g64))
        // Same minibatches in both precisions.
        let (s64, h64) = sample(o64, x)
        let (s32, h32) = sample(o32, x)
        #expect(abs(s32 - s64) < 1e-5 * abs(s64))
        #expect(norm(zip(h32, h64).map { $0 - $1 }) < 1e-4 * norm(h64))
        let m64 = metrics(o64, x), m32 = metrics(o32, x)
        #expect(abs(m64[0] - m32[0]) < 1e-5 && abs(m64[1] - m32[1]) < 1e-5)
    }

    @Test func sgdOnSoftmaxLearns() throws {
        let p = try classify("classify(n_train=1000, n_test=300, batch=50)")
        let objective = p.makeObjective()
        var x = p.initialPoint
        var g = [Double](repeating: 0, count: p.dimension)
        for _ in 0..<300 {
            _ = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { objective.sampleLossAndGradient(at: xp, into: $0) } }
            for i in x.indices { x[i] -= 0.5 * g[i] }
        }
        let m = metrics(objective, x)
        #expect(m[0] < 0.8)
        #expect(m[2] > 0.6)  // chance is 0.1
    }

    /// The accuracies documented in docs/fragments/classify.md: plain SGD at the default sizes,
    /// seeds 1…5, 1 BLAS thread. Opt-in (about a minute in release):
    /// `LRBENCH_MEASURE=1 swift test -c release --filter measuredAccuracies`.
    @Test(.enabled(if: getenv("LRBENCH_MEASURE") != nil))
    func measuredAccuracies() throws {
        BLASThreads.set(1)
        for (model, steps, lr) in [("softmax", 3000, 0.5), ("mlp", 4000, 0.1)] {
            var accuracies: [Double] = []
            for seed in UInt64(1)...5 {
                let p = try classify("classify(model=\(model))", seed: seed)
                let objective = p.makeObjective()
                var x = p.initialPoint
                var g = [Double](repeating: 0, count: p.dimension)
                var line = "classify(model=\(model)) seed \(seed), sgd lr \(lr):"
                for step in 1...steps {
                    _ = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { objective.sampleLossAndGradient(at: xp, into: $0) } }
                    for i in x.indices { x[i] -= lr * g[i] }
                    if step % 1000 == 0 {
                        let m = metrics(objective, x)
                        line += " [\(step): train \(m[0]), test \(m[1]), accuracy \(m[2])]"
                    }
                }
                print(line)
                accuracies.append(metrics(objective, x)[2])
            }
            let mean = accuracies.reduce(0, +) / Double(accuracies.count)
            print("classify(model=\(model)): test accuracy \(accuracies), mean \(mean)")
            if model == "softmax" { #expect(mean > 0.8 && mean < 0.95) } else { #expect(mean > 0.88) }
        }
    }
}

// Helpers are members, so they never clash with other test files' free functions.
extension ClassificationTests {
    private func classify(_ text: String, seed: UInt64 = 7) throws -> ClassificationProblem {
        try ClassificationProblem(spec: Spec(parsing: text), seed: seed)
    }

    private func lossAndGradient(_ objective: any Objective, _ x: [Double]) -> (loss: Double, gradient: [Double]) {
        var g = [Double](repeating: .nan, count: x.count)
        let f = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { objective.lossAndGradient(at: xp, into: $0) } }
        return (f, g)
    }

    private func sample(_ objective: any Objective, _ x: [Double]) -> (loss: Double, gradient: [Double]) {
        var g = [Double](repeating: .nan, count: x.count)
        let f = x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { objective.sampleLossAndGradient(at: xp, into: $0) } }
        return (f, g)
    }

    private func loss(_ objective: any Objective, _ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { objective.loss(at: $0) }
    }

    private func metrics(_ objective: any Objective, _ x: [Double]) -> [Double] {
        var m = [Double](repeating: .nan, count: 3)
        x.withUnsafeBufferPointer { xp in m.withUnsafeMutableBufferPointer { objective.evaluate(at: xp, into: $0) } }
        return m
    }

    private func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// FNV-1a over the bit patterns of the images and the labels.
    private func fingerprint(_ set: ClassificationImages) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ w: UInt64) { h = (h ^ w) &* 0x0000_0100_0000_01B3 }
        for i in 0..<(set.images.rows * set.images.columns) { mix(set.images.storage[i].bitPattern) }
        for y in set.labels { mix(UInt64(UInt32(bitPattern: y))) }
        return h
    }
}
