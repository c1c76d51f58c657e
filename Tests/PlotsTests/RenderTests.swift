import Foundation
import Testing
import TestSupport
@testable import Plots

/// Renders charts with a real SVG renderer (librsvg's `rsvg-convert`). Skipped, not failed, when
/// it is not installed (`apt-get install -y librsvg2-bin`; `make test` installs it).
/// Set PLOTS_PNG_DIR to keep the SVGs and PNGs for a look.
@Suite struct RenderTests {
    static var charts: [(String, String)] {
        [
            ("loss-log-bands", Fixtures.lossCurves().svg()),
            ("ecdf-steps", Fixtures.ecdf().svg()),
            ("edge-cases", Fixtures.awkward().svg()),
            ("empty", LineChart(title: "No runs finished", x: .linear("step"), y: .log("loss")).svg()),
            ("crowded-legend", Fixtures.lossCurves(count: 10, steps: 200).svg()),
            ("bars", BarChartTests.relativeTime().svg()),
            ("legend-right", Fixtures.crossing().svg()),
            ("many-series", LineChart(title: "20 series: colours × dashes, markers",
                                      series: (0..<20).map { k in Series("series \(k + 1)", x: [0, 1, 2, 3], y: [0, Double(k) * 0.5, Double(k), Double(k) * 2.5], marker: Palette.marker(k)) }).svg()),
            ("legend-below", Fixtures.longLabels().svg()),
            ("huge-range", LineChart(title: "1e-300 … 1e300", x: .log("x"), y: .log("y"),
                                     series: [Series("a", x: [1e-300, 1, 1e300], y: [1e300, 1, 1e-300], marker: .diamond)]).svg()),
            ("target-line", { var c = Fixtures.lossCurves(count: 3); c.references = [.y(1e-5, label: "main target: loss ≤ 1e-5")]; return c.svg() }()),
            ("long-title", LineChart(title: FigureRulesTests.longTitle, x: .log("base learning rate lr₀"), y: .log("train_loss"),
                                     series: [Series("adam + constant", x: [1e-3, 1e-2, 1e-1, 1], y: [1, 0.2, 0.01, 0.5], marker: .circle)]).svg()),
            ("panels", LineChart(title: "30 series in two panels", series: (0..<30).map { FigureRulesTests.line($0) }).svg()),
            ("sensitivity-points", Fixtures.sensitivity().svg()),
        ]
    }

    @Test(.enabled(if: rsvgConvert != nil, "rsvg-convert not found: install librsvg2-bin to render the figures"),
          arguments: charts.map(\.0))
    func rendersToPNG(name: String) throws {
        let svg = try #require(Self.charts.first { $0.0 == name }?.1)
        let keep = ProcessInfo.processInfo.environment["PLOTS_PNG_DIR"]
        let dir = URL(fileURLWithPath: keep ?? NSTemporaryDirectory())
            .appendingPathComponent(keep == nil ? "plots-\(UUID().uuidString)" : "")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
        let (status, message, png) = try renderSVG(svg, to: dir.appendingPathComponent("\(name).svg"),
                                                   png: dir.appendingPathComponent("\(name).png"))
        #expect(status == 0, "rsvg-convert failed on \(name): \(message)")
        #expect(message.isEmpty, "rsvg-convert warned on \(name): \(message)")
        #expect(png.count > 1000)
        #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
    }
}
