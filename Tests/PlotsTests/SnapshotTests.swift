// Pinned SVG bytes: a fingerprint of every chart below, recorded from LineChart before it was
// split into model, layout and SVG files (issue 12). A change to any byte of any of them fails;
// when a change to the drawing is meant, the failure prints the new fingerprint to pin.

import Foundation
import Testing
@testable import Plots

/// Charts whose SVG bytes are pinned: every legend placement, panels, references, steps, bands,
/// loose and emphasized points, empty and degenerate data, and a bar chart.
enum SnapshotCharts {
    static func line(_ k: Int) -> Series { Series("series \(k)", x: [1, 2, 3], y: [1, Double(k + 2), Double(2 * k + 3)]) }

    static var all: [(name: String, svg: () -> String)] {
        [
            ("loss", { Fixtures.lossCurves().svg() }),
            ("loss-10", { Fixtures.lossCurves(count: 10).svg() }),
            ("sensitivity", { Fixtures.sensitivity().svg() }),
            ("ecdf", { Fixtures.ecdf().svg() }),
            ("awkward", { Fixtures.awkward().svg() }),
            ("crossing", { Fixtures.crossing().svg() }),
            ("long-labels", { Fixtures.longLabels().svg() }),
            ("empty", { LineChart(title: "empty").svg() }),
            ("huge", { LineChart(title: "huge", x: .log("x"), y: .log("y"),
                                 series: [Series("a", x: [1e-300, 1, 1e300], y: [1e300, 1, 1e-300])]).svg() }),
            ("constant", { LineChart(series: [Series("c", x: [3], y: [7])]).svg() }),
            ("panels", { LineChart(title: "30 series in two panels", series: (0..<30).map(line)).svg() }),
            ("right", { var c = Fixtures.lossCurves(count: 3); c.legend = .right; return c.svg() }),
            ("below", { var c = Fixtures.lossCurves(count: 3); c.legend = .below; return c.svg() }),
            ("bottom-left", { var c = Fixtures.lossCurves(count: 3); c.legend = .inside(.bottomLeft); return c.svg() }),
            ("references", { LineChart(title: "targets", x: .log("rate"), y: .linear("value"),
                                       series: [Series("s", x: [0.001, 0.01, 0.1, 1], y: [3, 1, 2, .nan], marker: .circle, markerEvery: 1,
                                                       points: ([0.001, 0.01, 0.1], [3.2, 0.9, 2.1]), emphasized: [1])],
                                       references: [.y(1.5, label: "main target: value ≤ 1.5"), .x(0.01, label: "chosen"),
                                                    .y(-5, label: "below the axis")]).svg() }),
            ("bars", { BarChart(title: "time per step", axis: .log("time per step / sgd's"),
                                bars: [Bar("sgd", 1), Bar("adam", 1.7), Bar("lion", 0.8), Bar("none", .nan)],
                                reference: 1, referenceLabel: "sgd", valueSuffix: "×", notes: ["a note"]).svg() }),
        ]
    }

    /// FNV-1a (64 bit) of the UTF-8 bytes: a short, exact fingerprint of an SVG.
    static func fingerprint(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return String(h, radix: 16) + "/" + String(s.utf8.count)
    }
}

@Suite struct SnapshotTests {
    static let pinned: [(String, String)] = [
        ("loss", "9fa2fd14c11cf24e/30897"),
        ("loss-10", "cb597642bb3e68a1/49350"),
        ("sensitivity", "f51da764feee27c9/22780"),
        ("ecdf", "3cf9687c98e28697/9174"),
        ("awkward", "d3f69c8d7626efe/12416"),
        ("crossing", "c7126675f6df7bfd/21593"),
        ("long-labels", "fc2f005b32e29728/9901"),
        ("empty", "3af8a9a54517075a/740"),
        ("huge", "5fdaf9d0a35f6926/3681"),
        ("constant", "d8bdb4713753f819/2830"),
        ("panels", "1109c7f3436ab9a6/15271"),
        ("right", "586c9c9908ce0ac7/18797"),
        ("below", "5aa315c575eb3d06/18705"),
        ("bottom-left", "4114552cadb955ad/18857"),
        ("references", "171aadaa483c126d/5414"),
        ("bars", "b08a2555e531a202/2505"),
    ]

    @Test func everyPinnedChartKeepsItsBytes() {
        let charts = SnapshotCharts.all
        #expect(charts.map(\.name) == Self.pinned.map(\.0))
        for (name, svg) in charts {
            let expected = Self.pinned.first { $0.0 == name }?.1
            #expect(SnapshotCharts.fingerprint(svg()) == expected, "\(name) changed")
        }
    }

    @Test func theFingerprintSeesOneByte() {
        #expect(SnapshotCharts.fingerprint("<svg/>") != SnapshotCharts.fingerprint("<svg />"))
        #expect(SnapshotCharts.fingerprint("") == "cbf29ce484222325/0")
    }
}
