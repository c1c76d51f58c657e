import Testing
import TestSupport
@testable import Plots

@Suite struct BarChartTests {
    static func relativeTime() -> BarChart {
        BarChart(title: "Time per step relative to SGD (rosenbrock, dim=1000)",
                 axis: .log("time per step / SGD's"),
                 bars: [Bar("sgd", 1), Bar("sgd (momentum=0.9)", 1.08), Bar("adam", 1.62), Bar("adamw", 1.71),
                        Bar("lion", 1.25), Bar("adagrad", 1.4), Bar("lbfgs-ish & <friends>", 0.82), Bar("broken", .nan)],
                 reference: 1, referenceLabel: "SGD", valueDigits: 3, valueSuffix: "×")
    }

    @Test func layoutPutsBarsInOrderFromTheBaseline() throws {
        let chart = BarChart(axis: .linear("value"), bars: [Bar("a", 2), Bar("b", 4), Bar("c", .nan)])
        let L = chart.layout()
        #expect(L.scale.lower == 0 && L.scale.upper == 4)
        #expect(L.rows.count == 3)
        let a = try #require(L.rows[0].bar), b = try #require(L.rows[1].bar)
        #expect(a.x == L.plot.x && b.x == L.plot.x)
        #expect(abs(a.width - L.plot.width / 2) < 1e-9)
        #expect(abs(b.width - L.plot.width) < 1e-9)
        #expect(a.y < b.y)
        #expect(L.rows[2].bar == nil)
        #expect(L.rows.map(\.valueText) == ["2", "4", "n/a"])
    }

    @Test func logBarsStartAtTheReference() throws {
        let L = Self.relativeTime().layout()
        let ref = try #require(L.reference)
        let sgd = try #require(L.rows[0].bar)
        #expect(sgd.width < 1e-9 && abs(sgd.x - ref) < 1e-9)
        let adam = try #require(L.rows[2].bar)
        #expect(abs(adam.x - ref) < 1e-9 && adam.width > 0)
        let fast = try #require(L.rows[6].bar)
        #expect(abs(fast.maxX - ref) < 1e-9)
        #expect(L.rows[2].valueText == "1.62×")
        #expect(L.rows[7].valueText == "n/a")
    }

    @Test func wellFormedAndDeterministic() {
        let svg = Self.relativeTime().svg()
        #expect(Fixtures.parse(svg).error == nil)
        #expect(svg == Self.relativeTime().svg())
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        #expect(svg.contains("lbfgs-ish &amp; &lt;friends&gt;"))
        let empty = BarChart(title: "none").svg()
        #expect(Fixtures.parse(empty).error == nil)
        #expect(empty.contains(">no data</text>"))
    }
}
