import Testing
import Optimizers
import Specs

/// f(x) = ½·Σ aᵢxᵢ² with a = (1, 3, 0.5), started at (1, −2, 0.5): the golden problem.
let quadraticA: [Double] = [1, 3, 0.5]
let quadraticX0: [Double] = [1, -2, 0.5]

/// Runs `spec` on the golden quadratic and returns the gradient and reported points after each
/// update. The loss passed in the context is f at the gradient point.
func runQuadratic(_ spec: String, learningRates: [Double], momenta: [Double?]? = nil,
                  optimumValue: Double? = nil, x0: [Double] = quadraticX0,
                  a: [Double] = quadraticA) throws -> (gradient: [[Double]], reported: [[Double]], rates: [Double?]) {
    try runQuadraticWithRates(spec, learningRates: learningRates, momenta: momenta, optimumValue: optimumValue, x0: x0, a: a)
}

/// `runQuadratic`'s body: the points after each update and each update's `effectiveLearningRate`.
func runQuadraticWithRates(_ spec: String, learningRates: [Double], momenta: [Double?]? = nil,
                           optimumValue: Double? = nil, x0: [Double] = quadraticX0, a: [Double] = quadraticA)
    throws -> (gradient: [[Double]], reported: [[Double]], rates: [Double?]) {
    let optimizer = try OptimizerRegistry.make(try Spec(parsing: spec))
    let state = x0.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
    var gradient = [Double](repeating: 0, count: x0.count)
    var out: (gradient: [[Double]], reported: [[Double]], rates: [Double?]) = ([], [], [])
    for (t, lr) in learningRates.enumerated() {
        let y = Array(state.gradientPoint)
        var loss = 0.0
        for i in y.indices {
            gradient[i] = a[i] * y[i]
            loss += 0.5 * a[i] * y[i] * y[i]
        }
        let context = StepContext(step: t, learningRate: lr, loss: loss,
                                  momentum: momenta?[t] ?? nil, optimumValue: optimumValue)
        gradient.withUnsafeBufferPointer { state.update(gradient: $0, context: context) }
        out.gradient.append(Array(state.gradientPoint))
        out.reported.append(Array(state.reportedPoint))
        out.rates.append(state.effectiveLearningRate)
    }
    return out
}

/// |got − want| ≤ 1e-12·max(|want|, 1), coordinate by coordinate.
func close(_ got: [[Double]], _ want: [[Double]], tolerance: Double = 1e-12) -> Bool {
    guard got.count == want.count else { return false }
    for (g, w) in zip(got, want) {
        guard g.count == w.count else { return false }
        for (u, v) in zip(g, w) where !(abs(u - v) <= tolerance * max(abs(v), 1)) { return false }
    }
    return true
}

@Suite struct OptimizerGoldenTests {
    @Test(arguments: goldenCases)
    func matchesReference(_ c: GoldenCase) throws {
        let run = try runQuadratic(c.spec, learningRates: c.learningRates, momenta: c.momenta,
                                   optimumValue: c.optimumValue)
        #expect(close(run.gradient, c.gradientPoints), "gradient points \(run.gradient) vs \(c.gradientPoints)")
        #expect(close(run.reported, c.reportedPoints), "reported points \(run.reported) vs \(c.reportedPoints)")
    }

    @Test func everyOptimizerHasGoldenCases() {
        let covered = Set((goldenCases.map(\.spec) + adaptiveGoldenCases.map(\.spec) + parameterFreeCases.map(\.spec) + slsGoldenCases.map(\.spec)).map { String($0.prefix { $0 != "(" }) })
        #expect(covered == Set(OptimizerRegistry.names))
        for name in OptimizerRegistry.names {
            #expect(covered.contains(name), "optimizer '\(name)' has no golden case")
        }
    }

    /// The options that change the math are each exercised by a golden case.
    @Test func goldenCasesExerciseEveryOption() {
        let texts = goldenCases.map(\.spec).joined(separator: " ")
        for option in ["nesterov=true", "dampening=", "maximize=true", "amsgrad=true", "centered=true",
                       "decoupled_weight_decay=true", "warmup_steps=", "lr_decay=", "initial_accumulator_value=",
                       "momentum_decay=", "max_lr=", "weight_lr_power=", " r=", "(c="] {
            #expect(texts.contains(option), "no golden case sets \(option)")
        }
        let cycled = Set(goldenCases.filter { $0.momenta != nil }.map { String($0.spec.prefix { $0 != "(" }) })
        #expect(cycled.isSuperset(of: ["sgd", "rmsprop", "adam", "adamw", "adamax", "nadam", "radam", "lion",
                                       "adagrad", "sgd_schedulefree"]))
    }

    /// A cycled momentum changes the trajectory of the methods that take it, and only of those.
    @Test func cycledMomentumIsUsedOrIgnored() throws {
        let lrs = [0.1, 0.1, 0.05, 0.08]
        let momenta: [Double?] = [0.5, 0.99, nil, 0.0]
        for (spec, used) in [("sgd(momentum=0.9)", true), ("rmsprop(momentum=0.5)", true), ("adam", true),
                             ("adamw", true), ("adamax", true), ("nadam", true), ("radam", true),
                             ("adagrad", false), ("adadelta", false), ("polyak", false),
                             ("sgd_schedulefree", false), ("adamw_schedulefree", false)] {
            let plain = try runQuadratic(spec, learningRates: lrs).reported
            let cycled = try runQuadratic(spec, learningRates: lrs, momenta: momenta).reported
            #expect((plain != cycled) == used, "\(spec): cycled momentum \(used ? "ignored" : "used")")
        }
    }

    /// SGD's first momentum step copies the gradient (no dampening), so with dampening the first
    /// update equals plain SGD's.
    @Test func sgdFirstMomentumStepIsUndampened() throws {
        let plain = try runQuadratic("sgd", learningRates: [0.1])
        let damped = try runQuadratic("sgd(momentum=0.9, dampening=0.5)", learningRates: [0.1])
        #expect(plain.reported == damped.reported)
        let two = try runQuadratic("sgd(momentum=0.9, dampening=0.5)", learningRates: [0.1, 0.1]).reported[1]
        // b₂ = 0.9·g₁ + 0.5·g₂ with g₁ = a·x₀, g₂ = a·x₁.
        let x1 = plain.reported[0]
        for i in 0..<3 {
            let b = 0.9 * quadraticA[i] * quadraticX0[i] + 0.5 * quadraticA[i] * x1[i]
            #expect(abs(two[i] - (x1[i] - 0.1 * b)) <= 1e-15)
        }
    }

    /// sign(0) = 0: a coordinate at the minimum with zero momentum does not move.
    @Test func lionSignOfZeroIsZero() throws {
        let run = try runQuadratic("lion(weight_decay=0.1)", learningRates: [0.1, 0.1, 0.1], x0: [0, 1, 0])
        for point in run.reported {
            #expect(point[0] == 0)
            #expect(point[2] == 0)
        }
        #expect(abs(run.reported[0][1] - (1 * (1 - 0.01) - 0.1)) <= 1e-15)
    }

    /// Schedule-free methods take gradients at y and report x; they start equal and then differ.
    @Test func scheduleFreePointsDiffer() throws {
        for spec in ["sgd_schedulefree", "adamw_schedulefree"] {
            let run = try runQuadratic(spec, learningRates: [0.1, 0.1])
            #expect(run.gradient[1] != run.reported[1], "\(spec): y == x")
            // y = β·x + (1 − β)·z lies between x and z; with β = 0.9, y − x = 0.1·(z − x).
        }
    }

    /// Polyak: η = min(max_lr, gap/(c‖g‖² + eps)), scaled by the schedule's rate.
    @Test func polyakStepByHand() throws {
        // At x₀: f = 6.5625, g = (1, −6, 0.25), ‖g‖² = 37.0625.
        let eta = 6.5625 / (37.0625 + 1e-12)
        let run = try runQuadratic("polyak", learningRates: [0.5])
        let g = [1.0, -6.0, 0.25]
        for i in 0..<3 {
            #expect(abs(run.reported[0][i] - (quadraticX0[i] - 0.5 * eta * g[i])) <= 1e-15)
        }
        // The cap binds.
        let capped = try runQuadratic("polyak(max_lr=0.01)", learningRates: [1])
        for i in 0..<3 {
            #expect(abs(capped.reported[0][i] - (quadraticX0[i] - 0.01 * g[i])) <= 1e-15)
        }
        // f* above the loss: no step (not an ascent).
        let stuck = try runQuadratic("polyak", learningRates: [1], optimumValue: 10)
        #expect(stuck.reported[0] == quadraticX0)
        // A NaN loss gives a NaN step, so the run visibly fails.
        let optimizer = try OptimizerRegistry.make(Spec(parsing: "polyak"))
        let state = quadraticX0.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
        g.withUnsafeBufferPointer { state.update(gradient: $0, context: StepContext(step: 0, learningRate: 1)) }
        #expect(state.reportedPoint.allSatisfy { $0.isNaN })
    }

    /// The optimizer reads nothing outside its buffers: an empty problem is fine.
    @Test func emptyProblem() throws {
        for type in OptimizerRegistry.all {
            let optimizer = try type.init(spec: Spec(name: type.catalog.name))
            let state = [Double]().withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
            [Double]().withUnsafeBufferPointer {
                state.update(gradient: $0, context: StepContext(step: 0, learningRate: 0.1, loss: 0))
            }
            #expect(state.gradientPoint.count == 0)
            #expect(state.reportedPoint.count == 0)
        }
    }
}
