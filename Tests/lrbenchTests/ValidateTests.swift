import Foundation
import Testing
import TestSupport

/// The option checks the commands' `validate()` make before anything runs: one line naming the
/// option and what is allowed, exit 2, nothing on stdout; `--help` still wins.
@Suite struct ValidateTests {
    @Test(arguments: [
        (["schedule", "constant", "--lr", "nan"], "error: --lr must be a finite number >= 0, got nan\n"),
        (["schedule", "constant", "--steps", "0"], "error: --steps must be a whole number in [1, 10000000], got 0\n"),
        (["range-test", "--problem", "beale", "--optimizer", "sgd", "--steps", "1"], "error: --steps must be a whole number in [2, 10000000], got 1\n"),
        (["range-test", "--problem", "beale", "--optimizer", "sgd", "--min-lr", "nan"], "error: --min-lr must be a finite number >= 0, got nan\n"),
        (["range-test", "--problem", "beale", "--optimizer", "sgd", "--max-lr", "-2"], "error: --max-lr must be a finite number >= 0, got -2.0\n"),
        (["range-test", "--problem", "beale", "--optimizer", "sgd", "--min-lr", "1", "--max-lr", "1"],
         "error: --min-lr and --max-lr must satisfy 0 < min-lr < max-lr, got 1.0 and 1.0\n"),
        (["range-test", "--problem", "beale", "--optimizer", "sgd", "--min-lr", "0"],
         "error: --min-lr and --max-lr must satisfy 0 < min-lr < max-lr, got 0.0 and 1.0\n"),
        (["range-test", "--problem", "beale", "--optimizer", "sgd", "--stop-factor", "-1"],
         "error: --stop-factor must be a finite number >= 0 (0: never stop early), got -1.0\n"),
        (["range-test", "--problem", "beale", "--optimizer", "sgd", "--stop-factor", "inf"],
         "error: --stop-factor must be a finite number >= 0 (0: never stop early), got inf\n"),
        (["sweep", "x.yaml", "--workers", "0"], "error: --workers must be a whole number in [1, 1024], got 0\n"),
        (["sweep", "x.yaml", "--workers", "1025"], "error: --workers must be a whole number in [1, 1024], got 1025\n"),
        (["sweep", "x.yaml", "--shard", "0/2"], "error: --shard must be k/N with 1 <= k <= N, got '0/2'\n"),
        (["sweep", "x.yaml", "--shard", "2"], "error: --shard must be k/N with 1 <= k <= N, got '2'\n"),
        (["report"], "error: give a result folder, e.g. lrbench report results/standard\n"),
        (["report", "a", "b"], "error: give one result folder (or --compare A B); got 2\n"),
        (["report", "--compare", "a"], "error: --compare needs two result folders, A (baseline) and B; got 1\n"),
        (["report", "a", "--out", "b"], "error: --out is for --compare; the report goes into the result folder\n"),
        (["compare", "a", "b", "--steps-abs", "-1"], "error: --steps-abs must be a finite number >= 0, got -1.0\n"),
        (["compare", "a", "b", "--final-rel", "nan"], "error: --final-rel must be a finite number >= 0, got nan\n"),
        (["compare", "a", "b", "--time-factor", "0.5"], "error: --time-factor must be >= 1, got 0.5\n"),
    ])
    func badOptionValuesAreOneLineAndExit2(arguments: [String], message: String) throws {
        let r = try lrbench(arguments)
        #expect((r.status, r.err, r.out) == (2, message, ""))
    }

    /// The options are checked before the sweep file is read (it does not exist here).
    @Test func optionsAreCheckedBeforeTheSweepFile() throws {
        let r = try lrbench(["sweep", "/nonexistent.yaml", "--workers", "0"])
        #expect(r.status == 2)
        #expect(r.err == "error: --workers must be a whole number in [1, 1024], got 0\n")
    }

    /// `compare --update` checks the tolerances too, and a refused update creates no baseline.
    @Test func aRefusedUpdateWritesNothing() throws {
        let dir = temporaryDirectory("validate-update")
        let base = dir.appendingPathComponent("base")
        let r = try lrbench(["compare", base.path, dir.path, "--update", "--steps-rel", "-0.5"])
        #expect(r.status == 2)
        #expect(r.err == "error: --steps-rel must be a finite number >= 0, got -0.5\n")
        #expect(!FileManager.default.fileExists(atPath: base.path))
    }

    @Test func helpWinsOverABadValue() throws {
        let r = try lrbench(["run", "--problem", "beale", "--optimizer", "adam", "--steps", "0", "--help"])
        #expect(r.status == 0)
        #expect(r.err.isEmpty)
        #expect(r.out.contains("--steps <steps>"))
    }

    /// The discussions are paragraphs for ArgumentParser to wrap, not lines broken by hand (which it
    /// would wrap again, line by line): 1000 columns wide, each paragraph is one line.
    @Test(arguments: [("run", 1), ("range-test", 1), ("sweep", 1), ("compare", 1), ("report", 2)])
    func helpDiscussionsAreParagraphs(command: String, paragraphs: Int) throws {
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["COLUMNS=1000", binary.path, command, "--help"])
        #expect(r.status == 0)
        // OVERVIEW, the discussion, USAGE, OPTIONS: blocks apart by a blank line.
        let blocks = r.out.components(separatedBy: "\n\n")
        try #require(blocks.count > 2 && blocks[0].hasPrefix("OVERVIEW:") && blocks[2].hasPrefix("USAGE:"), "\(r.out)")
        #expect(blocks[1].split(separator: "\n").count == paragraphs, "\(blocks[1])")
    }

    /// Every command keeps its name (the types are `XxxCommand`; the names are not derived from them).
    @Test func theCommandsKeepTheirNames() throws {
        let r = try lrbench(["--help"])
        #expect(r.status == 0)
        // The section's entries: its lines indented by exactly two spaces, up to the blank line.
        let section = r.out.components(separatedBy: "SUBCOMMANDS:\n").last?.components(separatedBy: "\n\n").first ?? ""
        let names = section.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(names == ["list", "schedule", "run", "range-test", "sweep", "merge", "report", "compare"])
    }
}
