// Render second: REPORT.md from the analysis, figures beside it. The same result folder always
// gives the same bytes: every list is ordered explicitly and the only date is meta.finished.
// The counts come from `Tallies`, the figures from `ReportFigures` (both computed before any
// Markdown); each section is its own file (ReportHeader.swift, …Section.swift).

import Foundation
import Run
import Sweep
import Plots

/// A generated report: the Markdown and its figures (file names inside `figures/`).
public struct ReportOutput: Sendable, Equatable {
    public var markdown: String
    public var figures: [Figure]
    /// Tables beside the report (`rankings.csv`).
    public var files: [ReportFile] = []
}

/// A text file written beside REPORT.md.
public struct ReportFile: Sendable, Equatable {
    public var name: String
    public var text: String
}

public enum Report {
    /// Rows shown in a long table before the rest goes into a collapsible `<details>`.
    public static let topRows = 15
    public static let figuresFolder = "figures"

    /// Reads a result folder and builds its report (nothing is written).
    public static func generate(_ directory: URL) throws -> ReportOutput {
        generate(try ResultSet.load(directory))
    }

    public static func generate(_ results: ResultSet) -> ReportOutput {
        var w = ReportWriter(a: Analysis(results))
        return w.render()
    }

    /// Writes `REPORT.md` and `figures/*.svg` into the folder. Every file is written to a temporary
    /// name and renamed; the Markdown goes last, so a failure never leaves a report that points to
    /// missing figures. Stale SVGs of an earlier report in `figures/` are removed.
    @discardableResult
    public static func write(_ directory: URL) throws -> ReportOutput {
        let out = try generate(directory)
        try write(out, to: directory, markdownName: "REPORT.md")
        return out
    }

    static func write(_ out: ReportOutput, to directory: URL, markdownName: String) throws {
        let fm = FileManager.default
        let figures = directory.appendingPathComponent(figuresFolder)
        do { try fm.createDirectory(at: figures, withIntermediateDirectories: true) } catch {
            throw ReportError("cannot create \(figures.path): \(error.localizedDescription)")
        }
        do {
            for f in out.figures { try AtomicFile.write(f.svg, to: figures.appendingPathComponent(f.name)) }
            for f in out.files { try AtomicFile.write(f.text, to: directory.appendingPathComponent(f.name)) }
            let keep = Set(out.figures.map(\.name))
            for name in ((try? fm.contentsOfDirectory(atPath: figures.path)) ?? []).sorted()
            where name.hasSuffix(".svg") && !keep.contains(name) {
                try? fm.removeItem(at: figures.appendingPathComponent(name))
            }
            try AtomicFile.write(out.markdown, to: directory.appendingPathComponent(markdownName))
        } catch let e as SweepError {
            throw ReportError(e.description)
        }
    }
}

/// Writes the Markdown section by section. A new section is its own file (an extension with one
/// `mutating func`) and one line in `render()`.
struct ReportWriter {
    /// Seconds per step below which a sweep's per-run timings do not resolve an optimizer's
    /// overhead (timer granularity, scheduling noise): ratios are not shown there.
    static let timerFloor = 1e-6
    let a: Analysis
    let answers: Answers
    let tallies: Tallies
    /// Every figure, drawn before the Markdown; `figures` lists those linked, in order of first use.
    let drawn: ReportFigures
    var figures: [Figure] = []
    var md = ""

    init(a: Analysis) {
        self.a = a
        let answers = Answers(a)
        self.answers = answers
        let t = Tallies(a, answers)
        tallies = t
        drawn = FigureBuilder(a: a).figures(t)
    }

    var config: SweepConfig { a.config }

    mutating func line(_ s: String = "") { md += s + "\n" }

    mutating func image(_ f: Figure?) {
        guard let f else { return }
        if !figures.contains(where: { $0.name == f.name }) { figures.append(f) }
        line("![\(f.alt)](\(Report.figuresFolder)/\(f.name))")
        line()
    }

    /// A table folded into a `<details>` block (nothing when it has no rows).
    mutating func details(_ t: Table, summary: String) {
        guard !t.rows.isEmpty else { return }
        line("<details><summary>\(summary)</summary>")
        line()
        md += t.markdown
        line()
        line("</details>")
        line()
    }

    /// ` + `chain`` after a schedule when the combination has a transform chain.
    func transformSuffix(_ m: Method) -> String {
        let t = SweepConfig.chainName(config.transforms[m.transform])
        return t == "none" ? "" : " + " + Fmt.code(t)
    }

    /// The sections, in order.
    mutating func render() -> ReportOutput {
        header()
        answer()
        perProblem()
        seedsQuestions()
        adaptiveSection()
        notes()
        definitions()
        return ReportOutput(markdown: md, figures: figures, files: [ReportFile(name: "rankings.csv", text: rankingsCSV())])
    }
}
