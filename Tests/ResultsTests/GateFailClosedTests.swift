import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep

/// The gate fails closed: a result set with a planned combination missing, or a cell that is not
/// what it should be, is an error (exit 2), never a pass.
@Suite(.serialized) struct GateFailClosedTests {
    /// One sweep for the whole suite (the baseline); each test edits copies of it.
    static let base: URL = try! gateRun("fail-closed-base")

    func copy(_ name: String) throws -> URL {
        let dir = temporaryDirectory(name).appendingPathComponent("set")
        try FileManager.default.copyItem(at: Self.base, to: dir)
        return dir
    }

    /// Rewrites the data lines (header kept) of a CSV in `dir`: `edit` gets the fields and the
    /// data line's index and returns the new fields, or nil to drop the line.
    func edit(_ dir: URL, _ file: String, _ edit: (inout [String], Int) -> Bool) throws {
        let url = dir.appendingPathComponent(file)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        var out = [lines[0]]
        for (i, line) in lines.dropFirst().enumerated() {
            var fields = CSV.split(line)
            if edit(&fields, i) { out.append(fields.map(Summary.quote).joined(separator: ",")) }
        }
        try (out.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    func column(_ name: String) -> Int { Summary.header.firstIndex(of: name)! }

    func gateError(_ baseline: URL, _ current: URL, failOnTime: Bool = false) -> String? {
        var t = GateTolerances()
        t.failOnTime = failOnTime
        do {
            let r = try Gate.compare(baseline: ResultFiles(baseline), current: ResultFiles(current), tolerances: t)
            Issue.record("expected the gate to refuse, it \(r.failed ? "failed" : "passed") (\(r.compared) combinations)")
            return nil
        } catch let e as GateError {
            return e.description
        } catch {
            Issue.record("not a GateError: \(error)")
            return nil
        }
    }

    @Test func aHalfResultSetIsRefused() throws {
        let half = try copy("half-summary")
        try edit(half, "summary.csv") { _, i in i % 2 == 0 }
        let summary = half.appendingPathComponent("summary.csv").path
        #expect(gateError(Self.base, half)?.hasPrefix("incomplete result set: \(summary): no row for quadratic(dim=10, cond=100) | sgd | cosine(T_max=budget) | none (9 of the 18 planned combinations missing)") == true)
        // Either side: a baseline with half its rows is refused too.
        #expect(gateError(half, Self.base)?.hasPrefix("incomplete result set: \(summary)") == true)
        let fewerTargets = try copy("half-targets")
        try edit(fewerTargets, "targets.csv") { _, i in i % 2 == 1 }
        #expect(gateError(Self.base, fewerTargets)?.hasPrefix("incomplete result set: \(fewerTargets.path)/targets.csv: no row for quadratic(dim=10, cond=100) | sgd | constant | none @ suboptimality<=0.1 (") == true)
    }

    @Test func aRegressedCombinationThatIsMissingIsRefused() throws {
        let broken = try gateRun("fail-closed-broken", overrides: MethodOverrides(optimizers: ["adam": UncorrectedSecondMomentAdam.self]))
        #expect(try Gate.compare(baseline: ResultFiles(Self.base), current: ResultFiles(broken)).failed)
        // The regressed combinations' rows removed: not a pass.
        for file in ["summary.csv", "targets.csv"] { try edit(broken, file) { f, _ in f[1] != "adam" } }
        #expect(gateError(Self.base, broken)?.hasPrefix("incomplete result set: \(broken.path)/summary.csv: no row for quadratic(dim=10, cond=100) | adam | constant | none (6 of the 18") == true)
    }

    @Test func aNaNOrTextBaselineCellCannotHideARegression() throws {
        // A planted 1000× worse final value, caught against the intact baseline.
        let current = try copy("planted")
        let final = column("final_value_median")
        var planted = -1
        try edit(current, "summary.csv") { f, i in
            if planted < 0, f[column("time_driven")] == "false", let x = Double(f[final]), x > 1e-6 {
                f[final] = (x * 1000).description
                planted = i
            }
            return true
        }
        try #require(planted >= 0)
        let result = try Gate.compare(baseline: ResultFiles(Self.base), current: ResultFiles(current))
        #expect(result.regressions.map(\.kind) == [.worseFinal])
        for cell in ["nan", "NaN", "n/a", ""] {
            let baseline = try copy("nan-base")
            try edit(baseline, "summary.csv") { f, i in
                if i == planted { f[final] = cell }
                return true
            }
            #expect(gateError(baseline, current) == "malformed result set: \(baseline.path)/summary.csv:\(planted + 2): final_value_median must be a number (not nan), got '\(cell)'")
        }
        // The same in targets.csv: steps that read nan hide a slower combination.
        let slower = try copy("slower")
        try edit(slower, "targets.csv") { f, i in
            if i == 0 { f[8] = f[8].split(separator: ";").map { _ in "1000.0" }.joined(separator: ";"); f[7] = "1000.0"; f[6] = "2" }
            return true
        }
        #expect(try Gate.compare(baseline: ResultFiles(Self.base), current: ResultFiles(slower)).failed)
        let nanSteps = try copy("nan-steps")
        try edit(nanSteps, "targets.csv") { f, i in
            if i == 0 { f[8] = "nan;nan"; f[7] = "nan" }
            return true
        }
        #expect(gateError(nanSteps, slower) == "malformed result set: \(nanSteps.path)/targets.csv:2: steps must be numbers (steps, or inf: never reached) separated by ';', got 'nan;nan'")
    }

    @Test func everyCellIsChecked() throws {
        // One damaged cell at a time, each named with its file, line and column.
        let cases: [(String, String, String, String)] = [
            ("summary.csv", "seeds", "1", "2 (the evaluation seeds)"),
            ("summary.csv", "tuned_lr", "0.5", "a rate of the grid in sweep.yaml"),
            ("summary.csv", "diverged", "-1", "a whole number of seeds from 0 to 2"),
            ("summary.csv", "time_driven", "yes", "true or false"),
            ("summary.csv", "tuning_score", "nan", "a number (not nan)"),
            ("summary.csv", "success_rate", "2", "a number from 0 to 1 (not nan)"),
            ("summary.csv", "main_target", "loss<=1", "suboptimality<=0.001 (the main target of sweep.yaml)"),
            ("targets.csv", "reached", "0", "2 (the finite steps)"),
            ("targets.csv", "steps_median", "12345.0", "%@ (the median of steps)"),
        ]
        for (file, name, value, expected) in cases {
            let dir = try copy("cell-\(name)")
            let header = file == "summary.csv" ? Summary.header : TargetTable.header
            var old = ""
            try edit(dir, file) { f, i in
                if i == 0 { old = f[header.firstIndex(of: name)!]; f[header.firstIndex(of: name)!] = value }
                return true
            }
            let what = expected.replacingOccurrences(of: "%@", with: old)  // the cell as it was
            #expect(gateError(Self.base, dir) == "malformed result set: \(dir.path)/\(file):2: \(name) must be \(what), got '\(value)'")
        }
    }

    @Test func failOnTimeNeedsBothMetaFiles() throws {
        let current = try copy("meta-current")
        for (damage, expected) in [(nil as String?, "missing result set: %@ is missing"),
                                   ("{\"sweep\": ", "malformed result set: %@: not a meta.json ("),
                                   ("{}", "malformed result set: %@: not a meta.json (missing field ")] {
            let baseline = try copy("meta-base")
            let meta = baseline.appendingPathComponent("meta.json")
            if let damage { try damage.write(to: meta, atomically: true, encoding: .utf8) } else { try FileManager.default.removeItem(at: meta) }
            // Without --fail-on-time the time comparison is only reported: the gate passes.
            #expect(try !Gate.compare(baseline: ResultFiles(baseline), current: ResultFiles(current)).failed)
            let message = gateError(baseline, current, failOnTime: true)
            #expect(message?.hasPrefix(expected.replacingOccurrences(of: "%@", with: meta.path)) == true, "\(message ?? "")")
            #expect(message?.hasSuffix("; --fail-on-time needs its reference_seconds") == true)
            #expect(gateError(current, baseline, failOnTime: true) != nil)
        }
    }

    @Test func crlfResultFilesReadAlike() throws {
        let dir = try copy("crlf")
        for file in ["summary.csv", "targets.csv"] {
            let url = dir.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            try text.replacingOccurrences(of: "\n", with: "\r\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let result = try Gate.compare(baseline: ResultFiles(Self.base), current: ResultFiles(dir))
        #expect(!result.failed && result.findings.isEmpty && result.compared == 18)
    }
}
