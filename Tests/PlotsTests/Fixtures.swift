import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Plots

/// Deterministic test data and helpers shared by the chart tests.
enum Fixtures {
    /// A small deterministic generator (SplitMix64) so fixtures do not depend on the platform RNG.
    struct Mix {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) / Double(1 << 53)
        }
    }

    /// Six loss curves on a log y axis with min–max bands over seeds, like a benchmark report.
    static func lossCurves(count: Int = 6, steps: Int = 400) -> LineChart {
        let names = ["sgd + constant", "sgd + cosine", "adam + constant", "adam + cosine",
                     "adamw + one-cycle", "lion + warmup-cosine", "rmsprop + step", "nadam + linear",
                     "radam + constant", "adagrad + constant"]
        var rng = Mix(state: 7)
        var series: [Series] = []
        for k in 0..<count {
            let rate = 0.004 + 0.006 * Double(k)
            let floor = 1e-6 * pow(10, Double(k % 4))
            var x: [Double] = [], med: [Double] = [], lo: [Double] = [], hi: [Double] = []
            for i in stride(from: 0, through: steps, by: 4) {
                let t = Double(i)
                let base = 10 * exp(-rate * t) + floor
                let noise = 1 + 0.15 * (rng.next() - 0.5)
                x.append(t)
                med.append(base * noise)
                lo.append(base * noise * 0.6)
                hi.append(base * noise * 1.7)
            }
            series.append(Series(names[k % names.count], x: x, y: med, band: Band(lower: lo, upper: hi)))
        }
        return LineChart(title: "Rosenbrock (dim=2): loss vs. step, median and min–max over 5 seeds",
                         x: .linear("step"), y: .log("loss"), series: series)
    }

    /// A sensitivity plot: median over three seeds per rate, each seed's value as a point, a ring
    /// on the chosen rate, open and filled identity markers.
    static func sensitivity() -> LineChart {
        var rng = Mix(state: 5)
        let rates = [1e-4, 1e-3, 1e-2, 1e-1, 1]
        let series = (0..<4).map { k -> Series in
            let best = 1 + k % 3
            let seeds = rates.indices.map { i in (0..<3).map { _ in pow(10, -Double(3 - abs(i - best)) - Double(k) * 0.3 + 0.4 * rng.next()) } }
            let median = seeds.map { $0.sorted()[1] }
            return Series("optimizer \(k) + schedule \(k)", x: rates, y: median, style: Palette.style(k * 7), markerEvery: 1,
                          points: (rates.flatMap { r in [r, r, r] }, seeds.flatMap { $0 }),
                          emphasized: [median.indices.min { median[$0] < median[$1] }!])
        }
        return LineChart(title: "Final loss against base rate (median, each seed, chosen rate)", x: .log("base learning rate lr₀"),
                         y: .log("final loss"), series: series)
    }

    /// An ECDF / performance-profile chart drawn as steps.
    static func ecdf() -> LineChart {
        var rng = Mix(state: 11)
        let names = ["adam", "sgd (momentum=0.9)", "lion", "rmsprop"]
        var series: [Series] = []
        for (k, name) in names.enumerated() {
            var samples = (0..<15).map { _ in pow(10, 1 + 3 * rng.next() + 0.4 * Double(k)) }
            samples.sort()
            let x = [samples[0]] + samples
            let y = [0.0] + samples.indices.map { Double($0 + 1) / Double(samples.count) }
            series.append(Series(name, x: x, y: y, marker: k == 0 ? .circle : nil, interpolation: .steps))
        }
        return LineChart(title: "Steps to reach loss < 1e-6 (ECDF over problems)",
                         x: .log("steps to target"), y: .linear("fraction of problems solved", lower: 0, upper: 1),
                         series: series)
    }

    /// Awkward input: NaN, infinity, zeros on a log axis, odd labels.
    static func awkward() -> LineChart {
        let x = (0..<50).map(Double.init)
        var a = x.map { 5 * exp(-$0 / 10) + 0.01 }
        a[20] = .nan
        var diverged = x.map { 2 * exp($0 / 12) }
        for i in 30..<50 { diverged[i] = .infinity }
        var zeros = x.map { exp(-$0 / 5) }
        for i in 40..<50 { zeros[i] = 0 }
        zeros[5] = -1
        return LineChart(title: "Edge cases: <b> & \"double\" 'single'",
                         x: .linear("x & y < z"), y: .log("loss > 0"),
                         series: [
                             Series("gap at 20 & <tag>", x: x, y: a),
                             Series("diverges at 30", x: x, y: diverged, band: Band(lower: diverged.map { $0 / 2 }, upper: diverged.map { $0 * 2 })),
                             Series("hits zero \"exactly\"", x: x, y: zeros, marker: .square),
                         ])
    }

    /// Curves that cross every corner, so the legend must go outside (right).
    static func crossing() -> LineChart {
        let x = (0...60).map { Double($0) / 60 }
        let series = (0..<6).map { k -> Series in
            let phase = Double(k) * 0.5
            let y = x.map { 0.5 + 0.45 * sin(2 * Double.pi * (1.5 * $0 + phase / 3)) }
            return Series("schedule \(k + 1)", x: x, y: y, band: Band(lower: y.map { $0 - 0.05 }, upper: y.map { $0 + 0.05 }),
                          marker: k == 0 ? .circle : nil, markerEvery: 6)
        }
        return LineChart(title: "Learning rate over training (normalised)", x: .linear("fraction of budget"),
                         y: .linear("lr / peak lr"), series: series)
    }

    /// Labels too long for a legend on the right: it goes below, in columns.
    static func longLabels() -> LineChart {
        let x = (0...100).map(Double.init)
        let specs = ["adamw(betas=0.9;0.999, weight_decay=0.01) + one_cycle(max_lr=3e-3)",
                     "sgd(momentum=0.9, nesterov=true) + cosine(T_max=100, eta_min=1e-5)",
                     "lion(betas=0.9;0.99) + sequential(linear(start_factor=0.1), cosine)",
                     "rmsprop(alpha=0.99) + step(step_size=30, gamma=0.1)"]
        let series = specs.enumerated().map { k, name in
            Series(name, x: x, y: x.map { sin($0 / 15 + Double(k)) + Double(k) * 0.3 })
        }
        return LineChart(title: "Gradient norm", x: .linear("step"), y: .linear("‖g‖"), series: series)
    }

    /// Parses `svg` with XMLParser; returns the error (nil when well-formed) and the text content.
    static func parse(_ svg: String) -> (error: Error?, text: String, elements: [String]) {
        let parser = XMLParser(data: Data(svg.utf8))
        let delegate = Collector()
        parser.delegate = delegate
        let ok = parser.parse()
        return (ok ? nil : (parser.parserError ?? NSError(domain: "xml", code: 1)), delegate.text, delegate.elements)
    }

    final class Collector: NSObject, XMLParserDelegate {
        var text = ""
        var elements: [String] = []
        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            elements.append(elementName)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    /// Counts non-overlapping occurrences of `needle`.
    static func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }
}
