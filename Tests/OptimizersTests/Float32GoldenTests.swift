import Testing
import Optimizers
import Specs

/// One float32 golden trajectory (Float32GoldenValues.swift, from golden/float32_golden.py).
struct Float32GoldenCase: Sendable, CustomTestStringConvertible {
    var spec: String
    var learningRates: [Double]
    var momenta: [Double?]?
    var gradientPoints: [[Float]]
    var reportedPoints: [[Float]]

    var testDescription: String { spec + (momenta == nil ? "" : " with cycled momentum") }
}

/// The float32 states (`Optimizer.makeFloat32State`) against their reference code run on float32
/// tensors (torch's default CPU capability, with a correctly rounded sqrt: see the script): bit
/// for bit, every coordinate after every update. 11 coordinates, so that the wide
/// lanes (8 floats) and the scalar tail are both checked against torch.
@Suite struct Float32GoldenTests {
    /// The points after each update of `spec`'s float32 state on g = a·x + c (in Float, as torch's
    /// `a * p + c` on float32 tensors).
    static func trajectory(_ c: Float32GoldenCase) throws -> (gradient: [[Float]], reported: [[Float]]) {
        let optimizer = try OptimizerRegistry.make(Spec(parsing: c.spec))
        let x0 = float32GoldenX0.map(Float.init)
        let a = float32GoldenA.map(Float.init), b = float32GoldenC.map(Float.init)
        let state = try #require(x0.withUnsafeBufferPointer { optimizer.makeFloat32State(initialPoint: $0) })
        var g = [Float](repeating: 0, count: x0.count)
        var out: (gradient: [[Float]], reported: [[Float]]) = ([], [])
        for (t, lr) in c.learningRates.enumerated() {
            for i in g.indices { g[i] = a[i] * state.gradientPoint[i] + b[i] }
            let context = StepContext(step: t, learningRate: lr, loss: 1, momentum: c.momenta?[t] ?? nil)
            g.withUnsafeBufferPointer { state.update(gradient: $0, context: context) }
            out.gradient.append(Array(state.gradientPoint))
            out.reported.append(Array(state.reportedPoint))
        }
        return out
    }

    @Test(arguments: float32GoldenCases)
    func float32StateMatchesTheReferenceBitForBit(_ c: Float32GoldenCase) throws {
        let run = try Self.trajectory(c)
        for t in c.learningRates.indices {
            #expect(run.gradient[t].map(\.bitPattern) == c.gradientPoints[t].map(\.bitPattern), "\(c.spec): gradient point after update \(t + 1)")
            #expect(run.reported[t].map(\.bitPattern) == c.reportedPoints[t].map(\.bitPattern), "\(c.spec): reported point after update \(t + 1)")
            if run.gradient[t].map(\.bitPattern) != c.gradientPoints[t].map(\.bitPattern) { return }
        }
    }

    /// Every optimizer with a float32 state has a float32 golden case, and the ones without say so.
    @Test func everyFloat32StateHasAGoldenCase() throws {
        let covered = Set(float32GoldenCases.map { (try? Spec(parsing: $0.spec))?.name ?? $0.spec })
        let withState = Set(try OptimizerRegistry.names.filter { try OptimizerRegistry.make(Spec(parsing: $0)).hasFloat32State })
        #expect(withState == covered)
        #expect(withState == ["sgd", "rmsprop", "adagrad", "adadelta", "adam", "adamw", "lion", "adamw_schedulefree"])
    }

    /// A float32 state is the float64 one in Float: the same path through the same options, so
    /// the trajectories agree to float32 precision (a float64 state would agree to 1e-15).
    @Test(arguments: ["adam", "sgd(momentum=0.9)", "adamw_schedulefree", "rmsprop(centered=true)"])
    func float32StateTracksTheFloat64OneToSinglePrecision(_ spec: String) throws {
        let single = try Self.trajectory(Float32GoldenCase(spec: spec, learningRates: Array(repeating: 0.01, count: 12), gradientPoints: [], reportedPoints: []))
        let optimizer = try OptimizerRegistry.make(Spec(parsing: spec))
        let state = float32GoldenX0.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
        var g = [Double](repeating: 0, count: float32GoldenX0.count)
        var maxRelative = 0.0
        for t in 0..<12 {
            for i in g.indices { g[i] = float32GoldenA[i] * state.gradientPoint[i] + float32GoldenC[i] }
            g.withUnsafeBufferPointer { state.update(gradient: $0, context: StepContext(step: t, learningRate: 0.01, loss: 1)) }
            for i in g.indices {
                let d = abs(Double(single.gradient[t][i]) - state.gradientPoint[i]) / max(abs(state.gradientPoint[i]), 1e-3)
                maxRelative = max(maxRelative, d)
            }
        }
        #expect(maxRelative < 1e-4, "\(spec): \(maxRelative)")
        #expect(maxRelative > 1e-9, "\(spec): the float32 state computed in float64")
    }
}
