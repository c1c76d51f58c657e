// `lrbench report --compare A B`: two result sets side by side (google-benchmark's compare.py
// style): per combination, A's and B's tuned rate, steps to the main target and final value
// with B/A, and the regression gate's verdict; a geometric-mean line on top. Computed by the
// gate's engine (`Gate.compare`) from the files a baseline keeps (summary.csv, targets.csv,
// sweep.yaml, meta.json), so it reads results/baseline; rendered here.

import Foundation
import Results
import Run
import Sweep

public enum Compare {
    /// Reads both folders fail-closed and compares B against the baseline A with the gate's
    /// default tolerances.
    public static func compute(a: URL, b: URL) throws -> (result: GateResult, a: ResultFiles, b: ResultFiles) {
        do {
            let A = try ResultFiles(a), B = try ResultFiles(b)
            return (try Gate.compare(baseline: A, current: B), A, B)
        } catch let e as GateError {
            throw ReportError(e.description)
        }
    }

    public static func markdown(_ r: GateResult, _ A: ResultFiles, _ B: ResultFiles, nameA: String, nameB: String) -> String {
        let rows = r.combinations
        var md = "# lrbench comparison: \(nameB) against \(nameA)\n\n"
        var h = Table(["", "A (baseline)", "B"])
        h.add(["Folder", Fmt.code(nameA), Fmt.code(nameB)])
        h.add(["Sweep", Fmt.code(A.config.name), Fmt.code(B.config.name)])
        h.add(["Finished", A.meta?.finished ?? "unknown", B.meta?.finished ?? "unknown"])
        h.add(["Git commit", A.meta.map { Fmt.code($0.gitCommit) } ?? "unknown", B.meta.map { Fmt.code($0.gitCommit) } ?? "unknown"])
        h.add(["Machine", A.meta?.cpu ?? "unknown", B.meta?.cpu ?? "unknown"])
        h.add(["Combinations", String(A.summary.count), String(B.summary.count)])
        md += h.markdown + "\n"
        let count = { (v: ComparedCombination.Verdict) in rows.filter { $0.verdict == v }.count }
        let judged = rows.filter { $0.verdict != .timeDriven }
        let geo = GeometricMean(judged.map(\.stepsRatio).filter { $0.isFinite && $0 > 0 })
        let finalGeo = GeometricMean(judged.map(\.finalRatio).filter { $0.isFinite && $0 > 0 })
        md += "**\(count(.regressed)) regressed, \(count(.improved)) improved, \(count(.nearTie)) with a changed tuned rate (near-ties), "
        md += "\(count(.unchanged)) unchanged** of \(judged.count) combinations compared"
        if count(.timeDriven) > 0 { md += "; \(count(.timeDriven)) wall-clock-driven left out" }
        md += ". Geometric mean of B/A: steps to the main target \(Fmt.ratio(geo.value)) (over \(geo.count) pairs where both reach it), final value \(Fmt.ratio(finalGeo.value)).\n\n"
        md += "Verdicts are the regression gate's (`lrbench compare`, \(r.targetsCompared) (combination, target) pairs): a combination **regressed** when it needs more steps to any target, reaches one on fewer seeds, diverges more, ends worse or tunes worse than the tolerances allow; "
        md += "**improved** likewise the other way. \(Gate.tolerancesLine(r.tolerances)) Time per step B/A is shown, not judged: timings are measurements.\n\n"
        var problems: [String] = []
        for row in rows where !problems.contains(row.key.problem) { problems.append(row.key.problem) }
        func table(_ rs: [ComparedCombination]) -> String {
            var t = Table(["problem", "optimizer", "schedule", "lr A", "lr B", "steps A", "steps B", "B/A", "final A", "final B", "B/A", "time/step B/A", ""],
                          [.left, .left, .left, .right, .right, .right, .right, .right, .right, .right, .right, .right, .left])
            func steps(_ s: SummaryRow) -> Double { s.seeds == 0 || s.stepsMedian.isNaN ? .infinity : Swift.max(s.stepsMedian, 1) }
            for c in rs {
                let a = c.baseline, b = c.current
                t.add(["p\((problems.firstIndex(of: c.key.problem) ?? 0) + 1)", Fmt.code(c.key.optimizer),
                       Fmt.code(c.key.schedule) + (c.key.transforms == "none" ? "" : " + " + Fmt.code(c.key.transforms)),
                       Fmt.sig(a.tunedLR), Fmt.sig(b.tunedLR), Fmt.steps(steps(a)), Fmt.steps(steps(b)), Fmt.ratio(c.stepsRatio),
                       Fmt.sig(a.finalMedian), Fmt.sig(b.finalMedian), Fmt.ratio(c.finalRatio), Fmt.ratio(c.timeRatio),
                       c.verdict == .regressed ? "**regressed**" : c.verdict == .unchanged ? "" : c.verdict.rawValue])
            }
            return t.markdown
        }
        md += "Problems: " + problems.enumerated().map { "p\($0.offset + 1) \(Fmt.code($0.element))" }.joined(separator: ", ") + ".\n\n"
        let changed = rows.filter { $0.verdict != .unchanged }
        md += "## Changed\n\n"
        md += changed.isEmpty ? "Nothing changed beyond the tolerances.\n\n" : table(changed) + "\n"
        md += "## All combinations\n\n<details><summary>\(rows.count) rows</summary>\n\n" + table(rows) + "\n</details>\n"
        return md
    }

    /// Reads both folders, writes `COMPARE.md` into `out` (default: B). Returns the Markdown.
    @discardableResult
    public static func write(a: URL, b: URL, out: URL? = nil) throws -> String {
        let (result, A, B) = try compute(a: a, b: b)
        let text = markdown(result, A, B, nameA: a.path, nameB: b.path)
        let dir = out ?? b
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir) {
            do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
                throw ReportError("cannot create \(dir.path): \(error.localizedDescription)")
            }
        } else if !isDir.boolValue {
            throw ReportError("\(dir.path): not a folder")
        }
        do { try AtomicFile.write(text, to: dir.appendingPathComponent("COMPARE.md")) } catch let e as SweepError {
            throw ReportError(e.description)
        }
        return text
    }
}
