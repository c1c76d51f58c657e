import Foundation
import Testing
import SeededRandom
@testable import LinearAlgebra

/// `Exponential.exp`'s contract: within 1 ulp of the C library's exp, the special values exact,
/// and each element's bits independent of the instruction set, the length and the position.
@Suite struct ExponentialTests {
    static func exps(_ x: [Double], isa: FixedOrder.ISA? = nil) -> [Double] {
        var y = [Double](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                if let isa {
                    Exponential.exp(isa: isa, xs.baseAddress!, into: ys.baseAddress!, count: x.count)
                } else {
                    Exponential.exp(xs.baseAddress!, into: ys.baseAddress!, count: x.count)
                }
            }
        }
        return y
    }

    /// Distance in units in the last place between two non-negative finite doubles.
    static func ulps(_ a: Double, _ b: Double) -> UInt64 {
        let (u, v) = (a.bitPattern, b.bitPattern)
        return u > v ? u - v : v - u
    }

    /// Inputs over exp's whole finite range, the softmax's (−40, 0], and the subnormal results.
    static let inputs: [Double] = {
        var rng = RandomStream(seed: 3, label: "exp-inputs")
        var x: [Double] = []
        for _ in 0..<40_000 { x.append(rng.uniform(-745, 709.7)) }
        for _ in 0..<40_000 { x.append(rng.uniform(-40, 0)) }
        for _ in 0..<10_000 { x.append(rng.uniform(-1, 1) * 1e-6) }
        for _ in 0..<5_000 { x.append(rng.uniform(-745.1, -708.4)) }
        return x
    }()

    @Test func withinOneUlpOfTheCLibrary() {
        let y = Self.exps(Self.inputs)
        var worst: UInt64 = 0, differing = 0
        for (x, e) in zip(Self.inputs, y) {
            let d = Self.ulps(e, Foundation.exp(x))
            worst = max(worst, d)
            if d != 0 { differing += 1 }
        }
        #expect(worst <= 1, "worst \(worst) ulp")
        // fdlibm is not correctly rounded: it is 1 ulp off glibc's (correctly rounded) exp in
        // about 10 % of inputs (9.8 % of 10⁵ in (−40, 0) for fdlibm's own C written out in Python);
        // a wrong coefficient or reduction constant would be off in most.
        #expect(differing * 5 < Self.inputs.count, "\(differing) of \(Self.inputs.count) differ from the C library")
    }

    @Test func specialValuesAreExact() {
        let x: [Double] = [0, -0.0, 1, -1, .infinity, -.infinity, .nan, -1100, -5000, 710, 5000, -745.2, 709.78, -708.4, 1e-300, -1e-300]
        let y = Self.exps(x)
        #expect(y[0] == 1 && y[1] == 1)
        #expect(Self.ulps(y[2], M_E) <= 1, "fdlibm's exp(1) is 1 ulp above e")
        #expect(Self.ulps(y[3], 1 / M_E) <= 1)
        #expect(y[4] == .infinity && y[5] == 0)
        #expect(y[6].isNaN)
        #expect(y[7] == 0 && y[8] == 0)
        #expect(y[9] == .infinity && y[10] == .infinity)
        #expect(y[11] == 0, "exp(-745.2) is below half the smallest subnormal")
        #expect(y[12].isFinite && Self.ulps(y[12], Foundation.exp(709.78)) <= 1)
        #expect(y[13].isNormal == Foundation.exp(-708.4).isNormal && Self.ulps(y[13], Foundation.exp(-708.4)) <= 1)
        #expect(y[14] == 1 && y[15] == 1)
    }

    /// Every instruction set this machine has gives the scalar definition's bits.
    @Test(arguments: FixedOrder.ISA.allCases.filter(\.isSupported))
    func everyInstructionSetAgrees(_ isa: FixedOrder.ISA) {
        var x = Self.inputs
        x += [0, -0.0, .infinity, -.infinity, .nan, -1100, 1100, -5000, 5000]
        let reference = Self.exps(x, isa: .scalar)
        let y = Self.exps(x, isa: isa)
        for i in x.indices {
            #expect(y[i].bitPattern == reference[i].bitPattern || (y[i].isNaN && reference[i].isNaN), "exp(\(x[i]))")
        }
    }

    /// An element's bits do not depend on how long the array is or where in it the element sits
    /// (vector body, masked or scalar tail), nor on computing in place.
    @Test func positionAndLengthDoNotMatter() {
        var rng = RandomStream(seed: 8, label: "exp-positions")
        let x = (0..<37).map { _ in rng.uniform(-30, 2) }
        let alone = x.map { Self.exps([$0])[0] }
        for length in 1...x.count {
            for offset in [0, 1, 3] where offset < length {
                let slice = Array(x[offset..<length])
                let y = Self.exps(slice)
                for (i, v) in y.enumerated() { #expect(v.bitPattern == alone[offset + i].bitPattern) }
            }
        }
        var inPlace = x
        inPlace.withUnsafeMutableBufferPointer { Exponential.exp($0.baseAddress!, into: $0.baseAddress!, count: $0.count) }
        #expect(inPlace.map(\.bitPattern) == alone.map(\.bitPattern))
    }
}
