import Foundation
import Testing
import TestSupport
@testable import Plots

@Suite struct LineChartGeometryTests {
    @Test func pointsMapIntoThePlotRectangle() throws {
        let chart = LineChart(x: .linear("x"), y: .linear("y"),
                              series: [Series("a", x: [0, 5, 10], y: [0, 5, 10])], legend: .none)
        let L = chart.layout()
        #expect(L.xScale.lower == 0 && L.xScale.upper == 10)
        let run = try #require(L.series[0].runs.first)
        #expect(run.count == 3)
        #expect(run[0] == Point(L.plot.x, L.plot.maxY))
        #expect(run[1] == Point(L.plot.x + L.plot.width / 2, L.plot.y + L.plot.height / 2))
        #expect(run[2] == Point(L.plot.maxX, L.plot.y))
    }

    @Test func nanBreaksTheLineIntoTwoPaths() {
        let chart = LineChart(series: [Series("a", x: [0, 1, 2, 3, 4], y: [1, 2, .nan, 3, 4])], legend: .none)
        let L = chart.layout()
        #expect(L.series[0].runs.map(\.count) == [2, 2])
        let svg = chart.svg()
        #expect(Fixtures.count("class=\"line s0\"", in: svg) == 2)
        #expect(!svg.contains("nan") && !svg.contains("NaN"))
    }

    @Test func isolatedPointIsDrawnAsADot() {
        let chart = LineChart(series: [Series("a", x: [0, 1, 2], y: [.nan, 2, .nan])], legend: .none)
        let svg = chart.svg()
        #expect(chart.layout().series[0].runs.map(\.count) == [1])
        #expect(svg.contains("<circle class=\"line s0\""))
    }

    @Test func logAxisDropsNonPositiveAndSaysSo() {
        let chart = LineChart(y: .log("loss"), series: [Series("a", x: [0, 1, 2, 3, 4], y: [1, 0.1, 0, 0.01, -1])])
        let L = chart.layout()
        #expect(L.series[0].runs.map(\.count) == [2, 1])
        #expect(L.yScale.lower == -2 && L.yScale.upper == 0)
        #expect(L.notes.contains("2 values ≤ 0 not shown (log y axis)."))
        #expect(chart.svg().contains("2 values ≤ 0 not shown (log y axis)."))
    }

    @Test func divergenceIsMarkedAndNoted() {
        let chart = LineChart(y: .log(), series: [Series("a", x: [0, 1, 2, 3], y: [1, 10, .infinity, .infinity])])
        let L = chart.layout()
        #expect(L.series[0].runs.map(\.count) == [2])
        #expect(L.series[0].divergences.count == 1)
        #expect(L.series[0].divergences.first == L.series[0].runs[0].last)
        #expect(L.notes.first == "× marks the last finite value of a run that diverged.")
    }

    @Test func aGapIsNotADivergence() {
        let chart = LineChart(series: [Series("a", x: [0, 1, 2, 3], y: [1, .nan, .infinity, 2])])
        let L = chart.layout()
        #expect(L.series[0].runs.map(\.count) == [1, 1])
        #expect(L.series[0].divergences.isEmpty)
        #expect(L.notes.isEmpty)
    }

    @Test func stepsAreDrawnAsSteps() throws {
        let chart = LineChart(x: .linear(), y: .linear(lower: 0, upper: 1),
                              series: [Series("ecdf", x: [0, 1, 2], y: [0, 0.5, 1], interpolation: .steps)], legend: .none)
        let L = chart.layout()
        let run = try #require(L.series[0].runs.first)
        let xs = run.map { ($0.x - L.plot.x) / L.plot.width * 2 }
        let ys = run.map { (L.plot.maxY - $0.y) / L.plot.height }
        #expect(xs == [0, 1, 1, 2, 2])
        #expect(ys == [0, 0, 0.5, 0.5, 1])
    }

    @Test func bandIsAPolygonBehindTheLine() throws {
        let chart = LineChart(series: [Series("a", x: [0, 1, 2], y: [1, 2, 3], band: Band(lower: [0, 1, 2], upper: [2, 3, 4]))],
                              legend: .none)
        let L = chart.layout()
        let poly = try #require(L.series[0].bands.first)
        #expect(poly.count == 6)
        // Upper edge left to right, then lower edge right to left.
        #expect(poly[0].x < poly[2].x && poly[3].x > poly[5].x)
        #expect(poly.prefix(3).map(\.y) == poly.suffix(3).reversed().map { $0.y - L.plot.height / 2 })
        let svg = chart.svg()
        let band = try #require(svg.range(of: "class=\"band s0\""))
        let line = try #require(svg.range(of: "class=\"line s0\""))
        #expect(band.lowerBound < line.lowerBound)
    }

    @Test func emptyChartSaysNoData() {
        for chart in [LineChart(title: "nothing"), LineChart(series: [Series("a", x: [], y: [])]),
                      LineChart(y: .log(), series: [Series("a", x: [1, 2], y: [0, -1])]),
                      LineChart(series: [Series("a", x: [.nan], y: [.infinity])])] {
            let L = chart.layout()
            #expect(L.isEmpty)
            #expect(L.legend == nil)
            let svg = chart.svg()
            #expect(svg.contains(">no data</text>"))
            #expect(Fixtures.parse(svg).error == nil)
        }
    }

    @Test func mismatchedLengthsUseTheShorter() {
        let chart = LineChart(series: [Series("a", x: [0, 1, 2, 3], y: [1, 2])], legend: .none)
        #expect(chart.layout().series[0].pointCount == 2)
    }

    @Test func seriesWithoutDataIsLabelledInTheLegend() throws {
        let chart = LineChart(series: [Series("a", x: [0, 1], y: [0, 1]), Series("b", x: [], y: [])])
        let legend = try #require(chart.layout().legend)
        #expect(legend.labels == ["a", "b (no data)"])
    }

    @Test func styleCyclesBeyondEightSeries() {
        let series = (0..<10).map { Series("s\($0)", x: [0, 1], y: [Double($0), Double($0) + 1]) }
        let L = LineChart(series: series).layout()
        #expect(L.series[8].color == L.series[0].color)
        #expect(L.series[8].dash == .dashed && L.series[0].dash == .solid)
        #expect(LineChart(series: series).svg().contains("stroke-dasharray"))
    }
}

@Suite struct MarkerAndIdTests {
    @Test func markersAreDrawnInsideThePlotOnly() {
        let chart = LineChart(x: .linear(lower: 0, upper: 2),
                              series: [Series("a", x: [0, 1, 2, 3], y: [0, 1, 2, 3], marker: .square, markerEvery: 1)], legend: .none)
        let L = chart.layout()
        #expect(L.series[0].markers.count == 4)
        // The point at x = 3 lies right of the fixed x range: its marker is not drawn.
        #expect(Fixtures.count("stroke=\"#FFFFFF\" stroke-width=\"0.8\"", in: chart.svg()) == 3)
    }

    @Test func paletteMarkersNeverUseTheDivergenceCross() {
        #expect((0..<64).allSatisfy { Palette.marker($0) != .cross })
        #expect(Palette.marker(0) == .circle && Palette.marker(1) == .square)
    }

    @Test func clipIdIsSanitised() {
        let svg = LineChart(series: [Series("a", x: [0, 1], y: [0, 1])], idPrefix: "fig 1 <&>").svg()
        #expect(svg.contains("<clipPath id=\"fig1-plot-area\">"))
        #expect(svg.contains("clip-path=\"url(#fig1-plot-area)\""))
    }
}

@Suite struct LegendPlacementTests {
    @Test func decreasingCurvesPutTheLegendTopRight() throws {
        let x = (0...100).map(Double.init)
        let chart = LineChart(y: .log(), series: [Series("a", x: x, y: x.map { exp(-$0 / 10) }),
                                                  Series("b", x: x, y: x.map { exp(-$0 / 30) })])
        #expect(chart.layout().legend?.position == .inside(.topRight))
    }

    @Test func bandsKeepTheLegendAway() throws {
        let chart = Fixtures.lossCurves()
        let L = chart.layout()
        let legend = try #require(L.legend)
        #expect(chart.coverage(legend.frame, L.series) == 0)
        #expect(legend.position == .inside(.bottomLeft))
    }

    @Test func increasingCurvesAvoidTheTopRight() throws {
        let x = (0...100).map(Double.init)
        let chart = LineChart(series: [Series("up", x: x, y: x.map { $0 * $0 }), Series("up2", x: x, y: x.map { $0 * 50 })])
        let L = chart.layout()
        let legend = try #require(L.legend)
        #expect(legend.position == .inside(.topLeft))
        // The chosen box covers no drawn point.
        #expect(chart.coverage(legend.frame, L.series) == 0)
    }

    @Test func crowdedCornersPushTheLegendOutside() throws {
        // Lines along all four edges: no corner is free.
        let x = (0...100).map(Double.init)
        let chart = LineChart(series: (0...10).map { k in Series("y = \(k)", x: x, y: x.map { _ in Double(k) }) })
        let L = chart.layout()
        let legend = try #require(L.legend)
        #expect(legend.position == .right)
        #expect(legend.frame.x >= L.plot.maxX)
        #expect(legend.frame.maxX <= L.width)
    }

    @Test func longLabelsGoBelow() throws {
        let x = (0...10).map(Double.init)
        let long = "adamw(betas=0.9;0.999, weight_decay=0.01) + sequential(linear warm-up, cosine) lr=3e-4"
        let chart = LineChart(series: [Series(long, x: x, y: x), Series(long + " (2)", x: x, y: x.reversed())])
        let L = chart.layout()
        let legend = try #require(L.legend)
        #expect(legend.position == .below)
        #expect(legend.frame.y >= L.plot.maxY)
        #expect(legend.frame.maxX <= L.width)
        #expect(legend.frame.maxY <= L.height)
    }

    @Test func explicitPlacementIsHonoured() {
        let chart = LineChart(series: [Series("a", x: [0, 1], y: [0, 1])], legend: .inside(.bottomRight))
        #expect(chart.layout().legend?.position == .inside(.bottomRight))
        var none = chart
        none.legend = .none
        #expect(none.layout().legend == nil)
    }
}

@Suite struct SVGOutputTests {
    static let charts: [(String, LineChart)] = [
        ("loss", Fixtures.lossCurves()),
        ("ecdf", Fixtures.ecdf()),
        ("awkward", Fixtures.awkward()),
        ("empty", LineChart(title: "empty")),
        ("huge", LineChart(title: "huge", x: .log("x"), y: .log("y"),
                           series: [Series("a", x: [1e-300, 1, 1e300], y: [1e300, 1, 1e-300])])),
        ("constant", LineChart(series: [Series("c", x: [3], y: [7])])),
        ("many", LineChart(series: (0..<20).map { k in Series("series \(k)", x: [0, 1, 2], y: [0, Double(k), Double(2 * k)], marker: Palette.marker(k)) })),
    ]

    @Test(arguments: charts.map(\.0))
    func wellFormedAndFinite(name: String) throws {
        let chart = try #require(Self.charts.first { $0.0 == name }?.1)
        let svg = chart.svg()
        let parsed = Fixtures.parse(svg)
        #expect(parsed.error == nil, "\(name): \(String(describing: parsed.error))")
        #expect(parsed.elements.first == "svg")
        for bad in ["nan", "NaN", "inf", "-0 ", "-0\"", "-0L", "e+"] {
            #expect(!svg.contains(bad), "\(name) contains \(bad)")
        }
        #expect(svg.contains("viewBox=\"0 0 800 480\""))
        #expect(svg.contains("width=\"800\" height=\"480\""))
        #expect(svg.contains("font-family=\"sans-serif\""))
        #expect(svg.contains("fill=\"#FFFFFF\""))
        // Every font size is at least 12 px.
        for part in svg.components(separatedBy: "font-size=\"").dropFirst() {
            let size = Double(part.prefix { $0 != "\"" }) ?? 0
            #expect(size >= 12)
        }
        // At most two decimals in any number.
        #expect(svg.range(of: #"\d\.\d{3}"#, options: .regularExpression) == nil)
    }

    @Test func textIsEscapedAndReadBack() {
        let svg = Fixtures.awkward().svg()
        let parsed = Fixtures.parse(svg)
        #expect(parsed.error == nil)
        #expect(parsed.text.contains("Edge cases: <b> & \"double\" 'single'"))
        #expect(parsed.text.contains("gap at 20 & <tag>"))
        #expect(parsed.text.contains("x & y < z"))
        #expect(svg.contains("&lt;b&gt; &amp; &quot;double&quot; &apos;single&apos;"))
    }

    @Test func deterministic() {
        for (_, chart) in Self.charts {
            #expect(chart.svg() == chart.svg())
        }
        #expect(Fixtures.lossCurves().svg() == Fixtures.lossCurves().svg())
    }

    @Test func tickLabelsAppear() {
        let svg = Fixtures.lossCurves().svg()
        for label in [">1e-5<", ">1e-4<", ">0.01<", ">1<", ">0<", ">400<", ">loss<", ">step<"] {
            #expect(svg.contains(label), "missing \(label)")
        }
    }
}
