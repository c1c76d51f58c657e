import Foundation
import Testing
@testable import Optimizers

/// `BiasCorrections`: the shared tables hold torch's `pow` values to the bit, across the steps
/// where they grow, and a run whose β changes (a cycling momentum) or that passes the longest
/// table gets the same values computed.
@Suite struct BiasCorrectionTests {
    static func bits(_ c: (first: Double, secondSqrt: Double)) -> [UInt64] { [c.first.bitPattern, c.secondSqrt.bitPattern] }

    /// torch's arithmetic, written out (`_single_tensor_adam`).
    static func torch(_ beta1: Double, _ beta2: Double, _ t: Int) -> [UInt64] {
        let bc1 = 1 - pow(beta1, Double(t)), bc2 = 1 - pow(beta2, Double(t))
        return [bc1.bitPattern, pow(bc2, 0.5).bitPattern]
    }

    @Test(arguments: [(0.9, 0.999), (0.95, 0.98), (0.5, 0.25), (0.0, 0.999), (0.8125, 0.9990234375)])
    func aRunReadsTorchsValuesAcrossTheTablesGrowth(_ betas: (Double, Double)) {
        var cursor = BiasCorrectionCursor()
        for t in 1...5000 {  // past 1024, 2048 and 4096: the table is fetched again three times
            let got = cursor.corrections(beta1: betas.0, beta2: betas.1, step: t)
            #expect(Self.bits(got) == Self.torch(betas.0, betas.1, t), "β \(betas), t \(t)")
            if Self.bits(got) != Self.torch(betas.0, betas.1, t) { return }
        }
        // Another run with the same β shares the table, from its start.
        let table = BiasCorrections.table(beta1: betas.0, beta2: betas.1, covering: 10)
        #expect(table != nil && table!.count >= 5000)
        var second = BiasCorrectionCursor()
        #expect(Self.bits(second.corrections(beta1: betas.0, beta2: betas.1, step: 1)) == Self.torch(betas.0, betas.1, 1))
    }

    @Test func aMomentumThatChangesEveryStepGetsComputedValues() {
        var cursor = BiasCorrectionCursor()
        for t in 1...300 {
            let beta1 = 0.85 + 0.1 * Double(t % 7) / 7
            #expect(Self.bits(cursor.corrections(beta1: beta1, beta2: 0.99, step: t)) == Self.torch(beta1, 0.99, t), "t \(t)")
        }
    }

    @Test func pastTheLongestTableTheValuesAreComputed() {
        let t = BiasCorrections.maxSteps + 1
        #expect(BiasCorrections.table(beta1: 0.9, beta2: 0.999, covering: t) == nil)
        var cursor = BiasCorrectionCursor()
        for step in [t, t + 1, 3 * t] {
            #expect(Self.bits(cursor.corrections(beta1: 0.9, beta2: 0.999, step: step)) == Self.torch(0.9, 0.999, step))
        }
        // A cursor at the end of the longest table goes on with computed values.
        var long = BiasCorrectionCursor()
        #expect(Self.bits(long.corrections(beta1: 0.9, beta2: 0.999, step: t - 1)) == Self.torch(0.9, 0.999, t - 1))
        #expect(Self.bits(long.corrections(beta1: 0.9, beta2: 0.999, step: t)) == Self.torch(0.9, 0.999, t))
    }

    @Test func nonFiniteBetasAreNotTabulated() {
        #expect(BiasCorrections.table(beta1: .nan, beta2: 0.999, covering: 1) == nil)
        #expect(BiasCorrections.table(beta1: 0.9, beta2: .infinity, covering: 1) == nil)
        #expect(BiasCorrections.table(beta1: 0.9, beta2: 0.999, covering: 0) == nil)
    }
}
