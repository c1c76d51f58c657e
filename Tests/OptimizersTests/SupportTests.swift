import Foundation
import Testing
@testable import Optimizers
import Specs

/// The helpers the optimizer states share (Support.swift, AdamFamily.swift,
/// ScheduleFreeSupport.swift, SGD.swift's momentum buffer, SGD-HD's hypergradient storage), each
/// on exact values; the goldens check them again inside every method.
@Suite struct SupportTests {
    @Test func stateBuffersCopyAndFill() {
        let buffers = StateBuffers()
        let copy = [1.5, -2.0, 3.25].withUnsafeBufferPointer { buffers.copy(of: $0) }
        #expect([copy[0], copy[1], copy[2]] == [1.5, -2.0, 3.25])
        let filled = buffers.filled(3, with: 1e-6)
        #expect([filled[0], filled[1], filled[2]] == [1e-6, 1e-6, 1e-6])
        // An empty problem still gets one valid slot.
        let empty = [Double]().withUnsafeBufferPointer { buffers.copy(of: $0) }
        #expect(empty[0] == 0)
        #expect(buffers.filled(0)[0] == 0)
    }

    @Test func l2DecayIsSkippedAtZero() {
        #expect(l2Decayed(1, 2, 0.5) == 2)
        // torch skips the add when weight_decay = 0, so a non-finite x does not reach g.
        #expect(l2Decayed(1, .infinity, 0) == 1)
        #expect(l2Decayed(1, .nan, 0) == 1)
    }

    @Test func adamDecayCoupledAndDecoupled() {
        var x = [2.0]
        let coupled = x.withUnsafeMutableBufferPointer { adamDecayed(1, $0.baseAddress!, 0, lr: 0.5, wd: 0.25, decoupled: false) }
        #expect(coupled == 1.5 && x[0] == 2)
        let decoupled = x.withUnsafeMutableBufferPointer { adamDecayed(1, $0.baseAddress!, 0, lr: 0.5, wd: 0.25, decoupled: true) }
        #expect(decoupled == 1 && x[0] == 1.75)   // x·(1 − 0.5·0.25)
        let none = x.withUnsafeMutableBufferPointer { adamDecayed(1, $0.baseAddress!, 0, lr: 0.5, wd: 0, decoupled: true) }
        #expect(none == 1 && x[0] == 1.75)
    }

    @Test func adamMoments() {
        var m = [1.0], v = [4.0]
        m.withUnsafeMutableBufferPointer { mp in
            v.withUnsafeMutableBufferPointer { vp in
                updateAdamMoments(mp.baseAddress!, vp.baseAddress!, 0, 3, beta1: 0.75, beta2: 0.5)
            }
        }
        #expect(m[0] == 1.5)   // lerp(1, 3, 0.25)
        #expect(v[0] == 6.5)   // 0.5·4 + 0.5·9
    }

    @Test func scheduleFreeAverageWeights() {
        var average = ScheduleFreeAverage()
        // r = 0, weight_lr_power = 2: wₖ = lr_max², c = wₖ/W.
        #expect(average.weight(lr: 0.5, step: 1, r: 0, weightLRPower: 2) == 1)
        #expect(average.weight(lr: 0.25, step: 2, r: 0, weightLRPower: 2) == 0.5)   // lr_max stays 0.5
        #expect(average.lrMax == 0.5 && average.weightSum == 0.5)
        // A zero rate from the start leaves W = 0 and c = 0.
        var still = ScheduleFreeAverage()
        #expect(still.weight(lr: 0, step: 1, r: 0, weightLRPower: 2) == 0)
        #expect(still.lrMax == 0)
    }

    @Test func scheduleFreeWarmupIsLinear() {
        #expect(scheduleFreeWarmup(0, warmupSteps: 4) == 0.25)
        #expect(scheduleFreeWarmup(2, warmupSteps: 4) == 0.75)
        #expect(scheduleFreeWarmup(3, warmupSteps: 4) == 1)
        #expect(scheduleFreeWarmup(9, warmupSteps: 4) == 1)
        #expect(scheduleFreeWarmup(0, warmupSteps: 0) == 1)
    }

    @Test func sgdMomentumBufferFirstThenAverage() {
        let buffers = StateBuffers()
        var momentum = SGDMomentumBuffer<Double>(buffers, 1)
        // momentum = 0: the direction is d and the buffer stays torch's None.
        let none = momentum.begin(momentum: 0, dampening: 0.5, nesterov: false)
        #expect(none.direction(3, 0) == 3 && !momentum.hasBuffer && momentum.buf[0] == 0)
        // The first update with momentum sets b ← d (no dampening).
        let first = momentum.begin(momentum: 0.5, dampening: 0.25, nesterov: false)
        #expect(momentum.hasBuffer)
        #expect(first.direction(2, 0) == 2 && momentum.buf[0] == 2)
        // Then b ← momentum·b + (1 − dampening)·d = 0.5·2 + 0.75·4.
        let second = momentum.begin(momentum: 0.5, dampening: 0.25, nesterov: false)
        #expect(second.direction(4, 0) == 4 && momentum.buf[0] == 4)
        // Nesterov: d + momentum·b, with b = 0.5·4 + 1·2 = 4.
        let nesterov = momentum.begin(momentum: 0.5, dampening: 0, nesterov: true)
        #expect(nesterov.direction(2, 0) == 4 && momentum.buf[0] == 4)
    }

    @Test func adamMomentsStateStartsAnUpdate() {
        var config = Adam()
        config.beta1 = 0.75
        config.beta2 = 0.5
        config.weightDecay = 0.25
        let state = [2.0].withUnsafeBufferPointer { AdamMomentsState(config: config, initialPoint: $0) }
        #expect(state.n == 1 && state.x[0] == 2 && state.expAvg[0] == 0 && state.expAvgSq[0] == 0)
        // A cycling schedule's momentum replaces β1; t counts from 1.
        let s = state.beginStep(StepContext(step: 0, learningRate: 0.5, momentum: 0.5))
        #expect(state.t == 1 && s.step == 1 && s.beta1 == 0.5 && s.beta2 == 0.5 && s.lr == 0.5)
        #expect(state.beginStep(StepContext(step: 1, learningRate: 0.5)).beta1 == 0.75 && state.t == 2)
        // L2 decay (Adam): d = 1 + 0.25·2, then m = lerp(0, d, 0.5), v = 0.5·d².
        let d = state.decayAndUpdateMoments(1, 0, s)
        #expect(d == 1.5 && state.x[0] == 2 && state.expAvg[0] == 0.75 && state.expAvgSq[0] == 1.125)
    }

    @Test func scheduleFreePointsStartAtTheInitialPoint() {
        var config = SGDScheduleFree()
        config.r = 1
        config.weightLRPower = 2
        let state = [1.5, -1.0].withUnsafeBufferPointer { ScheduleFreePoints(config: config, initialPoint: $0) }
        #expect(state.n == 2)
        for p in [state.x, state.y, state.z] { #expect(p[0] == 1.5 && p[1] == -1) }
        // t = k + 1 = 1: w = 1^1·0.5², c = w/W = 1; then k = 1: w = 2·0.5², c = 2/3.
        #expect(state.averageWeight(lr: 0.5) == 1)
        state.k = 1
        #expect(state.averageWeight(lr: 0.5) == 0.5 / 0.75)
    }

    @Test func hypergradientStatesReportAlpha() throws {
        for name in ["sgd_hd", "adam_hd"] {
            let optimizer = try OptimizerRegistry.make(Spec(name: name))
            let state = [1.0, 2.0].withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
            #expect(state.effectiveLearningRate == nil)
            [0.5, -0.5].withUnsafeBufferPointer { state.update(gradient: $0, context: StepContext(step: 0, learningRate: 0.125)) }
            // The first update's α is the schedule's rate (no previous step for the hypergradient).
            #expect(state.effectiveLearningRate == 0.125)
        }
    }

    @Test func dAdaptationEstimateGrowsBounded() {
        var estimate = DAdaptationEstimate(d0: 0.5)
        // d never decreases …
        estimate.accept(dHat: 0.25, numerator: 3, growthRate: 2)
        #expect(estimate.d == 0.5 && estimate.numeratorWeighted == 3)
        // … and grows at most by growth_rate per update.
        estimate.accept(dHat: 8, numerator: 5, growthRate: 2)
        #expect(estimate.d == 1 && estimate.numeratorWeighted == 5)
        estimate.accept(dHat: 1.5, numerator: 6, growthRate: .infinity)
        #expect(estimate.d == 1.5)
    }

    @Test func adaptedBiasCorrectionAndTheDecoupledDecayOfTheStep() {
        // √(1 − 0.75²)/(1 − 0.5²) at k = 1, and 1 when switched off.
        #expect(adaptedBiasCorrection(beta1: 0.5, beta2: 0.75, k: 1, enabled: true) == pow(0.4375, 0.5) / 0.75)
        #expect(adaptedBiasCorrection(beta1: 0.5, beta2: 0.75, k: 1, enabled: false) == 1)
        // The decoupled decay of their step, p.add_(p, alpha=-decay*dlr), then the step itself:
        // x = 2 + (−0.125)·2 = 1.75, then 1.75 + (−0.5)·(0.5/(√4 + 0)) = 1.625.
        var x = [2.0], m = [0.5], v = [4.0]
        let g = [0.0]
        x.withUnsafeMutableBufferPointer { xp in
            m.withUnsafeMutableBufferPointer { mp in
                v.withUnsafeMutableBufferPointer { vp in
                    g.withUnsafeBufferPointer { gp in
                        let step = AdaptiveStepLanes(x: xp.baseAddress!, m: mp.baseAddress!, v: vp.baseAddress!, g: gp.baseAddress!,
                                                     l2: 0, eps: 0, decoupled: true, decay: -0.25 * 0.5, step: -0.5)
                        forEachLane(1, step)
                    }
                }
            }
        }
        #expect(x[0] == 1.625)
    }
}

