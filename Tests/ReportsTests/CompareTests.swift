import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
@testable import Reports

/// `lrbench report --compare`: the gate's verdicts, rendered compare.py style.
@Suite struct CompareTests {
    /// B against the hand-made A: sgd + cosine now reaches 0.1 only at step 40 (and 0.01 never);
    /// adam + cosine now reaches both targets; the rest is unchanged.
    static func pair() throws -> (a: URL, b: URL) {
        let cosine = "cosine(T_max=budget)"
        let b = HandMade.records.map { r -> RunRecord in
            guard r.phase == .evaluation, r.schedule == cosine else { return r }
            let losses: [Double?] = r.optimizer == "sgd" ? [1, 0.5, 0.05] : [1, 0.05, 0.01]
            return HandMade.record(.evaluation, r.optimizer, cosine, lr: 0.1, seed: r.seed, steps: [0, 20, 40], losses: losses)
        }
        return (try HandMade.baselineFolder(HandMade.records), try HandMade.baselineFolder(b))
    }

    @Test func theVerdictsAreTheGates() throws {
        let (a, b) = try Self.pair()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let (result, _, _) = try Compare.compute(a: a, b: b)
        func row(_ o: String, _ s: String) -> ComparedCombination? { result.combinations.first { $0.key.optimizer == o && $0.key.schedule == s } }
        #expect(result.combinations.map(\.key.optimizer) == ["sgd", "sgd", "adam", "adam"])
        #expect(row("sgd", "cosine(T_max=budget)")?.verdict == .regressed)
        #expect(row("sgd", "cosine(T_max=budget)")?.stepsRatio == 2)
        #expect(row("adam", "cosine(T_max=budget)")?.verdict == .improved)
        #expect(row("adam", "cosine(T_max=budget)")?.stepsRatio == 0)
        #expect(row("sgd", "constant")?.verdict == .unchanged && row("adam", "constant")?.verdict == .unchanged)
        // A combination is regressed exactly when the gate has a regression for it.
        let regressed = Set(result.regressions.map(\.key))
        #expect(regressed == Set(result.combinations.filter { $0.verdict == .regressed }.map(\.key)) && result.failed)
        // The same folders through `lrbench compare`'s own path give the same findings.
        let gate = try Gate.compare(baseline: ResultFiles(a), current: ResultFiles(b))
        #expect(gate.findings == result.findings)
    }

    @Test func markdownSnapshot() throws {
        let (a, b) = try Self.pair()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let (result, A, B) = try Compare.compute(a: a, b: b)
        let md = Compare.markdown(result, A, B, nameA: "A", nameB: "B")
        #expect(md == Self.snapshot, "\n\(md)")
        // Written as computed, and the same input gives the same bytes.
        let out = temporaryDirectory("compare-out")
        defer { try? FileManager.default.removeItem(at: out) }
        let written = try Compare.write(a: a, b: b, out: out)
        #expect(try String(contentsOf: out.appendingPathComponent("COMPARE.md"), encoding: .utf8) == written)
        #expect(try Compare.write(a: a, b: b, out: out) == written)
    }

    /// GATE.md, the other rendering of the same comparison (what `lrbench compare` prints and CI shows).
    @Test func gateMarkdownSnapshot() throws {
        let (a, b) = try Self.pair()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let (result, _, _) = try Compare.compute(a: a, b: b)
        let md = Gate.markdown(result, baseline: "A", current: "B")
        #expect(md == Self.gateSnapshot, "\n\(md)")
    }

    /// The committed baseline has no runs.jsonl: the comparison reads what it keeps.
    @Test func theCommittedBaselineCompares() throws {
        let baseline = repositoryRoot.appendingPathComponent("results/baseline")
        let (result, A, _) = try Compare.compute(a: baseline, b: baseline)
        #expect(result.combinations.count == A.summary.count && !result.combinations.isEmpty)
        #expect(result.combinations.allSatisfy { $0.verdict == .unchanged || $0.verdict == .timeDriven })
        #expect(result.combinations.filter { $0.verdict == .timeDriven }.count == result.skippedTimeDriven.count)
        let md = Compare.markdown(result, A, A, nameA: "results/baseline", nameB: "results/baseline")
        #expect(md.contains("**0 regressed, 0 improved, 0 with a changed tuned rate (near-ties), \(result.compared - result.skippedTimeDriven.count) unchanged**"))
    }

    @Test func anIncompleteSideIsOneLine() throws {
        let (a, b) = try Self.pair()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        try FileManager.default.removeItem(at: b.appendingPathComponent("targets.csv"))
        #expect(throws: ReportError("missing result set: \(b.path)/targets.csv is missing")) { try Compare.compute(a: a, b: b) }
    }

    static let snapshot = """
    # lrbench comparison: B against A

    |  | A (baseline) | B |
    |:---|:---|:---|
    | Folder | `A` | `B` |
    | Sweep | `handmade` | `handmade` |
    | Finished | 2025-01-02T03:04:05Z | 2025-01-02T03:04:05Z |
    | Git commit | `0123456789ab` | `0123456789ab` |
    | Machine | Test CPU 3000 | Test CPU 3000 |
    | Combinations | 4 | 4 |

    **1 regressed, 1 improved, 0 with a changed tuned rate (near-ties), 2 unchanged** of 4 combinations compared. Geometric mean of B/A: steps to the main target 2.00 (over 1 pairs where both reach it), final value 0.27.

    Verdicts are the regression gate's (`lrbench compare`, 8 (combination, target) pairs): a combination **regressed** when it needs more steps to any target, reaches one on fewer seeds, diverges more, ends worse or tunes worse than the tolerances allow; **improved** likewise the other way. Tolerances: steps to target +max(2 steps, 2 %); final value +max(1e-09, 1 %); time per step ×2 (reported only). Time per step B/A is shown, not judged: timings are measurements.

    Problems: p1 `quadratic(dim=2, cond=10)`.

    ## Changed

    | problem | optimizer | schedule | lr A | lr B | steps A | steps B | B/A | final A | final B | B/A | time/step B/A |  |
    |:---|:---|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|
    | p1 | `sgd` | `cosine(T_max=budget)` | 0.1 | 0.1 | 20 | 40 | 2.00 | 0 | 0.05 | — | 0.91 | **regressed** |
    | p1 | `adam` | `cosine(T_max=budget)` | 0.1 | 0.1 | ∞ | 20 | 0 | 0.5 | 0.01 | 0.02 | 0.45 | improved |

    ## All combinations

    <details><summary>4 rows</summary>

    | problem | optimizer | schedule | lr A | lr B | steps A | steps B | B/A | final A | final B | B/A | time/step B/A |  |
    |:---|:---|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|
    | p1 | `sgd` | `constant` | 0.1 | 0.1 | ∞ | ∞ | — | 1 | 1 | 1.00 | 1.00 |  |
    | p1 | `sgd` | `cosine(T_max=budget)` | 0.1 | 0.1 | 20 | 40 | 2.00 | 0 | 0.05 | — | 0.91 | **regressed** |
    | p1 | `adam` | `constant` | 0.1 | 0.1 | ∞ | ∞ | — | ∞ | ∞ | 1.00 | 1.00 |  |
    | p1 | `adam` | `cosine(T_max=budget)` | 0.1 | 0.1 | ∞ | 20 | 0 | 0.5 | 0.01 | 0.02 | 0.45 | improved |

    </details>

    """

    static let gateSnapshot = """
    ## lrbench regression gate

    Compared `B` with the baseline `A`: 4 combinations, 8 (combination, target) pairs.

    Tolerances: steps to target +max(2 steps, 2 %); final value +max(1e-09, 1 %); time per step ×2 (reported only).

    **4 regressions:**

    | combination (problem \\| optimizer \\| schedule \\| transforms) | what | baseline | current |
    | --- | --- | --- | --- |
    | `quadratic(dim=2, cond=10) \\| sgd \\| cosine(T_max=budget) \\| none` | worse median final suboptimality | 0.0 | 0.05 |
    | `quadratic(dim=2, cond=10) \\| sgd \\| cosine(T_max=budget) \\| none` | slower: median steps to suboptimality<=0.01 | 40 | never |
    | `quadratic(dim=2, cond=10) \\| sgd \\| cosine(T_max=budget) \\| none` | slower: median steps to suboptimality<=0.1 | 20 | 40 |
    | `quadratic(dim=2, cond=10) \\| sgd \\| cosine(T_max=budget) \\| none` | fewer seeds reach suboptimality<=0.01 | 2/2 seeds | 0/2 seeds |

    Improvements (5):

    | combination (problem \\| optimizer \\| schedule \\| transforms) | what | baseline | current |
    | --- | --- | --- | --- |
    | `quadratic(dim=2, cond=10) \\| adam \\| cosine(T_max=budget) \\| none` | better median final suboptimality | 0.5 | 0.01 |
    | `quadratic(dim=2, cond=10) \\| adam \\| cosine(T_max=budget) \\| none` | faster: median steps to suboptimality<=0.01 | never | 40 |
    | `quadratic(dim=2, cond=10) \\| adam \\| cosine(T_max=budget) \\| none` | faster: median steps to suboptimality<=0.1 | never | 20 |
    | `quadratic(dim=2, cond=10) \\| adam \\| cosine(T_max=budget) \\| none` | more seeds reach suboptimality<=0.01 | 0/2 seeds | 2/2 seeds |
    | `quadratic(dim=2, cond=10) \\| adam \\| cosine(T_max=budget) \\| none` | more seeds reach suboptimality<=0.1 | 0/2 seeds | 2/2 seeds |

    Time per step relative to the BLAS reference timed in the same run, current ÷ baseline (median over combinations):

    | problem | ratio |
    | --- | --- |
    | `quadratic(dim=2, cond=10)` | 0.95 |

    """
}
