import Testing
import CLanes
import SeededRandom
@testable import Optimizers

/// CLanes' Adam kernel (`lrb_adam_f64`/`_f32`, Sources/CLanes/adam.c): every instruction set the
/// machine has gives the bits of its definition written out here in Swift, one coordinate at a
/// time, for both weight-decay kinds, AMSGrad, and both branches of torch's lerp, in the vector
/// body and the tail (37 coordinates). The golden tests check the definition against torch.
@Suite struct AdamKernelTests {
    struct Case: Sendable, CustomStringConvertible {
        var beta1: Double, weightDecay: Double, decoupled: Bool, amsgrad: Bool
        var description: String { "β1 \(beta1), wd \(weightDecay)\(decoupled ? " decoupled" : "")\(amsgrad ? " amsgrad" : "")" }
    }

    static let cases = [
        Case(beta1: 0.9, weightDecay: 0, decoupled: false, amsgrad: false),
        Case(beta1: 0.3, weightDecay: 0.1, decoupled: false, amsgrad: true),
        Case(beta1: 0.9, weightDecay: 0.5, decoupled: true, amsgrad: true),
        Case(beta1: 0.0, weightDecay: 0.01, decoupled: true, amsgrad: false),
    ]

    /// The kernel's definition (clanes.h), one coordinate.
    static func definition<T: BinaryFloatingPoint>(_ x: inout T, _ m: inout T, _ v: inout T, _ vMax: inout T?, _ g: T,
                                                  _ k: Scalars<T>) {
        var d = g
        if k.decay == 2 { x = x * k.decayValue } else if k.decay == 1 { d = d + k.decayValue * x }
        let mi = k.small != 0 ? m + k.w * (d - m) : d - (d - m) * k.oneMinusW
        let vi = v * k.beta2 + k.oneMinusBeta2 * d * d
        m = mi
        v = vi
        var second = vi
        if let previous = vMax {
            second = vi >= previous ? vi : previous
            vMax = second
        }
        x = x + k.negStep * mi / ((second.squareRoot() / k.bc2) + k.eps)
    }

    static func draw<T: BinaryFloatingPoint>(_ n: Int, _ label: String, as _: T.Type) -> ([T], [T], [T], [T], [T]) {
        var rng = RandomStream(seed: 21, label: label)
        func values(_ scale: Double, positive: Bool = false) -> [T] {
            (0..<n).map { _ in T(positive ? abs(rng.gaussian()) * scale : rng.gaussian() * scale) }
        }
        return (values(1), values(0.1), values(0.01, positive: true), values(0.012, positive: true), values(2))
    }

    typealias Scalars<T> = (w: T, oneMinusW: T, small: Int32, beta2: T, oneMinusBeta2: T, bc2: T, eps: T, negStep: T,
                            decay: Int32, decayValue: T)

    /// The kernel's scalars rounded to T as clanes.h says (1 − w taken in T).
    static func rounded<T: BinaryFloatingPoint>(_ a: lrb_adam_args, as _: T.Type) -> Scalars<T> {
        let w = T(a.one_minus_beta1)
        return (w, 1 - w, abs(w) < 0.5 ? 1 : 0, T(a.beta2), T(a.one_minus_beta2), T(a.bc2_sqrt), T(a.eps), T(a.neg_step),
                a.decay, T(a.decay_value))
    }

    /// Runs `kernel(isa, x, m, v, vmax or nil, g, scalars)` on every instruction set this machine
    /// has and compares x, m, v and vmax with the definition's, bit for bit.
    static func check<T: BinaryFloatingPoint>(_ c: Case, as _: T.Type,
                                              kernel: (Int32, inout [T], inout [T], inout [T], UnsafeMutablePointer<T>?, [T], lrb_adam_args) -> Void) {
        let n = 37
        let s = AdamStep(lr: 0.01, beta1: c.beta1, beta2: 0.999, eps: 1e-8, weightDecay: c.weightDecay, decoupled: c.decoupled, step: 3)
        let args = adamKernelArguments(s, stepSize: 0.0123, biasCorrection2Sqrt: 0.0547)
        let k = Self.rounded(args, as: T.self)
        let (x0, m0, v0, vm0, g) = Self.draw(n, "adam-kernel-\(T.self)-\(c)", as: T.self)
        var expected = (x0, m0, v0, vm0)
        for i in 0..<n {
            var vm: T? = c.amsgrad ? vm0[i] : nil
            Self.definition(&expected.0[i], &expected.1[i], &expected.2[i], &vm, g[i], k)
            if let vm { expected.3[i] = vm }
        }
        func bits(_ a: [T]) -> [String] { a.map { "\($0)" } }
        for isa in Int32(0)...2 where lrb_adam_supports(isa) != 0 {
            var (x, m, v, vm) = (x0, m0, v0, vm0)
            vm.withUnsafeMutableBufferPointer { kernel(isa, &x, &m, &v, c.amsgrad ? $0.baseAddress : nil, g, args) }
            #expect(bits(x) == bits(expected.0), "isa \(isa): x")
            #expect(bits(m) == bits(expected.1), "isa \(isa): m")
            #expect(bits(v) == bits(expected.2), "isa \(isa): v")
            #expect(bits(vm) == bits(expected.3), "isa \(isa): vmax")
        }
    }

    @Test(arguments: cases)
    func everyInstructionSetIsTheDefinition(_ c: Case) {
        Self.check(c, as: Double.self) { isa, x, m, v, vm, g, args in
            withUnsafePointer(to: args) { lrb_adam_f64_isa(isa, x.count, &x, &m, &v, vm, g, $0) }
        }
        Self.check(c, as: Float.self) { isa, x, m, v, vm, g, args in
            withUnsafePointer(to: args) { lrb_adam_f32_isa(isa, x.count, &x, &m, &v, vm, g, $0) }
        }
    }
}
