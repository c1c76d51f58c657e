import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
import Optimizers
import Problems

/// The step size an optimizer applies itself is recorded at the evaluation points.
@Suite struct EffectiveRateTests {
    struct Rates: RunObserver {
        var applied: [(Int, Double)] = []
        mutating func evaluated(step t: Int, metrics: UnsafeBufferPointer<Double>, seconds: Double) {}
        mutating func updated(step t: Int, lr: Double, momentum: Double?, loss: Double) {}
        mutating func applied(step t: Int, effectiveRate: Double) { applied.append((t, effectiveRate)) }
    }

    @Test func dogReportsItsStepAndTheRecorderKeepsItAtEvaluationPoints() throws {
        let s = try setup("quadratic(dim=4, cond=10)", "dog", lr: 1, steps: 30, interval: 10)
        var log = Rates()
        _ = RunWorkspace(s).execute(observer: &log)
        #expect(log.applied.map(\.0) == Array(0..<30))
        // Replayed by hand: the state's own effective rate after each update equals what the loop saw.
        let optimizer = try Methods.optimizer("dog")
        let problem = s.problem
        let objective = problem.makeObjective()
        let state = problem.initialPoint.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
        var g = [Double](repeating: 0, count: problem.dimension)
        for t in 0..<30 {
            _ = g.withUnsafeMutableBufferPointer { objective.sampleLossAndGradient(at: state.gradientPoint, into: $0) }
            g.withUnsafeBufferPointer { state.update(gradient: $0, context: StepContext(step: t, learningRate: 1, loss: 0, momentum: nil, optimumValue: 0)) }
            #expect(state.effectiveLearningRate == log.applied[t].1)
        }
        var recorder = CurveRecorder(metricNames: problem.metricNames, targets: [], optimum: problem.optimumValue,
                                     initialLoss: 1, capacity: 8)
        _ = RunWorkspace(s).execute(observer: &recorder)
        #expect(recorder.hasEffectiveRates)
        #expect(recorder.effectiveRates.count == 4)  // steps 0, 10, 20, 30
        #expect(recorder.effectiveRates[0] == log.applied[0].1)
        #expect(recorder.effectiveRates[1] == log.applied[10].1)
        #expect(recorder.effectiveRates[3].isNaN)  // no update after the final point
    }

    @Test func sgdHasNoStepSizeOfItsOwn() throws {
        let s = try setup("quadratic(dim=4, cond=10)", "sgd", lr: 0.1, steps: 5, interval: 1)
        var recorder = CurveRecorder(metricNames: s.problem.metricNames, targets: [], optimum: s.problem.optimumValue,
                                     initialLoss: 1, capacity: 8)
        _ = RunWorkspace(s).execute(observer: &recorder)
        #expect(!recorder.hasEffectiveRates)
    }
}
