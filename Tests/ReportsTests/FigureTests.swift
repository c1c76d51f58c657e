import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
@testable import Plots
@testable import Reports

/// A tiny real sweep with three tuning seeds, a schedule list whose order differs from the order
/// of the step-driven schedules (loss_adaptive first), and the named baseline adam + constant.
let figureSweepYAML = """
name: figures
budget: 60
evaluation_interval: 5
learning_rates: {from: 1e-3, to: 1, count: 4}
seeds: {tuning: [0, 1, 2], evaluation: [3, 4]}
problems:
  - spec: quadratic(dim=6, cond=50)
    targets: {suboptimality: [1e-1, 1e-2, 1e-3]}
    main_target: {suboptimality: 1e-2}
optimizers:
  - sgd
  - adam
  - adamw
schedules:
  - loss_adaptive
  - constant
  - "cosine(T_max=budget)"
"""

enum FigureSweep {
    static let folder = runQuietly(figureSweepYAML, name: "figures")
    static let analysis = Analysis(try! ResultSet.load(folder))
    static let output = Report.generate(try! ResultSet.load(folder))
    static func figure(_ name: String) -> Figure { output.figures.first { $0.name == name }! }
}

/// The stroke colour of the legend entry labelled `label` (the swatch line drawn just before it).
func legendColor(_ svg: String, _ label: String) -> String? {
    guard let text = svg.range(of: ">\(label)</text>") else { return nil }
    let before = svg[..<text.lowerBound]
    guard let line = before.range(of: "<line ", options: .backwards) else { return nil }
    let tag = before[line.upperBound...]
    guard let s = tag.range(of: "stroke=\"") else { return nil }
    return String(tag[s.upperBound...].prefix(7))
}

@Suite struct FigureTests {
    let a = FigureSweep.analysis
    var builder: FigureBuilder { FigureBuilder(a: a) }

    @Test func convergencePlotsDrawTheMainTarget() throws {
        for name in ["p1-leading-steps.svg", "p1-optimizers-steps.svg", "p1-leading-seconds.svg", "p1-optimizers-seconds.svg"] {
            let svg = FigureSweep.figure(name).svg
            #expect(svg.components(separatedBy: "class=\"reference\"").count - 1 == 1, "\(name)")
            #expect(svg.contains(">main target: suboptimality ≤ 0.01</text>"), "\(name)")
        }
        // The builder draws the value it is given.
        let pa = a.problems[0]
        let f = builder.convergence(pa, items: a.leading(pa, count: 2), axis: .steps, what: "two", file: "x.svg", target: 0.5)
        #expect(f.svg.contains(">main target: suboptimality ≤ 0.5</text>"))
        let none = builder.convergence(pa, items: a.leading(pa, count: 2), axis: .steps, what: "two", file: "x.svg")
        #expect(!none.svg.contains("class=\"reference\""))
    }

    @Test func aScheduleKeepsItsColourAcrossFigures() throws {
        // constant is schedule 1; in the schedules figure it is the first series (loss_adaptive is
        // not step-driven), in the schedule profile the second.
        let expected = Palette.style(1).color.hex
        #expect(legendColor(FigureSweep.figure("schedules-budget-60.svg").svg, "constant") == expected)
        #expect(legendColor(FigureSweep.figure("profile-schedules.svg").svg, "constant") == expected)
        #expect(legendColor(FigureSweep.figure("schedules-budget-60.svg").svg, "cosine") == Palette.style(2).color.hex)
    }

    @Test func anOptimizerKeepsItsColourAcrossFigures() throws {
        let adamw = Palette.style(2).color.hex
        let profile = a.optimizerProfile
        // The same solver listed in another order, or alone, keeps its colour.
        let all = builder.profileFigure(profile, solvers: [0, 1, 2], title: "t", file: "a.svg", note: "")
        let reversed = builder.profileFigure(profile, solvers: [2, 0], title: "t", file: "b.svg", note: "")
        #expect(legendColor(all.svg, "adamw") == adamw)
        #expect(legendColor(reversed.svg, "adamw") == adamw)
        // In the per-problem figures adamw's line (with its best schedule) has adamw's colour too.
        let pa = a.problems[0]
        let best = try #require(a.bestPerOptimizer(pa).first { $0.method.optimizer == 2 })
        #expect(legendColor(FigureSweep.figure("p1-sensitivity.svg").svg, a.label(best.method)) == adamw)
        #expect(legendColor(FigureSweep.figure("ecdf-optimizers.svg").svg, "adamw") == adamw)
        // A combination: its optimizer's colour, its schedule's marker.
        let m = Method(optimizer: 2, schedule: 1, transform: 0)
        #expect(builder.methodStyle(m) == SeriesStyle(color: Palette.color(2), dash: .solid, marker: Palette.style(1).marker))
    }

    @Test func clashingStylesAreResolvedAndTooManyCurvesSplit() throws {
        let s = SeriesStyle(color: Palette.color(0), dash: .solid, marker: .circle)
        let out = FigureBuilder.distinct([s, s, s, Palette.style(1)])
        #expect(Set(out).count == 4)
        #expect(out[0] == s && out[3] == Palette.style(1))
        let curves = (0..<30).map { k in (label: "curve \(k)", ecdf: ReachECDF(hits: [0.1 * Double(k % 9 + 1)], total: 2)) }
        let f = builder.ecdfFigure(curves, title: "many", file: "many.svg", note: "n")
        #expect(f.svg.contains("many (panel 1 of 2)") && f.svg.contains("many (panel 2 of 2)"))
        #expect(isWellFormedXML(f.svg))
    }

    @Test func ecdfsHaveALogXAxis() throws {
        let e = ReachECDF(hits: [0.01, 0.1, 1], total: 4)
        let f = builder.ecdfFigure([("c", e)], title: "ecdf", file: "e.svg", note: "n")
        // Tick labels 0.01, 0.1 and 1 equally spaced: a log axis (a linear one from 0 has no 0.01 tick).
        func tickX(_ label: String) -> Double? {
            guard let r = f.svg.range(of: "text-anchor=\"middle\" fill=\"#222222\">\(label)</text>") else { return nil }
            let tag = f.svg[..<r.lowerBound]
            guard let x = tag.range(of: "<text x=\"", options: .backwards) else { return nil }
            return Double(tag[x.upperBound...].prefix { $0 != "\"" })
        }
        let x1 = try #require(tickX("0.01")), x2 = try #require(tickX("0.1")), x3 = try #require(tickX("1"))
        #expect(abs((x2 - x1) - (x3 - x2)) < 0.02)
        #expect(FigureBuilder.ecdfLower([e]) == 0.01)
        #expect(FigureSweep.figure("ecdf-combinations.svg").svg.contains("budget (log)</text>"))
    }

    @Test func sensitivityShowsEverySeedAndTheChosenRate() throws {
        let pa = a.problems[0]
        let items = a.bestPerOptimizer(pa)
        let svg = FigureSweep.figure("p1-sensitivity.svg").svg
        let finite = items.flatMap(\.tuning).filter { !$0.diverged && $0.finalValue.map { $0 > 0 } == true }.count
        #expect(items.allSatisfy { $0.tuning.count == 3 * 4 })
        #expect(svg.components(separatedBy: "fill-opacity=\"0.55\"").count - 1 == finite)
        #expect(svg.components(separatedBy: "class=\"emphasis\"").count - 1 == items.count)
        // The ring sits on the tuned rate of each series.
        let f = builder.sensitivity(pa, items: items, file: "p1-sensitivity.svg")
        #expect(f.svg == svg)
        for it in items {
            let s = Curves.sensitivity(it.tuning)
            #expect(s.lr.contains(it.row.tunedLR))
        }
    }

    @Test func theBaselineIsDrawnForComparison() throws {
        let pa = a.problems[0]
        let base = try #require(builder.baseline(pa))
        #expect(a.label(base.method) == "adam + constant")
        for (name, items) in [("p1-leading-steps.svg", a.leading(pa, count: FigureBuilder.leadingCount)),
                              ("p1-optimizers-steps.svg", a.bestPerOptimizer(pa))] {
            let drawn = FigureSweep.figure(name).svg.contains("reference: adam + constant")
            #expect(drawn == !items.contains { $0.method == base.method }, "\(name)")
        }
        let one = builder.convergence(pa, items: [pa.ranked.first { $0.method != base.method }!], axis: .steps, what: "one",
                                      file: "o.svg", reference: base)
        #expect(one.svg.contains("reference: adam + constant"))
        #expect(legendColor(one.svg, "reference: adam + constant (lr \(Fmt.sig(base.row.tunedLR)))") == "#7A7A7A")
    }

    @Test(.enabled(if: rsvgConvert != nil, "rsvg-convert not found: install librsvg2-bin to render the figures"))
    func everyFigureOfThisSweepRenders() throws {
        for f in FigureSweep.output.figures {
            #expect(isWellFormedXML(f.svg), "\(f.name) is not well-formed")
            let r = try render(f.svg, name: f.name)
            #expect(r.status == 0 && r.message.isEmpty, "rsvg-convert on \(f.name): \(r.message)")
        }
    }

    @Test func everyFigureKeepsItsTextInside() throws {
        let outputs = [FigureSweep.output, Report.generate(try ResultSet.load(TinySweep.folder)), try Report.generate(try HandMade.folder())]
        for f in outputs.flatMap(\.figures) {
            #expect(TextFit.overflows(in: f.svg).isEmpty, "\(f.name): \(TextFit.overflows(in: f.svg))")
        }
    }

    /// The standard sweep's lists (10 optimizers, 14 schedules): every optimizer, schedule and
    /// combination has a style of its own, and the figures of all schedules need no panels.
    @Test func theStandardSweepsListsGetDistinctStyles() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = temporaryDirectory("standard-lists")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: repo.appendingPathComponent("Benchmarks/sweeps/standard.yaml"), to: dir.appendingPathComponent("sweep.yaml"))
        try Data().write(to: dir.appendingPathComponent("runs.jsonl"))
        let a = Analysis(try ResultSet.load(dir))
        let b = FigureBuilder(a: a)
        #expect(a.config.schedules.count == 14 && a.config.optimizers.count >= 10)
        #expect(Set(a.config.optimizers.indices.map(b.optimizerStyle)).count == a.config.optimizers.count)
        #expect(Set(a.config.schedules.indices.map(b.scheduleStyle)).count == a.config.schedules.count)
        #expect(Set(a.methods.filter { $0.transform == 0 }.map(b.methodStyle)).count == a.config.optimizers.count * a.config.schedules.count)
        let schedules = try #require(b.scheduleFigure(budget: 1000))
        let profile = b.profileFigure(a.scheduleProfile, solvers: Array(a.config.schedules.indices), title: "Performance profile of the schedules, each with its best optimizer per problem", file: "p.svg", note: "n")
        for f in [schedules, profile] {
            #expect(!f.svg.contains("(panel "), "\(f.name)")
            #expect(TextFit.overflows(in: f.svg).isEmpty, "\(f.name): \(TextFit.overflows(in: f.svg))")
            #expect(isWellFormedXML(f.svg))
        }
    }
}
