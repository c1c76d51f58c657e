// `lrbench report --compare A B`: two result sets side by side (google-benchmark's compare.py
// style): per combination, A's and B's tuned rate, steps to target and final value with B/A,
// flagged when B is worse or better; a geometric-mean row on top.

import Foundation
import Harness
import Problems

public enum Compare {
    /// Relative change beyond which a difference is flagged (10%).
    public static let tolerance = 0.10

    public enum Verdict: String, Sendable { case worse, better, same, onlyA = "only in A", onlyB = "only in B" }

    public struct Row: Sendable {
        public var problem, optimizer, schedule, transforms: String
        public var a: SummaryRow?
        public var b: SummaryRow?
        /// B/A of median steps to the main target (∞ when only A reaches it, 0 when only B does, NaN when neither).
        public var stepsRatio: Double
        /// B/A of the median final value.
        public var finalRatio: Double
        public var timeRatio: Double
        public var verdict: Verdict
    }

    static func steps(_ r: SummaryRow) -> Double { r.seeds == 0 || r.stepsMedian.isNaN ? .infinity : Swift.max(r.stepsMedian, 1) }

    /// B's verdict against A: steps first (a target lost or won, or a change beyond the
    /// tolerance); with equal steps, the final value (beyond the tolerance; higher is better for
    /// a metric its problem declares so).
    public static func verdict(a: SummaryRow, b: SummaryRow) -> (Verdict, Double, Double) {
        let sa = steps(a), sb = steps(b)
        var stepsRatio = Double.nan
        if sa.isFinite && sb.isFinite { stepsRatio = sb / sa } else if sa.isFinite { stepsRatio = .infinity } else if sb.isFinite { stepsRatio = 0 }
        let fa = a.finalMedian, fb = b.finalMedian
        let finalRatio = fa == fb ? 1 : (fa != 0 && fa.isFinite && fb.isFinite ? fb / fa : (fb.isInfinite && fa.isFinite ? .infinity : .nan))
        if !stepsRatio.isNaN {
            if stepsRatio > 1 + tolerance { return (.worse, stepsRatio, finalRatio) }
            if stepsRatio < 1 / (1 + tolerance) { return (.better, stepsRatio, finalRatio) }
        }
        let higher = a.primaryDirection == .higher
        let diverge = (a.finalMedian.isFinite, b.finalMedian.isFinite)
        if diverge == (true, false) { return (.worse, stepsRatio, finalRatio) }
        if diverge == (false, true) { return (.better, stepsRatio, finalRatio) }
        if finalRatio.isFinite && fa != fb {
            let worse = higher ? fb < fa * (1 - tolerance) : finalRatio > 1 + tolerance
            let better = higher ? fb > fa * (1 + tolerance) : finalRatio < 1 / (1 + tolerance)
            if worse { return (.worse, stepsRatio, finalRatio) }
            if better { return (.better, stepsRatio, finalRatio) }
        }
        return (.same, stepsRatio, finalRatio)
    }

    /// Every combination of B in its file order, then those only in A.
    public static func rows(_ A: ResultSet, _ B: ResultSet) -> [Row] {
        func key(_ r: SummaryRow) -> String { ResultSet.key(r.problem, r.optimizer, r.schedule, r.transforms) }
        var inA: [String: SummaryRow] = [:]
        for r in A.rows { inA[key(r)] = r }
        let keysB = Set(B.rows.map(key))
        var out: [Row] = []
        for b in B.rows {
            if let a = inA[key(b)] {
                let (v, sr, fr) = verdict(a: a, b: b)
                let tr = a.secondsPerStepMedian > 0 ? b.secondsPerStepMedian / a.secondsPerStepMedian : .nan
                out.append(Row(problem: b.problem, optimizer: b.optimizer, schedule: b.schedule, transforms: b.transforms,
                               a: a, b: b, stepsRatio: sr, finalRatio: fr, timeRatio: tr, verdict: v))
            } else {
                out.append(Row(problem: b.problem, optimizer: b.optimizer, schedule: b.schedule, transforms: b.transforms,
                               a: nil, b: b, stepsRatio: .nan, finalRatio: .nan, timeRatio: .nan, verdict: .onlyB))
            }
        }
        for a in A.rows where !keysB.contains(key(a)) {
            out.append(Row(problem: a.problem, optimizer: a.optimizer, schedule: a.schedule, transforms: a.transforms,
                           a: a, b: nil, stepsRatio: .nan, finalRatio: .nan, timeRatio: .nan, verdict: .onlyA))
        }
        return out
    }

    public static func markdown(_ A: ResultSet, _ B: ResultSet, nameA: String, nameB: String) -> String {
        let rows = rows(A, B)
        var md = "# lrbench comparison: \(nameB) against \(nameA)\n\n"
        var h = Table(["", "A (baseline)", "B"])
        h.add(["Folder", Fmt.code(nameA), Fmt.code(nameB)])
        h.add(["Sweep", Fmt.code(A.config.name), Fmt.code(B.config.name)])
        h.add(["Finished", A.meta?.finished ?? "unknown", B.meta?.finished ?? "unknown"])
        h.add(["Git commit", A.meta.map { Fmt.code($0.gitCommit) } ?? "unknown", B.meta.map { Fmt.code($0.gitCommit) } ?? "unknown"])
        h.add(["Machine", A.meta?.cpu ?? "unknown", B.meta?.cpu ?? "unknown"])
        h.add(["Runs", String(A.records.count), String(B.records.count)])
        md += h.markdown + "\n"
        let count = { (v: Verdict) in rows.filter { $0.verdict == v }.count }
        let paired = rows.filter { $0.a != nil && $0.b != nil }
        let geo = GeometricMean(paired.map(\.stepsRatio).filter { $0.isFinite && $0 > 0 })
        let finalGeo = GeometricMean(paired.map(\.finalRatio).filter { $0.isFinite && $0 > 0 })
        md += "**\(count(.worse)) worse, \(count(.better)) better, \(count(.same)) unchanged** of \(paired.count) combinations in both"
        if count(.onlyA) + count(.onlyB) > 0 { md += "; \(count(.onlyA)) only in A, \(count(.onlyB)) only in B" }
        md += ". Geometric mean of B/A: steps to the main target \(Fmt.ratio(geo.value)) (over \(geo.count) pairs where both reach it), final value \(Fmt.ratio(finalGeo.value)).\n\n"
        md += "A row is **worse** when B needs more than \(Int(tolerance * 100))% more median steps to the main target (or loses it), or, with equal steps, has a final value more than \(Int(tolerance * 100))% worse; **better** likewise. Time per step B/A is shown, not judged: timings are measurements.\n\n"
        var problems: [String] = []
        for r in rows where !problems.contains(r.problem) { problems.append(r.problem) }
        func table(_ rs: [Row]) -> String {
            var t = Table(["problem", "optimizer", "schedule", "lr A", "lr B", "steps A", "steps B", "B/A", "final A", "final B", "B/A", "time/step B/A", ""],
                          [.left, .left, .left, .right, .right, .right, .right, .right, .right, .right, .right, .right, .left])
            for r in rs {
                let flag: String
                switch r.verdict {
                case .worse: flag = "**worse**"
                case .better: flag = "better"
                case .same: flag = ""
                case .onlyA, .onlyB: flag = r.verdict.rawValue
                }
                t.add(["p\((problems.firstIndex(of: r.problem) ?? 0) + 1)", Fmt.code(r.optimizer),
                       Fmt.code(r.schedule) + (r.transforms == "none" ? "" : " + " + Fmt.code(r.transforms)),
                       r.a.map { Fmt.sig($0.tunedLR) } ?? Fmt.none, r.b.map { Fmt.sig($0.tunedLR) } ?? Fmt.none,
                       r.a.map { Fmt.steps(steps($0)) } ?? Fmt.none, r.b.map { Fmt.steps(steps($0)) } ?? Fmt.none, Fmt.ratio(r.stepsRatio),
                       r.a.map { Fmt.sig($0.finalMedian) } ?? Fmt.none, r.b.map { Fmt.sig($0.finalMedian) } ?? Fmt.none, Fmt.ratio(r.finalRatio),
                       Fmt.ratio(r.timeRatio), flag])
            }
            return t.markdown
        }
        md += "Problems: " + problems.enumerated().map { "p\($0.offset + 1) \(Fmt.code($0.element))" }.joined(separator: ", ") + ".\n\n"
        let changed = rows.filter { $0.verdict != .same }
        md += "## Changed\n\n"
        md += changed.isEmpty ? "Nothing changed beyond the tolerance.\n\n" : table(changed) + "\n"
        md += "## All combinations\n\n<details><summary>\(rows.count) rows</summary>\n\n" + table(rows) + "\n</details>\n"
        return md
    }

    /// Reads both folders, writes `COMPARE.md` into `out` (default: B). Returns the Markdown.
    @discardableResult
    public static func write(a: URL, b: URL, out: URL? = nil) throws -> String {
        let A = try ResultSet.load(a), B = try ResultSet.load(b)
        let text = markdown(A, B, nameA: a.path, nameB: b.path)
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
