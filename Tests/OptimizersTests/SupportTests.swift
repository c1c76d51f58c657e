import Testing
@testable import Optimizers

/// The helpers the optimizer states share (Support.swift, ScheduleFreeSupport.swift), each on
/// exact values; the goldens check them again inside every method.
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
}
