import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep
@testable import Reports

/// A tiny real sweep, run once in-process and shared by the tests that only read it.
let tinySweepYAML = """
name: tinyreport
budget: 60
evaluation_interval: 5
learning_rates: {from: 1e-3, to: 1, count: 4}
seeds: {tuning: [0], evaluation: [1, 2]}
problems:
  - spec: quadratic(dim=6, cond=50)
    targets: {suboptimality: [1e-1, 1e-2, 1e-3]}
  - spec: rosenbrock
    budget: 100
optimizers:
  - sgd
  - adam
schedules:
  - constant
  - "warmup(steps=budget/10, then=cosine(T_max=0.9*budget))"
  - loss_adaptive
"""

/// Runs a small sweep file in-process, without output, into a fresh temporary folder.
func runQuietly(_ yaml: String, name: String) -> URL {
    let dir = temporaryDirectory(name)
    try! runSweep(yaml, workers: 2, into: dir)
    return dir
}

enum TinySweep {
    /// The folder of a finished tiny sweep (runs once per test process).
    static let folder = runQuietly(tinySweepYAML, name: "sweep")

    /// A fresh copy of the folder, for tests that write into it.
    static func copy(_ name: String) throws -> URL {
        let dir = temporaryDirectory(name)
        for file in ["runs.jsonl", "sweep.yaml", "summary.csv", "targets.csv", "meta.json"] {
            let src = folder.appendingPathComponent(file)
            if FileManager.default.fileExists(atPath: src.path) {
                try FileManager.default.copyItem(at: src, to: dir.appendingPathComponent(file))
            }
        }
        return dir
    }
}

/// A hand-made result set: one problem, sgd and adam, constant and cosine, two rates, with the
/// awkward curves a report must survive.
enum HandMade {
    static let yaml = """
    name: handmade
    description: awkward curves
    budget: 40
    evaluation_interval: 20
    learning_rates: [0.01, 0.1]
    seeds: {tuning: [0], evaluation: [1, 2]}
    problems:
      - spec: quadratic(dim=2, cond=10)
        targets: {suboptimality: [1e-1, 1e-2]}
        main_target: {suboptimality: 1e-1}
    optimizers: [sgd, adam]
    schedules: [constant, "cosine(T_max=budget)"]
    """

    static let meta = SweepMeta(sweep: "handmade", command: "lrbench sweep handmade.yaml", workers: 1, shard: "1/1",
                                finished: "2025-01-02T03:04:05Z", wallSeconds: 75, runs: 16, cpu: "Test CPU 3000",
                                cores: 2, openblas: "OpenBLAS 0.3.26 (1 thread)", swift: "Swift version 6.3.1",
                                gitCommit: "0123456789ab", referenceSeconds: 0.01)

    static func record(_ phase: Phase, _ optimizer: String, _ schedule: String, lr: Double, seed: UInt64,
                       steps: [Int], losses: [Double?], diverged: Bool = false, sps: Double = 1e-6) -> RunRecord {
        let targets = [0.1, 0.01]
        let reached: [Int?] = targets.map { t in
            zip(steps, losses).first { $0.1 != nil && $0.1! <= t }?.0
        }
        let finite = losses.compactMap { $0 }
        return RunRecord(
            format: RunRecord.formatVersion, id: [phase.rawValue, optimizer, schedule, String(lr), String(seed)].joined(separator: "-"),
            phase: phase, problem: "quadratic(dim=2, cond=10)", optimizer: optimizer, schedule: schedule, transforms: "none",
            lr: lr, seed: seed, budget: 40, evaluationInterval: 20, metricNames: ["loss"], primary: "suboptimality",
            optimum: 0, initialLoss: 1, steps: steps, seconds: steps.map { Double($0) * sps }, rates: steps.map { _ in lr },
            metrics: [losses], minibatchLoss: nil, targets: targets.map { "suboptimality<=\($0)" },
            stepsToTarget: reached, secondsToTarget: reached.map { $0.map { Double($0) * sps } },
            finalValue: diverged ? nil : losses.last ?? nil, bestValue: finite.min(), diverged: diverged,
            divergedAt: diverged ? steps.last : nil, stop: diverged ? .diverged : .budget, stepsRun: steps.last ?? 0,
            secondsPerStep: sps, totalSeconds: Double(steps.last ?? 0) * sps, timeDriven: false)
    }

    static var records: [RunRecord] {
        var out: [RunRecord] = []
        let cosine = "cosine(T_max=budget)"
        for (o, s) in [("sgd", "constant"), ("sgd", cosine), ("adam", "constant"), ("adam", cosine)] {
            // Tuning: 0.1 is better everywhere.
            out.append(record(.tuning, o, s, lr: 0.01, seed: 0, steps: [0, 20, 40], losses: [1, 0.5, 0.3]))
            out.append(record(.tuning, o, s, lr: 0.1, seed: 0, steps: [0, 20, 40], losses: [1, 0.2, 0.05]))
        }
        for seed: UInt64 in [1, 2] {
            // A single evaluation point.
            out.append(record(.evaluation, "sgd", "constant", lr: 0.1, seed: seed, steps: [0], losses: [1], sps: 1e-6))
            // Zeros on a log axis (the optimum reached exactly).
            out.append(record(.evaluation, "sgd", cosine, lr: 0.1, seed: seed, steps: [0, 20, 40], losses: [1, 0.05, 0], sps: 1.1e-6))
            // A diverged run: NaN after step 20.
            out.append(record(.evaluation, "adam", "constant", lr: 0.1, seed: seed, steps: [0, 20, 40],
                              losses: seed == 1 ? [1, 10, nil] : [1, 0.08, 0.001], diverged: seed == 1, sps: 2e-6))
            // A constant series.
            out.append(record(.evaluation, "adam", cosine, lr: 0.1, seed: seed, steps: [0, 20, 40], losses: [0.5, 0.5, 0.5], sps: 2.2e-6))
        }
        return out
    }

    /// A result folder as a baseline keeps it (sweep.yaml, summary.csv, targets.csv, meta.json;
    /// no runs.jsonl), summarised from `records`; without default-rate runs, which it has none of.
    static func baselineFolder(_ records: [RunRecord]) throws -> URL {
        let dir = temporaryDirectory("handmade-baseline")
        let text = yaml + "\none_shot: false\n"
        try text.write(to: dir.appendingPathComponent("sweep.yaml"), atomically: true, encoding: .utf8)
        let plan = SweepPlan(config: try SweepConfig(yaml: text))
        try Summary.csv(Summary.rows(plan: plan, records: records))
            .write(to: dir.appendingPathComponent("summary.csv"), atomically: true, encoding: .utf8)
        try TargetTable.csv(TargetTable.rows(plan: plan, records: records))
            .write(to: dir.appendingPathComponent("targets.csv"), atomically: true, encoding: .utf8)
        try meta.write(to: dir)
        return dir
    }

    static func folder(withMeta: Bool = true) throws -> URL {
        let dir = temporaryDirectory("handmade")
        try yaml.write(to: dir.appendingPathComponent("sweep.yaml"), atomically: true, encoding: .utf8)
        try records.map { $0.jsonLine + "\n" }.joined().write(to: dir.appendingPathComponent("runs.jsonl"), atomically: true, encoding: .utf8)
        if withMeta { try meta.write(to: dir) }
        return dir
    }
}

/// Renders an SVG to PNG in a throw-away folder; returns rsvg-convert's status and stderr.
func render(_ svg: String, name: String) throws -> (status: Int32, message: String, png: Data) {
    let dir = temporaryDirectory("render")
    defer { try? FileManager.default.removeItem(at: dir) }
    return try renderSVG(svg, to: dir.appendingPathComponent(name), png: dir.appendingPathComponent(name + ".png"))
}

/// True when the text parses as XML.
func isWellFormedXML(_ text: String) -> Bool {
    XMLParser(data: Data(text.utf8)).parse()
}
