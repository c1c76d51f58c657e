import Testing
import SeededRandom
@testable import LinearAlgebra

/// `RowProducts`' contract: the residuals and unscaled gradient read from rows of X in place are,
/// to the bit, `FixedOrder`'s products on the gathered rows (what a group of runs computes), for
/// every instruction set, every row count (full and partial blocks of 4, 8 and 32 rows) and
/// every width (full and partial vectors).
@Suite struct RowProductTests {
    struct Shape: Sendable, CustomStringConvertible {
        var rows: Int, d: Int, n: Int
        var description: String { "\(rows) of \(n) rows x \(d)" }
    }

    static let shapes: [Shape] = {
        var s = [Shape(rows: 1, d: 1, n: 3), Shape(rows: 1, d: 50, n: 9), Shape(rows: 32, d: 50, n: 2000),
                 Shape(rows: 128, d: 1000, n: 400), Shape(rows: 33, d: 9, n: 40), Shape(rows: 31, d: 7, n: 31),
                 Shape(rows: 5, d: 3, n: 5), Shape(rows: 64, d: 17, n: 100), Shape(rows: 7, d: 0, n: 8)]
        var rng = RandomStream(seed: 12, label: "row-product-shapes")
        for _ in 0..<30 {
            let n = 1 + rng.index(below: 120)
            s.append(Shape(rows: 1 + rng.index(below: n), d: 1 + rng.index(below: 70), n: n))
        }
        return s
    }()

    struct Case {
        var x: [Double], y: [Double], w: [Double], index: [Int32]
    }

    /// Random data and a draw of distinct rows in shuffled order (as a minibatch is).
    static func data(_ s: Shape) -> Case {
        var rng = RandomStream(seed: 5, label: "row-products-\(s)")
        var order = (0..<s.n).map { Int32($0) }
        for i in stride(from: s.n - 1, to: 0, by: -1) { order.swapAt(i, rng.index(below: i + 1)) }
        return Case(x: (0..<max(s.n * s.d, 1)).map { _ in rng.gaussian() }, y: (0..<s.n).map { _ in rng.gaussian() },
                    w: (0..<max(s.d, 1)).map { _ in rng.gaussian() }, index: Array(order.prefix(s.rows)))
    }

    /// The gathered computation: r = −y_B + X_B·w, g = rᵀ·X_B, each one fixed-order product.
    static func gathered(_ s: Shape, _ c: Case) -> (r: [Double], g: [Double]) {
        var xb = [Double](repeating: 0, count: max(s.rows * s.d, 1))
        var r = c.index.map { -c.y[Int($0)] }
        var g = [Double](repeating: .nan, count: max(s.d, 1))
        for (b, i) in c.index.enumerated() { for p in 0..<s.d { xb[b * s.d + p] = c.x[Int(i) * s.d + p] } }
        Double.fixedGemm(isa: .scalar, s.rows, 1, s.d, xb, rowStride: s.d, columnStride: 1, c.w, 1, &r, 1, accumulate: true)
        Double.fixedGemm(isa: .scalar, 1, s.d, s.rows, r, rowStride: s.rows, columnStride: 1, xb, s.d, &g, s.d, accumulate: false)
        return (r, Array(g.prefix(s.d)))
    }

    static func inPlace(_ s: Shape, _ c: Case, isa: FixedOrder.ISA?, gradient: Bool) -> (r: [Double], g: [Double]) {
        var r = [Double](repeating: .nan, count: s.rows), g = [Double](repeating: .nan, count: max(s.d, 1))
        r.withUnsafeMutableBufferPointer { r in
            g.withUnsafeMutableBufferPointer { g in
                let gp = gradient ? g.baseAddress! : nil
                if let isa {
                    RowProducts.leastSquares(isa: isa, rows: s.rows, d: s.d, x: c.x, index: c.index, y: c.y, w: c.w,
                                             residuals: r.baseAddress!, gradient: gp)
                } else {
                    RowProducts.leastSquares(rows: s.rows, d: s.d, x: c.x, index: c.index, y: c.y, w: c.w,
                                             residuals: r.baseAddress!, gradient: gp)
                }
            }
        }
        return (r, Array(g.prefix(s.d)))
    }

    static func bits(_ v: [Double]) -> [UInt64] { v.map(\.bitPattern) }

    @Test(arguments: shapes)
    func everyInstructionSetMatchesTheGatheredProducts(_ s: Shape) {
        let c = Self.data(s), want = Self.gathered(s, c)
        for isa in [FixedOrder.ISA?.none] + FixedOrder.ISA.allCases.filter(\.isSupported).map(Optional.some) {
            let got = Self.inPlace(s, c, isa: isa, gradient: true)
            #expect(Self.bits(got.r) == Self.bits(want.r), "residuals, \(s), \(isa.map { "\($0)" } ?? "default")")
            #expect(Self.bits(got.g) == Self.bits(want.g), "gradient, \(s), \(isa.map { "\($0)" } ?? "default")")
        }
    }

    /// Without a gradient pointer the residuals are the same and nothing else is written.
    @Test(arguments: [shapes[3], shapes[4], shapes[0]])
    func residualsAloneAreTheSame(_ s: Shape) {
        let c = Self.data(s), want = Self.gathered(s, c)
        for isa in FixedOrder.ISA.allCases.filter(\.isSupported) {
            let got = Self.inPlace(s, c, isa: isa, gradient: false)
            #expect(Self.bits(got.r) == Self.bits(want.r), "\(s), \(isa)")
            #expect(got.g.allSatisfy { $0.isNaN }, "\(s), \(isa): gradient written")
        }
    }

    /// Closed form on a small case: X = [[1, 2], [3, 4], [5, 6]], rows (2, 0), w = (1, −1), y = (0.5, 0, 2).
    @Test func closedForm() {
        let c = Case(x: [1, 2, 3, 4, 5, 6], y: [0.5, 0, 2], w: [1, -1], index: [2, 0])
        for isa in FixedOrder.ISA.allCases.filter(\.isSupported) {
            let got = Self.inPlace(Shape(rows: 2, d: 2, n: 3), c, isa: isa, gradient: true)
            // r = (5 − 6 − 2, 1 − 2 − 0.5) = (−3, −1.5); g = −3·(5, 6) − 1.5·(1, 2) = (−16.5, −21).
            #expect(got.r == [-3, -1.5], "\(isa)")
            #expect(got.g == [-16.5, -21], "\(isa)")
        }
    }
}
