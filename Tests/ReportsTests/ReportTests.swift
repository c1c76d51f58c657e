import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
@testable import Reports

@Suite struct ReportTests {
    @Test func handMadeResultsRenderDespiteAwkwardCurves() throws {
        let dir = try HandMade.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try Report.generate(dir)
        #expect(!out.figures.isEmpty)
        for f in out.figures {
            #expect(isWellFormedXML(f.svg), "\(f.name) is not well-formed XML")
            #expect(!f.svg.contains("nan") && !f.svg.contains("inf"), "\(f.name) prints a non-finite number")
            #expect(out.markdown.contains("(figures/\(f.name))"), "\(f.name) is not linked")
        }
        // The diverged run is marked, the zero on the log axis is reported, not drawn.
        let leading = try #require(out.figures.first { $0.name == "p1-leading-steps.svg" })
        #expect(leading.svg.contains("≤ 0 not shown"))
        // A single evaluation point and a constant series still give their lines a legend entry.
        #expect(leading.svg.contains("sgd + constant"))
        #expect(leading.svg.contains("adam + cosine"))
    }

    @Test func curvesOfDivergedAndShortRuns() {
        let runs = HandMade.records.filter { $0.phase == .evaluation && $0.optimizer == "adam" && $0.schedule == "constant" }
        let c = Curves.aggregate(runs, axis: .steps)
        #expect(c.x == [0, 20, 40])
        // Step 40: one run diverged (+∞), the other at 0.001: the median of {0.001, ∞} is ∞, drawn as a break.
        #expect(c.median[0] == 1)
        #expect(c.median[2].isNaN)
        #expect(c.lower[2] == 0.001)
        #expect(c.upper[2].isNaN)
        let single = Curves.aggregate(HandMade.records.filter { $0.phase == .evaluation && $0.optimizer == "sgd" && $0.schedule == "constant" }, axis: .seconds)
        #expect(single.x == [0])
        #expect(single.median == [1])
        #expect(Curves.aggregate([], axis: .steps).x.isEmpty)
    }

    @Test func markdownSnapshotOfAHandMadeResultSet() throws {
        let dir = try HandMade.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let md = try Report.generate(dir).markdown
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "# lrbench report: handmade — awkward curves")
        // Two evaluation seeds support no interval: the first screen says so instead of inventing one.
        #expect(lines.contains { $0.hasPrefix("| `quadratic(dim=2, cond=10)` | `suboptimality<=0.1` (±20) | — | 2 evaluation seeds: at least 6 are needed") })
        for expected in [
            "| Sweep | `handmade` (`sweep.yaml` beside this report) |",
            "| Finished | 2025-01-02T03:04:05Z |",
            "| Machine | Test CPU 3000, 2 cores, 1 worker |",
            "| OpenBLAS | OpenBLAS 0.3.26 (1 thread) |",
            "| Swift | Swift version 6.3.1 |",
            "| Git commit | `0123456789ab` |",
            "| Reproduce | `lrbench sweep handmade.yaml` |",
            "| Runs | 16 (8 tuning, 8 evaluation, 0 default) |",
            "| Wall-clock | 1 min 15 s |",
        ] {
            #expect(lines.contains(expected), "missing line: \(expected)")
        }
        // The ranking table, exactly: censored last, ties at ∞ broken by the final value (0.5 < 1 < ∞),
        // the geometric mean over finite values with failures counted.
        let header = "| # | optimizer | schedule | lr | steps (IQR) | success | final suboptimality | time/step | vs sgd | rel. to best |"
        let at = try #require(lines.firstIndex(of: header))
        #expect(Array(lines[(at + 2)...(at + 6)]) == [
            "| 1 | `sgd` | `cosine(T_max=budget)` | 0.1 ⚠ | 20 (20–20) | 2/2 | 0 | 1.1 µs | 1.00 | 1.00 |",
            "| 2 | `adam` | `cosine(T_max=budget)` | 0.1 ⚠ | ∞ (∞–∞) | 0/2 | 0.5 | 2.2 µs | 2.00 | ∞ |",
            "| 3 | `sgd` | `constant` | 0.1 ⚠ | ∞ (∞–∞) | 0/2 | 1 | 1 µs | 1.00 | ∞ |",
            "| 4 | `adam` | `constant` | 0.1 ⚠ | ∞ (∞–∞) | 1/2 | ∞ (1 div.) | 2 µs | 2.00 | ∞ |",
            "|  | **geometric mean** | 4 combinations | 0.1 | 20 (3 ∞) | 38% (mean) | 0.707 (1 ∞) | 1.48 µs | 1.41 | 1.00 (3 ∞) |",
        ])
        // The matrix: optimizer rows, schedule columns, the best in bold, censored as ∞ with successes.
        #expect(lines.contains("| optimizer | constant | cosine |"))
        #expect(lines.contains("| `sgd` | ∞ (0/2) | **20** |"))
        #expect(lines.contains("| `adam` | ∞ (1/2) | ∞ (0/2) |"))
    }

    @Test func aMissingMetaSaysUnknown() throws {
        let dir = try HandMade.folder(withMeta: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        let md = try Report.generate(dir).markdown
        #expect(md.contains("| Finished | unknown |"))
        #expect(md.contains("| Machine | unknown |"))
        #expect(md.contains("| Reproduce | unknown |"))
    }

    @Test func theSameFolderGivesTheSameBytes() throws {
        let dir = try TinySweep.copy("determinism")
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try Report.write(dir)
        let markdown = try Data(contentsOf: dir.appendingPathComponent("REPORT.md"))
        var svgs: [String: Data] = [:]
        for f in first.figures { svgs[f.name] = try Data(contentsOf: dir.appendingPathComponent("figures/\(f.name)")) }
        let second = try Report.write(dir)
        #expect(first == second)
        #expect(try Data(contentsOf: dir.appendingPathComponent("REPORT.md")) == markdown)
        for f in second.figures.map(\.name).sorted() {
            #expect(try Data(contentsOf: dir.appendingPathComponent("figures/\(f)")) == svgs[f], "\(f) changed")
        }
        let listed = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("figures").path).sorted()
        #expect(listed == first.figures.map(\.name).sorted())
    }

    @Test func aRealSweepsReportHasEverySection() throws {
        let out = try Report.generate(TinySweep.folder)
        for heading in ["## 1. The answer", "### Top groups per problem", "### Optimizers and schedules per problem",
                        "### Across problems: the order", "### Performance profiles",
                        "### Targets reached against steps (ECDF)", "## 2. Per problem",
                        "## 3. The seeds' questions", "### The cost of adaptivity: time per step relative to SGD",
                        "## 4. Notes", "## How to read this report"] {
            #expect(out.markdown.contains("\n" + heading + "\n"), "missing \(heading)")
        }
        let names = out.figures.map(\.name)
        for expected in ["profile-combinations.svg", "profile-optimizers.svg", "profile-schedules.svg", "ecdf-combinations.svg",
                         "ecdf-optimizers.svg", "overhead.svg", "p1-leading-steps.svg", "p1-optimizers-seconds.svg",
                         "p1-sensitivity.svg", "schedules-budget-60.svg", "schedules-budget-100.svg", "p2-driven-rates.svg"] {
            #expect(names.contains(expected), "missing figure \(expected)")
        }
        #expect(Set(names).count == names.count)
    }

    @Test(.enabled(if: rsvgConvert != nil, "rsvg-convert not found: install librsvg2-bin to render the figures"))
    func everyFigureIsWellFormedAndRenders() throws {
        let out = try Report.generate(TinySweep.folder)
        let hand = try HandMade.folder()
        defer { try? FileManager.default.removeItem(at: hand) }
        for f in out.figures + (try Report.generate(hand)).figures {
            #expect(isWellFormedXML(f.svg), "\(f.name) is not well-formed")
            let r = try render(f.svg, name: f.name)
            #expect(r.status == 0, "rsvg-convert failed on \(f.name): \(r.message)")
            #expect(r.message.isEmpty, "rsvg-convert warned on \(f.name): \(r.message)")
            #expect(r.png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test func svgWellFormednessWithoutARenderer() throws {
        for f in try Report.generate(TinySweep.folder).figures {
            #expect(isWellFormedXML(f.svg), "\(f.name) is not well-formed")
        }
    }

    @Test func badInputIsOneLineAndWritesNothing() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("lrbench-no-such-\(UUID().uuidString)")
        #expect(throws: ReportError.self) { try Report.write(missing) }

        let empty = temporaryDirectory("empty")
        defer { try? FileManager.default.removeItem(at: empty) }
        do { try Report.write(empty); Issue.record("expected an error") } catch let e as ReportError {
            #expect(e.description.contains("runs.jsonl"))
            #expect(!e.description.contains("\n"))
        }

        let bad = try HandMade.folder()
        defer { try? FileManager.default.removeItem(at: bad) }
        let runs = bad.appendingPathComponent("runs.jsonl")
        try (String(contentsOf: runs, encoding: .utf8) + "{\"format\": 1, \"id\": \n").write(to: runs, atomically: true, encoding: .utf8)
        do { try Report.write(bad); Issue.record("expected an error") } catch let e as ReportError {
            #expect(e.description.contains("runs.jsonl:17"))
            #expect(!e.description.contains("\n"))
        }
        #expect(!FileManager.default.fileExists(atPath: bad.appendingPathComponent("REPORT.md").path))
        #expect(!FileManager.default.fileExists(atPath: bad.appendingPathComponent("figures").path))

        let badMeta = try HandMade.folder()
        defer { try? FileManager.default.removeItem(at: badMeta) }
        try "{ not json".write(to: badMeta.appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        #expect(throws: ReportError.self) { try Report.write(badMeta) }
        #expect(!FileManager.default.fileExists(atPath: badMeta.appendingPathComponent("REPORT.md").path))
    }

    @Test func theCommandLineWritesTheReportAndRejectsBadFolders() throws {
        // ReportsTests depends on the lrbench target, so the binary is always built: missing is a failure.
        let binary = try #require(lrbenchBinary, "lrbench binary not found beside the tests")
        let dir = try TinySweep.copy("cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ok = try runProcess(binary, ["report", dir.path])
        #expect(ok.status == 0, "\(ok.err)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("REPORT.md").path))
        let bad = try runProcess(binary, ["report", dir.path + "-missing"])
        #expect(bad.status == 2)
        #expect(bad.err.hasPrefix("error: "))
        #expect(bad.err.split(separator: "\n").count == 1)
        let compare = try runProcess(binary, ["report", "--compare", dir.path, dir.path])
        #expect(compare.status == 0, "\(compare.err)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("COMPARE.md").path))
        let one = try runProcess(binary, ["report", "--compare", dir.path])
        #expect(one.status == 2)
    }
}
