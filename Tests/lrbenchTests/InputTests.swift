import Foundation
import Synchronization
import Testing
import TestSupport

/// Bad input through the real binary (issue 15, defects 4–6): one line per error, exit 2, and
/// nothing written to the results folder.
@Suite struct InputTests {
    static let quick: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Benchmarks/sweeps/quick.yaml")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    static let tiny = """
    name: tiny
    budget: 20
    learning_rates: [0.1]
    seeds: {tuning: [0], evaluation: [1]}
    problems:
      - spec: quadratic(dim=2)
    optimizers: [sgd]
    schedules: [constant]
    """

    func folder(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lrbench-inputs-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A results folder as a finished sweep leaves it (sweep.yaml, runs.jsonl, summary.csv), to
    /// check that a refused sweep leaves every byte as it was.
    func existingResults(in dir: URL) throws -> URL {
        let out = dir.appendingPathComponent("existing")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Self.quick.write(to: out.appendingPathComponent("sweep.yaml"), atomically: true, encoding: .utf8)
        try "{\"id\":\"x\"}\n".write(to: out.appendingPathComponent("runs.jsonl"), atomically: true, encoding: .utf8)
        try "problem,optimizer\n".write(to: out.appendingPathComponent("summary.csv"), atomically: true, encoding: .utf8)
        return out
    }

    /// Every file of a folder and its bytes.
    func snapshot(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            out[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return out
    }

    /// Each `error: ` line names the file and a line (or `?`) and a path, as `file:line: path: …`.
    func expectOneLinePerError(_ r: (status: Int32, out: String, err: String), file: String, _ label: String) {
        #expect(r.status == 2, "\(label): status \(r.status): \(r.err)")
        #expect(r.out.isEmpty, "\(label)")
        let lines = r.err.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(!lines.isEmpty && r.err.hasSuffix("\n"), "\(label): \(r.err)")
        for line in lines {
            #expect(line.hasPrefix("error: \(file):") && line.range(of: #"^error: [^ ]+:([0-9]+|\?): \S+: \S"#, options: .regularExpression) != nil,
                    "\(label): \(line)")
            #expect(!line.contains("Fatal error") && !line.contains("Stack dump"), "\(label): \(line)")
        }
    }

    /// Defect 4: the crash inputs of issue 15, through the binary, against an existing results
    /// folder (three of them used to overwrite its sweep.yaml before crashing).
    @Test(arguments: [
        ("schedules: [constant]", #"schedules: ["multistep(milestones=1e300)"]"#, "multistep: parameter 'milestones' must be a whole number in [0, 1000000000], got 1e+300"),
        ("schedules: [constant]", #"schedules: ["multistep(milestones=1e19)"]"#, "multistep: parameter 'milestones' must be a whole number in [0, 1000000000], got 1e+19"),
        ("schedules: [constant]", #"schedules: ["cosine(T_max=budget*1e300)"]"#, "cosine: parameter 'T_max' must be a whole number in [1, 1000000000], got 2e+301"),
        ("budget: 20", "budget: 1000000000000000000", "budget: must be a whole number in [1, 10000000], got '1000000000000000000'"),
        ("learning_rates: [0.1]", "learning_rates: {from: 0.1, to: 1, count: 1000000000000000000}", "learning_rates.count: must be a whole number in [1, 1000]"),
        ("quadratic(dim=2)", "quadratic(dim=100000000)", "quadratic: dim=100000000 with rotated=true (dense dim × dim matrices) needs about 372529042 GiB of memory"),
        ("quadratic(dim=2)", "rosenbrock(dim=1000000000000)", "rosenbrock: parameter 'dim' must be a whole number in [2, 1000000000], got 1000000000000"),
        ("seeds: {tuning: [0], evaluation: [1]}", "seeds: {tuning: [0], evaluation: [18446744073709551615]}", "seeds.evaluation[0]: must be a whole number in [0, 4294967295]"),
    ])
    func crashInputsAreRefusedBeforeWriting(old: String, new: String, message: String) throws {
        let dir = try folder("crash")
        let file = dir.appendingPathComponent("bad.yaml")
        try Self.tiny.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
        let out = try existingResults(in: dir)
        let before = try snapshot(out)
        let r = try lrbench(["sweep", file.path, "--out", out.path, "--quiet"])
        expectOneLinePerError(r, file: file.path, new)
        #expect(r.err.contains(message), "\(r.err)")
        #expect(try snapshot(out) == before)
    }

    @Test func problemSpecErrorsNameTheFileAndLine() throws {
        let dir = try folder("spec")
        let file = dir.appendingPathComponent("s.yaml")
        try Self.tiny.replacingOccurrences(of: "quadratic(dim=2)", with: "quadratic(dim=2, cnd=3)").write(to: file, atomically: true, encoding: .utf8)
        let r = try lrbench(["sweep", file.path, "--out", dir.appendingPathComponent("o").path])
        #expect(r.status == 2)
        #expect(r.err == "error: \(file.path):6: problems[0].spec: quadratic: unknown parameter 'cnd'; allowed: batch, cond, dim, instance, noise, rotated\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o").path))
    }

    /// Defect 6: the command line's error texts and exit status.
    @Test(arguments: [
        (["run", "--problem", "beale", "--optimizer", "adam", "--lr", "-1"], "error: --lr must be a finite number >= 0, got -1.0\n"),
        (["run", "--problem", "beale", "--optimizer", "adam", "--steps", "-1"], "error: --steps must be a whole number in [1, 10000000], got -1\n"),
        (["run", "--problem", "beale", "--optimizer", "adam", "--steps", "100000000000"], "error: --steps must be a whole number in [1, 10000000], got 100000000000\n"),
        (["sweep", "x.yaml", "--workers", "-1"], "error: --workers must be a whole number in [1, 1024], got -1\n"),
        (["run", "--problem", "beale", "--optimizer", "adam", "--lr", "1e400"], "error: --lr: the number '1e400' is out of range (a double holds magnitudes up to 1.7976931348623157e308)\n"),
        (["run", "--problem", "beale", "--optimizer", "adam", "--lr=1e400"], "error: --lr: the number '1e400' is out of range (a double holds magnitudes up to 1.7976931348623157e308)\n"),
        (["run", "--problem", "beale", "--optimizer", "adam(eps=1e400)"], "error: malformed spec 'adam(eps=1e400)' at column 10: the number '1e400' is out of range (a double holds magnitudes up to 1.7976931348623157e308)\n  adam(eps=1e400)\n           ^\n"),
        (["run", "--optimizer", "adam"], "error: Missing expected argument '--problem <problem>' (see 'lrbench help')\n"),
        (["run", "--problem", "beale", "--optimizer", "adam", "--steps", "x"], "error: The value 'x' is invalid for '--steps <steps>' (see 'lrbench help')\n"),
        (["frobnicate"], "error: Unexpected argument 'frobnicate' (see 'lrbench help')\n"),
        (["list", "things"], "error: kind must be one of problems, optimizers, schedules, transforms; got 'things' (see 'lrbench help')\n"),
    ])
    func commandLineErrorsAreOneLineAndExit2(arguments: [String], message: String) throws {
        let r = try lrbench(arguments)
        #expect(r.status == 2)
        #expect(r.err == message)
        #expect(r.out.isEmpty)
    }

    @Test func helpStillExitsZero() throws {
        let r = try lrbench(["run", "--help"])
        #expect(r.status == 0)
        #expect(r.out.contains("--problem"))
    }

    @Test func outUnderAFileNamesTheFile() throws {
        let dir = try folder("out")
        let file = dir.appendingPathComponent("s.yaml")
        try Self.tiny.write(to: file, atomically: true, encoding: .utf8)
        let blocker = dir.appendingPathComponent("afile")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        let r = try lrbench(["sweep", file.path, "--out", blocker.appendingPathComponent("sub").path])
        #expect(r.status == 2)
        #expect(r.err == "error: --out: cannot create the folder '\(blocker.path)/sub': '\(blocker.path)' is a file, not a folder\n")
        let m = try lrbench(["merge", dir.path, "--out", blocker.path])
        #expect(m.err == "error: --out: '\(blocker.path)' is a file, not a folder\n")
    }

    /// A rename that fails (summary.csv is a folder) says why, not "(Sweep.SweepError error 1.)".
    @Test func aFailedRenameSaysWhy() throws {
        let dir = try folder("rename")
        let file = dir.appendingPathComponent("s.yaml")
        try Self.tiny.write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("o")
        try FileManager.default.createDirectory(at: out.appendingPathComponent("summary.csv/inside"), withIntermediateDirectories: true)
        let r = try lrbench(["sweep", file.path, "--out", out.path, "--quiet"])
        #expect(r.status == 2)
        #expect(r.err == "error: cannot write \(out.path)/summary.csv: Is a directory\n")
    }

    @Test func oneShotFalseExplainsTheDefaultColumns() throws {
        let dir = try folder("oneshot")
        let file = dir.appendingPathComponent("s.yaml")
        try (Self.tiny + "\none_shot: false\n").write(to: file, atomically: true, encoding: .utf8)
        let r = try lrbench(["sweep", file.path, "--out", dir.appendingPathComponent("o").path, "--quiet"])
        #expect(r.status == 0)
        #expect(r.err.contains("note: one_shot is false, so no run used the default rates: the default_* columns of summary.csv read nan"))
    }

    @Test func anEmptyResultSetNamesNoBestMethod() throws {
        let dir = try folder("empty")
        let out = dir.appendingPathComponent("o")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Self.tiny.write(to: out.appendingPathComponent("sweep.yaml"), atomically: true, encoding: .utf8)
        try "".write(to: out.appendingPathComponent("runs.jsonl"), atomically: true, encoding: .utf8)
        let r = try lrbench(["report", out.path])
        #expect(r.status == 0, "\(r.err)")
        let report = try String(contentsOf: out.appendingPathComponent("REPORT.md"), encoding: .utf8)
        #expect(!report.contains("Best overall:"))
        #expect(report.contains("No best overall"))
    }

    /// A results folder whose sweep.yaml holds a crash input (as the old crashes left it):
    /// report refuses it with one line instead of trapping.
    @Test func reportOnACrashConfigurationIsAnError() throws {
        let dir = try folder("report")
        try Self.tiny.replacingOccurrences(of: "schedules: [constant]", with: #"schedules: ["multistep(milestones=1e19)"]"#)
            .write(to: dir.appendingPathComponent("sweep.yaml"), atomically: true, encoding: .utf8)
        try "".write(to: dir.appendingPathComponent("runs.jsonl"), atomically: true, encoding: .utf8)
        let r = try lrbench(["report", dir.path])
        #expect(r.status == 2)
        #expect(r.err.hasSuffix("schedules[0]: multistep: parameter 'milestones' must be a whole number in [0, 1000000000], got 1e+19\n"), "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1)
    }

    // MARK: Fuzz

    /// Mutations of the shipped quick.yaml, each invalid: (label, text).
    static func mutations() -> [(String, String)] {
        let q = quick
        var out: [(String, String)] = []
        func replace(_ old: String, _ news: [String]) {
            precondition(q.contains(old), old)
            for n in news { out.append(("\(old) -> \(n)", q.replacingOccurrences(of: old, with: n))) }
        }
        let numbers = ["-1", "0", "1.5", "nan", "1e400", "x", "1000000000000000000", "[1, 2]", "{a: 1}", "''"]
        replace("budget: 300", numbers.map { "budget: \($0)" })
        replace("evaluation_interval: 10", numbers.map { "evaluation_interval: \($0)" })
        replace("learning_rates: {from: 1e-3, to: 1, count: 4}", [
            "[]", "[0]", "[-1]", "[nan]", "[1e400]", "[x]", "{from: 1, to: 0.1, count: 3}", "{from: 1e-3, to: 1, count: 0}",
            "{from: 1e-3, to: 1, count: 1000000000000000000}", "{from: 1e-3, to: 1}", "{from: 0, to: 1, count: 3}",
            "{from: 1e-3, to: 1, count: 3, step: 2}", "[0.1, 0.1]", "7", "{from: 1e-3, to: 1e400, count: 3}",
        ].map { "learning_rates: \($0)" })
        replace("seeds: {tuning: [0, 1], evaluation: [2, 3, 4, 5, 6, 7]}", [
            "{tuning: [0], evaluation: [0]}", "{tuning: [1, 1], evaluation: [2]}", "{tuning: [-1], evaluation: [2]}",
            "{tuning: [0], evaluation: [99999999999999999999]}", "{tuning: [0], evaluation: [4294967296]}",
            "{tuning: [], evaluation: [1]}", "{tuning: [x], evaluation: [1]}", "[0, 1]", "{tuning: [0], eval: [1]}",
            "{tuning: [0.5], evaluation: [1]}",
        ].map { "seeds: \($0)" })
        replace("tuning: {rule: steps_to_target}", ["{rule: best}", "{rule: [final_value]}", "final_value", "{rules: final_value}"].map { "tuning: \($0)" }
            + ["tuning: {rule: steps_to_target}\none_shot: maybe"]
            + ["{divergence_factor: 1}", "{divergence_factor: nan}", "{patience: 0}", "{patience: 1000000000000}", "{at_target: 2}",
               "{divergence: 10}"].map { "tuning: {rule: steps_to_target}\nstop: \($0)" })
        replace("name: quick", ["name: \"\"", "name: a/b", "name: .hidden", "name: [x]", "colour: red\nname: quick", "name: quick\nname: quick2"])
        replace("budget: 300\n", ["", "budget: 300\nbudget: 300\n"])
        replace("quadratic(dim=20, cond=100)\n", [
            "quadratic(dim=0)", "quadratic(dim=1e300)", "quadratic(dim=100000000)", "quadratic(dim=2.5)", "quadratic(dim=-1)",
            "quadratic(dim=nan)", "quadratic(dim=1e400)", "quadratic(cond=0)", "quadratic(dimm=2)", "quadric",
            "\"quadratic(dim=20\"", "\"quadratic(dim=20))\"", "\"quadratic(=1)\"", "rosenbrock(dim=1000000000000)",
            "linreg(n=10, d=20)", "linreg(n=1000000, d=1000)", "classify(n_train=5)",
            "quadratic(dim=20, cond=100, rotated=maybe)", "rosenbrock(dim=2)", "quadratic(dim=20, cond=100.0, noise=1, batch=8)",
        ].map { $0 + "\n" })
        replace("targets: {suboptimality: [1e-1, 1e-2, 1e-3, 1e-4, 1e-6]}", [
            "{}", "{suboptimality: []}", "{suboptimality: [0]}", "{suboptimality: [-1]}", "{suboptimality: [nan]}",
            "{loss_x: [1]}", "[1e-1]", "{suboptimality: [x]}", "{suboptimality: [1e400]}", "{train_loss: [1]}",
        ].map { "targets: \($0)" })
        replace("main_target: {suboptimality: 1e-4}", ["{suboptimality: 0.5}", "{train_loss: 1}", "{suboptimality: [1e-1, 3e-2]}",
                                                     "3e-2", "{}"].map { "main_target: \($0)" })
        replace("main_target: {train_loss: 0.5}", ["main_target: {suboptimality: 1e-2}", "main_target: {train_loss: 0.9}",
                                                 "main_target: {train_loss: 0.5}\n    primary: accuracy"])
        replace("targets: {train_loss: [1.5, 1.0, 0.7, 0.5], test_accuracy: [0.5, 0.7, 0.8]}\n", ["targets: {suboptimality: [0.1]}\n", ""])
        replace("  - spec: rosenbrock(dim=2)\n", ["  - spec: rosenbrock(dim=2)\n    primary: nope\n", "  - spec: rosenbrock(dim=2)\n    colour: red\n",
                                                 "  - spec: rosenbrock(dim=2)\n    budget: 0\n", "  - budget: 1000\n"])
        replace("  - adam\n", [
            "adamm", "adam(eps=-1)", "adam(eps=1e400)", "adam(betas=0.9)", "adam(betas=0.9;1.5)", "\"adam(\"", "adam(lr=0.1)",
            "sgd", "sgd(momentum=0)", "[adam]", "{adam: 1}", "adam(eps=nan)",
        ].map { "  - \($0)\n" })
        replace("  - constant\n", [
            "multistep(milestones=1e300)", "multistep(milestones=1e19)", "\"cosine(T_max=budget*1e300)\"", "cosine", "cosine(T_max=0)",
            "cosine(T_max=budget/0)", "cosine(T_max=budget*x)", "step(step_size=budget/3, gamma=0.1)",
            "\"warmup(steps=-1, then=constant)\"", "constnt", "onecycle(total_steps=1)",
            "\"sequential(schedules=constant;cosine(T_max=10), milestones=1e19)\"", "cyclic(step_size_up=1e300)",
            "wsd(warmup_steps=1, decay_steps=1, total_steps=1e12)", "plateau(patience=-1)",
        ].map { "  - \($0)\n" })
        replace("optimizers:\n", ["optimizers: []\n", "optimizers: 5\n"])
        replace("schedules:\n", ["transforms: [none, none]\nschedules:\n", "transforms: [\"clip_norm(max_norm=-1)\"]\nschedules:\n",
                                 "transforms: [\"clip_norm(max_norm=1)\", \"clip_norm(max_norm=1.0)\"]\nschedules:\n",
                                 "transforms: []\nschedules:\n", "transforms: [foo]\nschedules:\n"])
        // Broken YAML and broken structure.
        replace("budget: 300", ["\tbudget: 300", "  budget: 300", "budget: [300", "budget: \"300", "budget: 300]", ": : :"])
        replace("problems:\n", ["problems: 5\nproblems_old:\n", "problems:\n- [\n"])
        out.append(("empty file", ""))
        out.append(("a list", "[1, 2]"))
        out.append(("a scalar", "quick"))
        out.append(("truncated", String(q.prefix(q.count / 2)) + "\n  - spec: \"quadratic("))
        return out
    }

    @Test func fuzzedSweepFilesGetOneLinePerErrorAndWriteNothing() throws {
        let cases = Self.mutations()
        #expect(cases.count >= 100)
        let dir = try folder("fuzz")
        let out = try existingResults(in: dir)
        let before = try snapshot(out)
        let files = try cases.enumerated().map { i, c -> URL in
            let file = dir.appendingPathComponent("m\(i).yaml")
            try c.1.write(to: file, atomically: true, encoding: .utf8)
            return file
        }
        let slots = Mutex([(status: Int32, out: String, err: String)?](repeating: nil, count: cases.count))
        DispatchQueue.concurrentPerform(iterations: cases.count) { i in
            let r = try? lrbench(["sweep", files[i].path, "--out", out.path, "--quiet", "--workers", "1"])
            slots.withLock { $0[i] = r }
        }
        let results = slots.withLock { $0 }
        for (i, c) in cases.enumerated() {
            guard let r = results[i] else { Issue.record("\(c.0): did not run"); continue }
            expectOneLinePerError(r, file: files[i].path, c.0)
        }
        #expect(try snapshot(out) == before)
    }
}
