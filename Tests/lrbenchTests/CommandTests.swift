import Foundation
import Testing
import TestSupport

/// Runs the built `lrbench` with arguments; returns (exit status, stdout, stderr).
@discardableResult
func lrbench(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, out: String, err: String) {
    try runProcess(binary, arguments, in: directory)
}

/// The `lrbench` built beside this test bundle (this target depends on it, so it is always built).
/// When it is missing, the path does not exist and every test that runs it fails.
let binary: URL = lrbenchBinary ?? Bundle.main.bundleURL.appendingPathComponent("lrbench")

func csvRows(_ text: String) -> [[String]] {
    text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

@Suite struct CommandTests {
    @Test func listNamesEverything() throws {
        let r = try lrbench(["list"])
        #expect(r.status == 0)
        for name in ["quadratic(", "rosenbrock(", "linreg(", "classify(", "beale", "rastrigin(",
                     "sgd(", "adagrad(", "rmsprop(", "adadelta(", "adam(", "adamw(", "adamax(", "nadam(", "radam(", "lion(",
                     "sgd_schedulefree(", "adamw_schedulefree(", "polyak(",
                     "constant(", "step(", "multistep(", "exponential(", "linear(", "polynomial(", "cosine(",
                     "cosine_restarts(", "onecycle(", "cyclic(", "plateau(", "sequential(", "warmup(", "inverse_time(",
                     "inverse_sqrt(", "loss_adaptive(", "time_decay(", "interleave(", "wsd(",
                     "clip_norm(", "clip_value(", "normalize("] {
            #expect(r.out.contains("  " + name), "list lacks \(name)")
        }
    }

    @Test func runPrintsTheClosedFormTrajectory() throws {
        // SGD on ½(x₁² + 10x₂²) from (1, 1) with lr 0.05: f_t = ½(0.95^{2t} + 10·0.5^{2t}).
        let r = try lrbench(["run", "--problem", "quadratic(dim=2, cond=10, rotated=false, instance=classic)", "--optimizer", "sgd",
                             "--lr", "0.05", "--steps", "4", "--params"])
        #expect(r.status == 0)
        let rows = csvRows(r.out)
        #expect(rows[0] == ["step", "lr", "loss", "x0", "x1"])
        #expect(rows.count == 6)
        for t in 0...4 {
            #expect(rows[t + 1][0] == String(t))
            #expect(rows[t + 1][1] == (t < 4 ? "0.05" : ""))
            let f = Double(rows[t + 1][2])!
            let expected = 0.5 * (pow(0.95, Double(2 * t)) + 10 * pow(0.5, Double(2 * t)))
            #expect(abs(f - expected) <= 1e-15 * expected)
            #expect(Double(rows[t + 1][4])! == pow(0.5, Double(t)))
        }
    }

    @Test func stochasticRunsAddTheMinibatchLoss() throws {
        let r = try lrbench(["run", "--problem", "linreg(n=50, d=3, batch=5)", "--optimizer", "adam", "--steps", "3"])
        #expect(r.status == 0)
        #expect(csvRows(r.out)[0] == ["step", "lr", "loss", "minibatch_loss"])
        #expect(csvRows(r.out).last! .count == 4)
    }

    @Test func aDivergedRunExitsZeroAndSaysSo() throws {
        let r = try lrbench(["run", "--problem", "rosenbrock", "--optimizer", "sgd", "--lr", "1", "--steps", "100"])
        #expect(r.status == 0)
        #expect(r.err.hasPrefix("diverged at step"))
        #expect(csvRows(r.out).count < 102)
    }

    @Test(arguments: [
        (["run", "--problem", "beale", "--optimizer", "adam", "--lr=-1"], "error: --lr must be a finite number >= 0, got -1.0"),
        (["run", "--problem", "beale", "--optimizer", "adam", "--lr", "nan"], "error: --lr must be a finite number >= 0, got nan"),
        (["run", "--problem", "beale", "--optimizer", "adamm"], "error: unknown optimizer 'adamm'; known: "),
        (["run", "--problem", "rosenbrock(dim=1)", "--optimizer", "adam"], "error: rosenbrock: parameter 'dim' must be a whole number in [2, 1000000000], got 1"),
        (["run", "--problem", "beale", "--optimizer", "adam(betas=0.9;1.5)"], "error: adam: parameter 'betas' must be in [0, 1), got 1.5"),
        (["run", "--problem", "beale(", "--optimizer", "adam"], "error: malformed spec 'beale(' at column 7: expected a name"),
        (["run", "--problem", "beale", "--optimizer", "adam", "--steps", "0"], "error: --steps must be a whole number in [1, 10000000], got 0"),
        (["schedule", "plateau"], "error: schedule 'plateau' is driven by an observed metric: give --metrics FILE"),
        (["schedule", "time_decay(gamma=1)"], "error: schedule 'time_decay' is driven by wall-clock time: it needs a run"),
        (["schedule", "cosine(T_max=0)"], "error: cosine: parameter 'T_max' must be"),
        (["sweep", "/nonexistent.yaml"], "error: /nonexistent.yaml:?: (file): cannot read the sweep file"),
        (["sweep", "Benchmarks/sweeps/quick.yaml", "--shard", "3/2"], "error: --shard must be k/N with 1 <= k <= N, got '3/2'"),
    ])
    func badInputGetsOneLineAndExit2(arguments: [String], message: String) throws {
        let r = try lrbench(arguments)
        #expect(r.status == 2)
        #expect(r.err.hasPrefix(message), "got: \(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test func schedulePreviewAndMetricDrivenRates() throws {
        let r = try lrbench(["schedule", "step(step_size=2, gamma=0.5)", "--lr", "1", "--steps", "5"])
        #expect(r.out == "step,lr\n0,1.0\n1,1.0\n2,0.5\n3,0.5\n4,0.25\n")
        let cycle = try lrbench(["schedule", "onecycle(total_steps=4)", "--lr", "1", "--steps", "4"])
        #expect(csvRows(cycle.out)[0] == ["step", "lr", "momentum"])
        // max_lr/div_factor = 0.04 (to rounding, as torch computes it through the cosine at 0).
        let first = csvRows(cycle.out)[1]
        #expect(first[0] == "0" && abs(Double(first[1])! - 0.04) < 1e-15 && first[2] == "0.95")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).txt")
        try "4\n2\n1\n".write(to: file, atomically: true, encoding: .utf8)
        // loss_adaptive: lr0 at t = 0, then lr0/(1 + loss/best): 1/2 three times.
        let m = try lrbench(["schedule", "loss_adaptive", "--lr", "1", "--steps", "4", "--metrics", file.path])
        #expect(m.out == "step,lr\n0,1.0\n1,0.5\n2,0.5\n3,0.5\n")
    }

    @Test func rangeTestSuggestsARate() throws {
        let r = try lrbench(["range-test", "--problem", "quadratic(dim=5, cond=10, rotated=false)", "--optimizer", "sgd",
                             "--min-lr", "1e-5", "--max-lr", "10", "--steps", "60"])
        #expect(r.status == 0)
        #expect(csvRows(r.out)[0] == ["lr", "loss", "smoothed_loss"])
        #expect(r.err.contains("stopped early"))
        #expect(r.err.contains("suggested lr (steepest descent): "))
        #expect(r.err.contains("suggested lr (minimum / 10): "))
    }
}

@Suite(.serialized) struct SweepCommandTests {
    static let sweep = """
    name: cli
    budget: 400
    evaluation_interval: 20
    learning_rates: {from: 1e-3, to: 1, count: 5}
    seeds: {tuning: [0], evaluation: [1, 2]}
    problems:
      - spec: quadratic(dim=30, cond=100, noise=1, batch=4)
      - spec: linreg(n=400, d=20, batch=10)
      - spec: rosenbrock
    optimizers: [sgd, "sgd(momentum=0.9)", adam, rmsprop]
    schedules: [constant, "cosine(T_max=budget)", loss_adaptive]
    """

    func setUp() throws -> (URL, URL) {
        let dir = temporaryDirectory("cli")
        let file = dir.appendingPathComponent("cli.yaml")
        try Self.sweep.write(to: file, atomically: true, encoding: .utf8)
        return (dir, file)
    }

    /// runs.jsonl as {id: record without measured times}.
    func results(_ dir: URL) throws -> [String: String] {
        let text = try String(contentsOf: dir.appendingPathComponent("runs.jsonl"), encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            for key in ["seconds", "seconds_to_target", "seconds_per_step", "total_seconds"] { object[key] = nil }
            out[object["id"] as! String] = String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)
        }
        return out
    }

    @Test func killedSweepsResumeToTheSameResults() throws {
        let (dir, file) = try setUp()
        let reference = dir.appendingPathComponent("reference")
        #expect(try lrbench(["sweep", file.path, "--out", reference.path, "--quiet"]).status == 0)
        let expected = try results(reference)
        #expect(expected.count == 36 * (5 + 2 + 2))
        // Kill -9 at random moments, then run again until done.
        for attempt in 0..<3 {
            let out = dir.appendingPathComponent("killed-\(attempt)")
            let process = Process()
            process.executableURL = binary
            process.arguments = ["sweep", file.path, "--out", out.path, "--quiet", "--workers", "2"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 50_000...400_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let resumed = try lrbench(["sweep", file.path, "--out", out.path, "--quiet"])
            #expect(resumed.status == 0, "\(resumed.err)")
            #expect(try results(out) == expected)
        }
    }

    @Test func ctrlCKeepsFinishedRunsAndExits130() throws {
        let (dir, file) = try setUp()
        let out = dir.appendingPathComponent("interrupted")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["sweep", file.path, "--out", out.path, "--quiet", "--workers", "1"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        // The signal goes once the sweep is under way: its runs.jsonl exists only after the
        // handler is installed (a fixed delay sent it too early on a loaded machine, and the
        // default action killed the process).
        let runs = out.appendingPathComponent("runs.jsonl")
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && !FileManager.default.fileExists(atPath: runs.path) && Date() < deadline { usleep(5_000) }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if process.terminationStatus == 130 {
            #expect(message.contains("run the same command again to resume"))
        } else {
            #expect(process.terminationStatus == 0, "\(message)")  // it finished before the signal arrived
        }
        #expect(try lrbench(["sweep", file.path, "--out", out.path, "--quiet"]).status == 0)
        #expect(try results(out).count == 36 * 9)
    }

    @Test func badConfigurationWritesNothing() throws {
        let (dir, _) = try setUp()
        let bad = dir.appendingPathComponent("bad.yaml")
        try Self.sweep.replacingOccurrences(of: "budget: 400", with: "budget: 0").replacingOccurrences(of: "loss_adaptive]", with: "loss_adapt]")
            .write(to: bad, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("never")
        let r = try lrbench(["sweep", bad.path, "--out", out.path])
        #expect(r.status == 2)
        let lines = r.err.split(separator: "\n")
        try #require(lines.count == 2, "\(r.err)")
        #expect(lines[0] == "error: \(bad.path):2: budget: must be a whole number in [1, 10000000], got '0'")
        #expect(lines[1].hasPrefix("error: \(bad.path):11: schedules[2]: unknown schedule 'loss_adapt'; known: "))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func shardsAndMergeFromTheCommandLine() throws {
        let (dir, file) = try setUp()
        let whole = dir.appendingPathComponent("whole")
        #expect(try lrbench(["sweep", file.path, "--out", whole.path, "--quiet"]).status == 0)
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        #expect(try lrbench(["sweep", file.path, "--out", a.path, "--shard", "1/2", "--quiet"]).status == 0)
        #expect(try lrbench(["sweep", file.path, "--out", b.path, "--shard", "2/2", "--quiet"]).status == 0)
        let merged = dir.appendingPathComponent("merged")
        let m = try lrbench(["merge", a.path, b.path, "--out", merged.path])
        #expect(m.status == 0)
        #expect(try results(merged) == results(whole))
        let incomplete = try lrbench(["merge", a.path, "--out", dir.appendingPathComponent("m1").path])
        #expect(incomplete.status == 2)
        #expect(incomplete.err.contains("planned runs are missing"))
    }
}
