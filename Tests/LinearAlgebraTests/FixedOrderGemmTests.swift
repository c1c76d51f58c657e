import Testing
import SeededRandom
@testable import LinearAlgebra

/// `FixedOrder`'s contract: every element is one chain of fused multiply-adds in increasing p,
/// whatever the shape, the element's position, the tiling or the instruction set.
@Suite struct FixedOrderGemmTests {
    /// The definition, element by element (`addingProduct` is IEEE fusedMultiplyAdd).
    static func reference<T: BLASScalar>(_ m: Int, _ n: Int, _ k: Int, _ a: [T], rowStride: Int, columnStride: Int,
                                         _ b: [T], _ ldb: Int, _ c: [T], _ ldc: Int, accumulate: Bool) -> [T] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var s: T = accumulate ? c[i * ldc + j] : 0
                for p in 0..<k { s = s.addingProduct(a[i * rowStride + p * columnStride], b[p * ldb + j]) }
                out[i * ldc + j] = s
            }
        }
        return out
    }

    struct Shape: Sendable, CustomStringConvertible {
        var m: Int, n: Int, k: Int, transposed: Bool, accumulate: Bool
        var description: String { "\(m)x\(n)x\(k)\(transposed ? " Aᵀ" : "")\(accumulate ? " +C" : "")" }
    }

    /// Edge shapes (1, a vector width ± 1, a tile height ± 1, KC ± 1) and random ones.
    static let shapes: [Shape] = {
        var s = [Shape(m: 1, n: 1, k: 1, transposed: false, accumulate: false),
                 Shape(m: 64, n: 10, k: 784, transposed: false, accumulate: false),
                 Shape(m: 784, n: 10, k: 64, transposed: true, accumulate: true),
                 Shape(m: 25, n: 17, k: 129, transposed: false, accumulate: true),
                 Shape(m: 23, n: 65, k: 127, transposed: true, accumulate: false),
                 Shape(m: 7, n: 33, k: 256, transposed: false, accumulate: false),
                 Shape(m: 13, n: 15, k: 0, transposed: false, accumulate: false),
                 Shape(m: 13, n: 15, k: 0, transposed: false, accumulate: true),
                 // One row (the lone-run kernel, panels of 8 vectors): a partial panel, one
                 // vector past a panel, several panels, accumulating, Aᵀ, k past KC.
                 Shape(m: 1, n: 50, k: 50, transposed: false, accumulate: false),
                 Shape(m: 1, n: 65, k: 33, transposed: true, accumulate: true),
                 Shape(m: 1, n: 256, k: 37, transposed: false, accumulate: true),
                 Shape(m: 1, n: 129, k: 300, transposed: true, accumulate: false),
                 Shape(m: 1, n: 7, k: 0, transposed: false, accumulate: true),
                 // One pass of exactly as many vectors as the row needs (up to 16 on AVX-512:
                 // 128 doubles, 256 floats), past it panels of 8 and the vectors left.
                 Shape(m: 1, n: 100, k: 100, transposed: false, accumulate: false),
                 Shape(m: 1, n: 20, k: 20, transposed: false, accumulate: true),
                 Shape(m: 1, n: 128, k: 9, transposed: true, accumulate: true),
                 Shape(m: 1, n: 200, k: 31, transposed: false, accumulate: false),
                 Shape(m: 1, n: 256, k: 5, transposed: false, accumulate: true),
                 Shape(m: 1, n: 257, k: 12, transposed: true, accumulate: false)]
        var rng = RandomStream(seed: 11, label: "fixed-gemm-shapes")
        for _ in 0..<40 {
            s.append(Shape(m: 1 + rng.index(below: 50), n: 1 + rng.index(below: 80), k: rng.index(below: 300),
                           transposed: rng.index(below: 2) == 1, accumulate: rng.index(below: 2) == 1))
        }
        return s
    }()

    struct Operands<T: BLASScalar> {
        var a: [T], b: [T], c: [T], rowStride: Int, columnStride: Int
    }

    static func operands<T: BLASScalar>(_ s: Shape, _ type: T.Type, seed: UInt64) -> Operands<T> {
        var rng = RandomStream(seed: seed, label: "fixed-gemm-\(s)")
        func draw(_ count: Int) -> [T] { (0..<count).map { _ in T(rng.gaussian()) } }
        return Operands(a: draw(max(s.m * s.k, 1)), b: draw(max(s.k * s.n, 1)), c: draw(s.m * s.n),
                        rowStride: s.transposed ? 1 : s.k, columnStride: s.transposed ? s.m : 1)
    }

    static func run<T: Forceable>(_ s: Shape, _ o: Operands<T>, isa: FixedOrder.ISA? = nil) -> [T] {
        var c = o.c
        o.a.withUnsafeBufferPointer { a in
            o.b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    if let isa {
                        T.fixedGemm(isa: isa, s.m, s.n, s.k, a.baseAddress!, rowStride: o.rowStride, columnStride: o.columnStride,
                                    b.baseAddress!, s.n, c.baseAddress!, s.n, accumulate: s.accumulate)
                    } else {
                        T.fixedGemm(s.m, s.n, s.k, a.baseAddress!, rowStride: o.rowStride, columnStride: o.columnStride,
                                    b.baseAddress!, s.n, c.baseAddress!, s.n, accumulate: s.accumulate)
                    }
                }
            }
        }
        return c
    }

    static func bits<T: Forceable>(_ v: [T]) -> [UInt64] { v.map(\.bits) }

    @Test(arguments: shapes)
    func everyElementIsTheDefinitionsChainOnEveryInstructionSet(_ s: Shape) {
        func check<T: Forceable>(_ type: T.Type) {
            let o = Self.operands(s, T.self, seed: 1)
            let expected = Self.bits(Self.reference(s.m, s.n, s.k, o.a, rowStride: o.rowStride, columnStride: o.columnStride,
                                                    o.b, s.n, o.c, s.n, accumulate: s.accumulate))
            #expect(Self.bits(Self.run(s, o)) == expected, "\(s) \(T.self) on \(FixedOrder.instructionSet)")
            for isa in FixedOrder.ISA.allCases where isa.isSupported {
                #expect(Self.bits(Self.run(s, o, isa: isa)) == expected, "\(s) \(T.self) forced \(isa)")
            }
        }
        check(Double.self)
        check(Float.self)
    }

    /// A block of columns (or rows) computed alone equals the same block of the whole product:
    /// what lets a run share X · [W₁ … W_K] with any others, in any slot.
    @Test func aColumnOrRowBlockAloneEqualsItsPartOfTheWhole() {
        var rng = RandomStream(seed: 5, label: "fixed-gemm-blocks")
        for trial in 0..<30 {
            let s = Shape(m: 1 + rng.index(below: 70), n: 2 + rng.index(below: 200), k: 1 + rng.index(below: 200),
                          transposed: trial % 2 == 1, accumulate: trial % 3 == 0)
            let o = Self.operands(s, Float.self, seed: UInt64(trial))
            let whole = Self.run(s, o)
            let j0 = rng.index(below: s.n), width = 1 + rng.index(below: s.n - j0)
            let i0 = rng.index(below: s.m), height = 1 + rng.index(below: s.m - i0)
            var part = [Float](repeating: 0, count: height * width)
            for i in 0..<height { for j in 0..<width { part[i * width + j] = o.c[(i0 + i) * s.n + j0 + j] } }
            o.a.withUnsafeBufferPointer { a in
                o.b.withUnsafeBufferPointer { b in
                    Float.fixedGemm(height, width, s.k, a.baseAddress! + i0 * o.rowStride, rowStride: o.rowStride,
                                    columnStride: o.columnStride, b.baseAddress! + j0, s.n, &part, width, accumulate: s.accumulate)
                }
            }
            for i in 0..<height {
                for j in 0..<width {
                    #expect(part[i * width + j].bitPattern == whole[(i0 + i) * s.n + j0 + j].bitPattern, "\(s): (\(i0 + i), \(j0 + j))")
                }
            }
        }
    }

    @Test func smallIntegerProductsAreExact() {
        // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]; then + the same again.
        var c = [Double](repeating: .nan, count: 4)
        Double.fixedGemm(2, 2, 2, [1, 2, 3, 4], rowStride: 2, columnStride: 1, [5, 6, 7, 8], 2, &c, 2, accumulate: false)
        #expect(c == [19, 22, 43, 50])
        Double.fixedGemm(2, 2, 2, [1, 2, 3, 4], rowStride: 2, columnStride: 1, [5, 6, 7, 8], 2, &c, 2, accumulate: true)
        #expect(c == [38, 44, 86, 100])
        // Aᵀ through the strides: [[1, 3], [2, 4]] · B.
        Double.fixedGemm(2, 2, 2, [1, 2, 3, 4], rowStride: 1, columnStride: 2, [5, 6, 7, 8], 2, &c, 2, accumulate: false)
        #expect(c == [26, 30, 38, 44])
        #expect(["avx512", "avx2", "scalar"].contains(FixedOrder.instructionSet))
    }

    /// One rounding per term: fma(a, b, s) keeps what a multiply-then-add would round away.
    @Test func eachTermIsOneFusedMultiplyAdd() {
        let e = Double.ulpOfOne  // (1 + e)(1 − e) = 1 − e², which a separate multiply rounds to 1
        var c: [Double] = [0]
        Double.fixedGemm(1, 1, 2, [1 + e, -1], rowStride: 2, columnStride: 1, [1 - e, 1], 1, &c, 1, accumulate: false)
        // s₁ = fl((1+e)(1−e)) = 1 − e² rounded once = 1 (exact product 1 − 2⁻¹⁰⁴ rounds to 1), s₂ = fma(−1, 1, s₁)
        let s1 = (0.0).addingProduct(1 + e, 1 - e)
        #expect(c[0] == s1.addingProduct(-1, 1))
        // And against a non-fused chain where it matters: a·b + s with s = −1.
        c = [-1]
        Double.fixedGemm(1, 1, 1, [1 + e], rowStride: 1, columnStride: 1, [1 - e], 1, &c, 1, accumulate: true)
        #expect(c[0] == -e * e)       // fused: exact −2⁻¹⁰⁴
        #expect((1 + e) * (1 - e) - 1 == 0)  // unfused: 0
    }
}

/// Double and Float with the implementation forced, and their bits, for generic checks.
protocol Forceable: BLASScalar {
    static func fixedGemm(isa: FixedOrder.ISA, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Self>,
                          rowStride: Int, columnStride: Int, _ b: UnsafePointer<Self>, _ ldb: Int,
                          _ c: UnsafeMutablePointer<Self>, _ ldc: Int, accumulate: Bool)
    var bits: UInt64 { get }
}

extension Double: Forceable { var bits: UInt64 { bitPattern } }
extension Float: Forceable { var bits: UInt64 { UInt64(bitPattern) } }
