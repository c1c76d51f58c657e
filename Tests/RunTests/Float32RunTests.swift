import Testing
@testable import Run
import GradientTransforms
import Optimizers
import Problems
import Specs

/// float32 end to end (README): on a float32 problem, an optimizer with a float32 state runs with
/// x, the gradient, the transforms and its state in Float; every other run is float64.
@Suite struct Float32RunTests {
    static let softmax32 = "classify(model=softmax, n_train=60, n_test=30, batch=10, precision=f32)"

    @Test func whichRunsAreFloat32() throws {
        for (problem, optimizer, float32) in [
            (Self.softmax32, "adam", true), (Self.softmax32, "sgd(momentum=0.9)", true), (Self.softmax32, "adamw_schedulefree", true),
            (Self.softmax32, "prodigy", false), (Self.softmax32, "nadam", false),
            ("classify(model=softmax, n_train=60, n_test=30, batch=10)", "adam", false), ("quadratic(dim=4)", "adam", false),
        ] {
            let s = try setup(problem, optimizer, lr: 0.01, steps: 3)
            #expect(s.isFloat32 == float32, "\(problem) with \(optimizer)")
            #expect(RunWorkspace(s).isFloat32 == float32, "\(problem) with \(optimizer)")
        }
    }

    /// The loop's float32 run is the float32 state fed the float32 objective's minibatch gradients,
    /// update by update (a transform applied in Float), bit for bit.
    @Test(arguments: [("adam", [String]()), ("sgd(momentum=0.9)", ["clip_norm(max_norm=0.5)"]), ("adamw_schedulefree", ["clip_value(clip_value=0.01)"])])
    func aFloat32RunIsTheFloat32StateOnTheFloat32Objective(_ optimizer: String, _ transforms: [String]) throws {
        let steps = 25, lr = 0.02
        let s = try setup(Self.softmax32, optimizer, lr: lr, steps: steps, interval: steps, transforms: transforms)
        let ws = RunWorkspace(s)
        var observer = NullObserver()
        _ = ws.execute(observer: &observer)

        let problem = s.problem
        let objective = problem.makeObjective()
        let chain = s.transforms.makeState(dimension: problem.dimension)
        let start = problem.initialPoint.map(Float.init)
        let state = try #require(start.withUnsafeBufferPointer { s.optimizer.makeFloat32State(initialPoint: $0) })
        var g = [Float](repeating: 0, count: problem.dimension)
        for t in 0..<steps {
            let loss = g.withUnsafeMutableBufferPointer { objective.sampleLossAndGradient(at: state.gradientPoint, into: $0) }
            g.withUnsafeMutableBufferPointer { chain.apply(to: $0, params: state.gradientPoint) }
            g.withUnsafeBufferPointer { state.update(gradient: $0, context: StepContext(step: t, learningRate: lr, loss: loss)) }
        }
        #expect(ws.reportedPoint.map(\.bitPattern) == state.reportedPoint.map { Double($0).bitPattern })
    }

    /// The float32 and float64 states of one optimizer on one float32 problem are different runs
    /// (the state's precision matters), close at first.
    @Test func theStatePrecisionIsReal() throws {
        let s = try setup(Self.softmax32, "adam", lr: 0.01, steps: 20, interval: 20)
        let ws = RunWorkspace(s)
        var observer = NullObserver()
        _ = ws.execute(observer: &observer)
        let problem = s.problem
        let objective = problem.makeObjective()
        let state = problem.initialPoint.withUnsafeBufferPointer { s.optimizer.makeState(initialPoint: $0) }
        var g = [Double](repeating: 0, count: problem.dimension)
        for t in 0..<20 {
            let loss = g.withUnsafeMutableBufferPointer { objective.sampleLossAndGradient(at: state.gradientPoint, into: $0) }
            g.withUnsafeBufferPointer { state.update(gradient: $0, context: StepContext(step: t, learningRate: 0.01, loss: loss)) }
        }
        let single = ws.reportedPoint, double = Array(state.reportedPoint)
        #expect(single != double)
        let worst = zip(single, double).map { abs($0 - $1) }.max()!
        #expect(worst > 0 && worst < 1e-4, "\(worst)")
    }
}
