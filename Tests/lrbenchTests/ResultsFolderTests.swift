import Foundation
import Testing
import TestSupport

/// One writer per results folder, SIGTERM's exit status, and the gate failing closed, from the
/// command line.
@Suite(.serialized) struct ResultsFolderTests {
    func setUp(_ yaml: String = SweepCommandTests.sweep) throws -> (URL, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lrbench-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("sweep.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return (dir, file)
    }

    /// Starts a sweep in the background; returns once it has written its first record.
    func startSweep(_ file: URL, out: URL, stderr: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["sweep", file.path, "--out", out.path, "--quiet", "--workers", "1"]
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        let runs = out.appendingPathComponent("runs.jsonl").path
        for _ in 0..<6000 where process.isRunning {
            if let size = (try? FileManager.default.attributesOfItem(atPath: runs))?[.size] as? Int, size > 0 { break }
            usleep(10_000)
        }
        return process
    }

    func runLines(_ out: URL) throws -> [Substring] {
        try String(contentsOf: out.appendingPathComponent("runs.jsonl"), encoding: .utf8).split(separator: "\n")
    }

    @Test func aSecondSweepOnOneFolderIsRefusedWithTheHoldersPID() throws {
        let (dir, file) = try setUp()
        let out = dir.appendingPathComponent("shared")
        let first = try startSweep(file, out: out)
        try #require(first.isRunning, "the first sweep ended before the second started")
        let second = try lrbench(["sweep", file.path, "--out", out.path, "--quiet"])
        first.waitUntilExit()
        #expect(second.status == 2)
        #expect(second.err == "error: the results folder \(out.path) is in use by another lrbench (PID \(first.processIdentifier), holding \(out.path)/.lock); wait for it to finish or use another --out\n")
        // The first sweep's results are complete, each run once.
        #expect(first.terminationStatus == 0)
        let lines = try runLines(out)
        let ids = lines.map { line -> String in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["id"] as? String ?? ""
        }
        #expect(lines.count == 36 * 9)
        #expect(Set(ids).count == lines.count)
        // Once it has ended, the folder is free again.
        #expect(try lrbench(["sweep", file.path, "--out", out.path, "--quiet"]).status == 0)
    }

    @Test func sigtermKeepsFinishedRunsAndExits143() throws {
        let (dir, file) = try setUp()
        let out = dir.appendingPathComponent("terminated")
        let err = Pipe()
        let process = try startSweep(file, out: out, stderr: err)
        try #require(process.isRunning, "the sweep ended before the signal")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 143)
        #expect(message.contains("run the same command again to resume"))
        #expect(try runLines(out).count < 36 * 9)
        #expect(try lrbench(["sweep", file.path, "--out", out.path, "--quiet"]).status == 0)
        #expect(try runLines(out).count == 36 * 9)
    }

    static let small = """
    name: small
    budget: 100
    evaluation_interval: 10
    learning_rates: {from: 1e-3, to: 1, count: 4}
    seeds: {tuning: [0], evaluation: [1, 2]}
    problems:
      - spec: quadratic(dim=6, cond=50)
        targets: {suboptimality: [1e-1, 1e-3]}
      - spec: rosenbrock
    optimizers: [sgd, adam]
    schedules: [constant, "cosine(T_max=budget)"]
    """

    /// Keeps the header and every second data line of a CSV.
    func halve(_ url: URL) throws {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let kept = [lines[0]] + lines.dropFirst().enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        try (kept.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func theGateRefusesAHalfResultSetAndSoDoesUpdate() throws {
        let (dir, file) = try setUp(Self.small)
        let base = dir.appendingPathComponent("base"), current = dir.appendingPathComponent("current")
        for out in [base, current] {
            #expect(try lrbench(["sweep", file.path, "--out", out.path, "--quiet"]).status == 0)
        }
        let report = dir.appendingPathComponent("GATE.md").path
        #expect(try lrbench(["compare", base.path, current.path, "--report", report]).status == 0)
        for name in ["summary.csv", "targets.csv"] {
            let half = dir.appendingPathComponent("half-\(name)")
            try FileManager.default.copyItem(at: current, to: half)
            try halve(half.appendingPathComponent(name))
            let r = try lrbench(["compare", base.path, half.path, "--report", report])
            #expect(r.status == 2)
            #expect(r.err.hasPrefix("error: incomplete result set: \(half.path)/\(name): no row for "), "\(r.err)")
            #expect(r.err.split(separator: "\n").count == 1)
            // --update refuses it and leaves the baseline as it was.
            let before = try FileManager.default.contentsOfDirectory(atPath: base.path).sorted().map {
                try Data(contentsOf: base.appendingPathComponent($0))
            }
            let u = try lrbench(["compare", base.path, half.path, "--update"])
            #expect(u.status == 2)
            #expect(u.err.hasPrefix("error: incomplete result set: \(half.path)/\(name): no row for "), "\(u.err)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).sorted().map {
                try Data(contentsOf: base.appendingPathComponent($0))
            } == before)
        }
        // --fail-on-time with the baseline's meta.json missing: exit 2, never silently off.
        try FileManager.default.removeItem(at: base.appendingPathComponent("meta.json"))
        #expect(try lrbench(["compare", base.path, current.path, "--report", report]).status == 0)
        let timed = try lrbench(["compare", base.path, current.path, "--report", report, "--fail-on-time"])
        #expect(timed.status == 2)
        #expect(timed.err == "error: missing result set: \(base.path)/meta.json is missing; --fail-on-time needs its reference_seconds\n")
        // Nor does a set without meta.json become a baseline.
        let noMeta = dir.appendingPathComponent("no-meta")
        try FileManager.default.copyItem(at: base, to: noMeta)
        let u = try lrbench(["compare", dir.appendingPathComponent("new-base").path, noMeta.path, "--update"])
        #expect(u.status == 2)
        #expect(u.err == "error: missing result set: \(noMeta.path)/meta.json is missing\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("new-base").path))
    }
}
