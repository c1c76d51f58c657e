import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport
@testable import Plots

/// The rules a report figure follows (after COCO/cocopp and DeepOBS): titles fit, targets drawn,
/// a bounded number of series told apart by style, per-seed points and a chosen value marked.
@Suite struct FigureRulesTests {
    static let longTitle = "classify(model=softmax, n_train=2000, n_test=1000, batch=64): final train_loss against base rate"

    static func line(_ k: Int, style: SeriesStyle? = nil) -> Series {
        var s = Series("series \(k)", x: [1, 2, 3], y: [1, Double(k + 2), Double(2 * k + 3)])
        if let style { s.color = style.color; s.dash = style.dash; s.marker = style.marker }
        return s
    }

    // MARK: Titles

    @Test func theCheckerFindsTextLeavingTheDrawing() {
        let svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">
        <text x="50" y="20" font-size="16" text-anchor="middle" font-weight="bold">far too long for this</text>
        <text x="2" y="40" font-size="10">fits</text>
        </svg>
        """
        let found = TextFit.overflows(in: svg)
        #expect(found.map(\.text) == ["far too long for this"])
    }

    /// A title that the old layout wrapped at regular-weight widths: drawn bold, its first line
    /// reached the edge of the 800 px drawing (p6-sensitivity.svg of the standard report).
    @Test func longTitlesWrapWithinTheViewBox() {
        let chart = LineChart(title: Self.longTitle, x: .log("base learning rate"), y: .log("train_loss"),
                              series: [Series("a", x: [1e-3, 1], y: [1, 0.1])])
        let svg = chart.svg()
        #expect(TextFit.overflows(in: svg).isEmpty, "\(TextFit.overflows(in: svg))")
        let L = chart.layout()
        #expect(L.titleLines.count == 2)
        #expect(L.titleLines.allSatisfy { textWidth($0, fontSize: L.titleFontSize, bold: true) <= 800 - 40 })
    }

    @Test func aTitleWithOneLongWordShrinks() {
        let word = String(repeating: "rosenbrock_", count: 7) + "(dim=20)"
        let chart = LineChart(title: word, series: [Series("a", x: [0, 1], y: [0, 1])])
        let L = chart.layout()
        #expect(L.titleFontSize < 16)
        #expect(TextFit.overflows(in: chart.svg()).isEmpty)
        let bars = BarChart(title: word, axis: .linear("x"), bars: [Bar("a", 1)], width: 400)
        #expect(bars.layout().titleFontSize < 16)
        #expect(TextFit.overflows(in: bars.svg()).isEmpty)
    }

    @Test func everyFixtureChartKeepsItsTextInside() {
        for (name, svg) in RenderTests.charts {
            #expect(TextFit.overflows(in: svg).isEmpty, "\(name): \(TextFit.overflows(in: svg))")
        }
    }

    // MARK: Reference lines

    @Test func aTargetIsDrawnAsALabelledHorizontalLine() throws {
        let chart = LineChart(title: "loss", x: .linear("step"), y: .log("loss"),
                              series: [Series("a", x: [0, 10, 20], y: [1, 0.1, 0.01])],
                              references: [.y(1e-4, label: "main target ≤ 1e-4")])
        let L = chart.layout()
        // The target lies below every value, yet the axis reaches it.
        let r = try #require(L.references.first)
        #expect(L.yScale.domain.lowerBound <= 1e-4)
        let expected = try #require(L.yScale.pixel(1e-4, from: L.plot.maxY, to: L.plot.y))
        #expect(abs(r.from.y - expected) < 1e-9 && r.from.y == r.to.y)
        #expect(r.from.x == L.plot.x && r.to.x == L.plot.maxX)
        let svg = chart.svg()
        #expect(svg.contains("class=\"reference\""))
        #expect(svg.contains(">main target ≤ 1e-4</text>"))
        #expect(TextFit.overflows(in: svg).isEmpty)
    }

    @Test func aReferenceThatCannotBeDrawnIsNamedInANote() {
        let chart = LineChart(x: .linear("step"), y: .log("loss"), series: [Series("a", x: [0, 1], y: [1, 0.1])],
                              references: [.y(0, label: "zero"), .x(0.5, label: "chosen")])
        let L = chart.layout()
        #expect(L.references.map(\.line.label) == ["chosen"])
        #expect(L.notes.contains { $0.contains("Not shown") && $0.contains("zero") })
    }

    // MARK: Series limit and styles

    @Test func stylesByStableIndexAreDistinct() {
        let pairs = (0..<Palette.styleCount).map { "\(Palette.style($0).color.hex)\(Palette.style($0).dash)" }
        #expect(Set(pairs).count == Palette.styleCount)
        #expect(LineChart.maxSeries == 24)
        let markers = (0..<Palette.identityMarkers.count).compactMap { Palette.style($0).marker }
        #expect(Set(markers.map(\.rawValue)).count == 15)
        #expect(!markers.contains(.cross) && !markers.contains(.ring))
        // The style depends on the index alone, not on a chart.
        #expect(Palette.style(5) == Palette.style(5) && Palette.style(5) != Palette.style(6))
    }

    @Test func tooManySeriesAreSplitIntoPanels() throws {
        let chart = LineChart(title: "30 series", series: (0..<30).map { Self.line($0) })
        #expect(chart.seriesProblem()?.contains("at most 24") == true)
        let panels = chart.panels()
        #expect(panels.count == 2)
        #expect(panels.map(\.series.count) == [24, 6])
        #expect(panels.allSatisfy { $0.seriesProblem() == nil })
        // Panels share the axes of the whole chart.
        #expect(panels[0].layout().yScale.domain == panels[1].layout().yScale.domain)
        let svg = chart.svg()
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(svg.contains("30 series (panel 1 of 2)") && svg.contains("30 series (panel 2 of 2)"))
        #expect(TextFit.overflows(in: svg).isEmpty)
    }

    @Test func seriesDrawnAlikeAreAProblemAndGoToDifferentPanels() {
        let same = SeriesStyle(color: Palette.color(2), dash: .solid, marker: .circle)
        let chart = LineChart(series: [Self.line(0, style: same), Self.line(1), Self.line(2, style: same)])
        #expect(chart.seriesProblem()?.contains("same colour, dash and marker") == true)
        let panels = chart.panels()
        #expect(panels.map { $0.series.map(\.label) } == [["series 0", "series 1"], ["series 2"]])
        // Different markers tell the same colour apart.
        var other = same; other.marker = .square
        #expect(LineChart(series: [Self.line(0, style: same), Self.line(1, style: other)]).seriesProblem() == nil)
    }

    @Test func layoutRefusesTooManySeries() async {
        await #expect(processExitsWith: .failure) {
            _ = LineChart(series: (0..<25).map { FigureRulesTests.line($0) }).layout()
        }
    }

    // MARK: Loose and emphasized points

    @Test func perSeedPointsAndAChosenPointAreDrawn() throws {
        let rates = [1e-3, 1e-2, 1e-1]
        let seeds: [[Double]] = [[0.5, 0.1, 0.3], [0.6, 0.12, 0.25], [0.55, .nan, 0.35]]
        let px = rates.flatMap { r in seeds.indices.map { _ in r } }
        let py = rates.indices.flatMap { i in seeds.map { $0[i] } }
        let s = Series("adam", x: rates, y: [0.55, 0.11, 0.3], marker: .circle, markerEvery: 1, points: (px, py), emphasized: [1])
        let chart = LineChart(x: .log("lr"), y: .log("final loss"), series: [s])
        let L = chart.layout()
        #expect(L.series[0].points.count == 8) // nine runs, one without a value
        let ring = try #require(L.series[0].emphasized.first)
        #expect(L.series[0].emphasized.count == 1)
        #expect(ring == L.series[0].runs[0][1])
        let svg = chart.svg()
        #expect(svg.components(separatedBy: "class=\"emphasis\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "fill-opacity=\"0.55\"").count - 1 == 8)
        // The loose points stretch the axis: 0.6 lies above every median.
        #expect(L.yScale.domain.upperBound >= 0.6)
    }

    /// The widest label of a legend below the plot is its column's width: it must not be cut
    /// (floating-point rounding once cut "reference: adam + constant (lr 0.0316)").
    @Test func theWidestLabelBelowThePlotIsNotCut() throws {
        let labels = ["adagrad + plateau (lr 0.316)", "sgd + plateau (lr 0.316)", "sgd + step (lr 0.316)", "sgd + warmup (lr 0.316)",
                      "adagrad + inverse_time (lr 0.1)", "adagrad + step (lr 1)", "reference: adam + constant (lr 0.0316)"]
        let chart = LineChart(series: labels.enumerated().map { k, l in Series(l, x: [0, 1], y: [1, Double(k)]) }, legend: .below)
        let legend = try #require(chart.layout().legend)
        #expect(legend.labels == labels)
    }
}
