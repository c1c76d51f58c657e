// Sweep throughput (issue 13; README "Batched runs"): runs per CPU-second of the standard sweep's
// problems, the grouped path (`BatchRun`, groups of up to G runs of one problem and seed) against
// the one-run-at-a-time path (`RunWorkspace`, G = 1), in the same process, interleaved per
// problem, for ≥ 2 rounds. The slice: every problem of the sweep file × a few optimizers ×
// schedules × rates × 2 tuning seeds (tuning runs, so each run has the sweep's budget, interval,
// targets and stop rule). Both paths' records must be identical apart from timings (exit 1 if not).
//
//     swift run -c release SweepThroughput [rounds=2] [group=64] [sweep=Benchmarks/sweeps/standard.yaml] [--json=PATH]
//
// --json=PATH also writes the figures as JSON (`Throughput` below), which `make perf` puts into
// results/perf/PERF.md.
//
// CPU time is this thread's (CLOCK_THREAD_CPUTIME_ID; one BLAS thread), so other load on the
// machine slows both paths alike but is not counted; run on a quiet machine all the same.
//
// With the malloc counter preloaded (malloc_count.c, see there), it first checks that a group's
// step allocates nothing: a group of 16 runs on each problem, S and 8S steps, must make the same
// number of allocations, to two (exit 1 if not; see the check).

import Foundation
import Run
import Sweep
import LinearAlgebra
import Problems
import Specs

let jsonPath = CommandLine.arguments.dropFirst().last { $0.hasPrefix("--json=") }.map { String($0.dropFirst("--json=".count)) }
let arguments = CommandLine.arguments.filter { !$0.hasPrefix("--json=") }
let rounds = max(2, arguments.count > 1 ? Int(arguments[1]) ?? 2 : 2)
let groupSize = max(2, arguments.count > 2 ? Int(arguments[2]) ?? SweepRunner.defaultGroupSize : SweepRunner.defaultGroupSize)
let file = arguments.count > 3 ? arguments[3] : "Benchmarks/sweeps/standard.yaml"

/// What --json writes: CPU-s per round and path for each problem of the slice, the floor, and
/// each classification slice's arithmetic against it.
struct Throughput: Encodable {
    struct Slice: Encodable { let optimizers, schedules: [String]; let rates: [Double]; let seeds: [UInt64] }
    struct ProblemRow: Encodable {
        let spec: String
        let runs: Int
        let oneAtATimeCPUSeconds, groupedCPUSeconds: [Double]   // per round
    }
    struct Floor: Encodable { let blasGFLOPS, fixedOrderGFLOPS: Double }
    struct FloorRow: Encodable {
        let spec: String
        let gflop, floorSeconds, groupedCPUSeconds, oneAtATimeCPUSeconds: Double   // CPU-s: medians over rounds
        let groupedPerRoundFloor: [Double]   // each round's grouped CPU-s ÷ that round's floor
    }
    let sweep: String
    let rounds, groupSize: Int
    let slice: Slice
    var problems: [ProblemRow] = []
    var floorF64 = Floor(blasGFLOPS: 0, fixedOrderGFLOPS: 0), floorF32 = Floor(blasGFLOPS: 0, fixedOrderGFLOPS: 0)  // fastest round
    var floorRoundsF64: [Floor] = [], floorRoundsF32: [Floor] = []
    var instructionSet = ""
    var classification: [FloorRow] = []
    var pairs = 0, mismatches = 0
}

/// The slice's methods (by their spec text in the sweep file), rates and seeds.
let optimizers = ["sgd(momentum=0.9)", "adam", "adamw_schedulefree"]
let schedules = ["constant", "cosine", "warmup"]
let rates = [1e-3, 1e-2, 1e-1]

func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// One line to standard output, written at once: line by line, also into a pipe (`stdout` itself
/// is shared mutable C state that Swift 6 mode does not let code name).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

BLASThreads.set(1)
let config: SweepConfig
do { config = try SweepConfig(contentsOf: file) } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
}
let plan = SweepPlan(config: config)
let runner = SweepRunner(plan: plan, directory: FileManager.default.temporaryDirectory, workers: 1)
try runner.prepareProblems()
let seeds = Array(config.tuningSeeds.prefix(2))
var slices: [[PlannedRun]] = config.problems.map { _ in [] }
for c in plan.combinations
where optimizers.contains(plan.optimizerName(c)) && schedules.contains(where: { plan.scheduleName(c).hasPrefix($0) }) {
    for lr in rates { for seed in seeds { slices[c.problem].append(try plan.plan(c, .tuning, lr: lr, seed: seed)) } }
}

/// The preloaded malloc counter, if any.
typealias Counter = @convention(c) () -> UInt64
/// This thread's count: a group's `execute` runs on the calling thread, and other threads (the
/// runtime's, the output's) would otherwise be charged to it.
let mallocCount: Counter? = dlsym(nil, "lrbench_thread_malloc_count").map { unsafeBitCast($0, to: Counter.self) }
if let mallocCount {
    // Allocations of one group's `execute` for `steps` steps: set-up is the same for every length.
    func allocations(_ problem: any Problem, steps: Int, interval: Int) throws -> UInt64 {
        let optimizers: [String] = ["sgd(momentum=0.9)", "adam", "adamw_schedulefree", "prodigy"]
        let schedules: [String] = ["cosine(T_max=\(steps))", "constant", "warmup(steps=5, then=constant)", "plateau(factor=0.5, patience=3)"]
        var setups: [RunSetup] = []
        for i in 0..<16 {
            let transforms: [String] = i % 3 == 0 ? ["clip_norm(max_norm=1)"] : []
            let lr = 1e-6 * Double(i + 1)
            setups.append(RunSetup(problem: problem, optimizer: try Methods.optimizer(optimizers[i % 4]),
                                   schedule: try Methods.schedule(schedules[i % 4]), transforms: try Methods.transforms(transforms),
                                   learningRate: lr, steps: steps, evaluationInterval: interval))
        }
        var recorders = setups.map { _ in
            CurveRecorder(metricNames: problem.metricNames, targets: [Target(metric: Target.suboptimality, value: 1e-30)],
                          optimum: problem.optimumValue, initialLoss: 1, capacity: steps / interval + 2)
        }
        let batch = BatchRun(setups)
        let before = mallocCount()
        let outcomes = batch.execute(observers: &recorders)
        let count = mallocCount() - before
        guard outcomes.allSatisfy({ $0?.steps == steps }) else { throw SweepError("a run of the allocation check stopped early") }
        return count
    }
    var failed = false
    for entry in config.problems {
        let problem = try Methods.problem(entry.spec.description, seed: 0)
        let s = 4 * entry.evaluationInterval
        _ = try allocations(problem, steps: s, interval: entry.evaluationInterval)  // first calls set up lazily
        // The fewest of 3 executes of S and of 8S steps. An execute is charged one allocation
        // fewer or more than the others now and then, whatever its length (39 to 41 for 40 steps
        // as for 160 on linreg; not traced to its source), so a difference of up to two is not
        // taken for a per-step allocation; anything done per step, per evaluation or per
        // interruption check (every 64 steps) adds at least four between S and 8S steps.
        let short = try (0..<3).map { _ in try allocations(problem, steps: s, interval: entry.evaluationInterval) }.min()!
        let long = try (0..<3).map { _ in try allocations(problem, steps: 8 * s, interval: entry.evaluationInterval) }.min()!
        let perStep = long > short + 2
        say("allocations of a group of 16, \(entry.spec): \(short) for \(s) steps, \(long) for \(8 * s): \(perStep ? "PER-STEP ALLOCATIONS" : "none per step")")
        failed = failed || perStep
    }
    if failed { exit(1) }
} else {
    say("(no malloc counter preloaded: the allocation check is skipped; see malloc_count.c)")
}

var report = Throughput(sweep: file, rounds: rounds, groupSize: groupSize,
                        slice: .init(optimizers: optimizers, schedules: schedules, rates: rates, seeds: seeds))
say("sweep throughput: \(file), \(rounds) rounds, group size \(groupSize); slice per problem: "
      + "\(optimizers.joined(separator: ", ")) × \(schedules.joined(separator: ", ")) × lr \(rates.map(\.description).joined(separator: ", ")) × seeds \(seeds.map(String.init).joined(separator: ", "))")
// The FLOP floor (issue 13): the classification runs' arithmetic (the products' multiply-adds,
// counted from each record's steps and evaluations) at the best rate this machine multiplies
// large matrices in the problem's precision, OpenBLAS or the fixed-order kernel, whichever is
// faster (n = 1024, best of 3), timed in every round right after the round's runs: the ratio
// of a round is its grouped CPU-s ÷ its own floor (both slowed alike when the machine is
// loaded), and the floor quoted is the fastest of the rounds.
func floorGFLOPS<T: BLASScalar>(_ type: T.Type) -> (blas: Double, fixed: Double) {
    let n = 1024
    let a = Buffer<T>(count: n * n), b = Buffer<T>(count: n * n), c = Buffer<T>(count: n * n)
    for i in 0..<(n * n) { a[i] = T(Double(i % 7) - 3); b[i] = T(Double(i % 5) - 2) }
    func best(_ body: () -> Void) -> Double {
        var t = Double.infinity
        for _ in 0..<3 { let c0 = cpuSeconds(); body(); t = min(t, cpuSeconds() - c0) }
        return 2 * Double(n * n * n) / t * 1e-9
    }
    let blas = best { T.gemm(transposeA: false, transposeB: false, n, n, n, 1, a.pointer, n, b.pointer, n, 0, c.pointer, n) }
    let fixed = best { T.fixedGemm(n, n, n, a.pointer, rowStride: n, columnStride: 1, b.pointer, n, c.pointer, n, accumulate: false) }
    return (blas, fixed)
}
var roundFloors: [(f64: (blas: Double, fixed: Double), f32: (blas: Double, fixed: Double))] = []
var lone = [[Double]](repeating: [], count: slices.count)      // CPU-s per round, per problem
var grouped = [[Double]](repeating: [], count: slices.count)
var mismatches = 0
var records = [[RunRecord]](repeating: [], count: slices.count)  // the grouped path's, last round
for round in 0..<rounds {
    for (p, runs) in slices.enumerated() where !runs.isEmpty {
        // Interleaved, and the first path alternates from round to round.
        var a: [RunRecord] = [], b: [RunRecord] = []
        func runLone() {
            let c0 = cpuSeconds()
            a = runs.map { runner.execute($0) }
            lone[p].append(cpuSeconds() - c0)
        }
        func runGrouped() {
            let c0 = cpuSeconds()
            b = []
            for g in SweepRunner.groups(runs, size: groupSize, batchable: { _ in true }) {
                b += g.count == 1 ? [runner.execute(g[0])] : runner.execute(group: g).map { $0! }
            }
            grouped[p].append(cpuSeconds() - c0)
        }
        if round % 2 == 0 { runLone(); runGrouped() } else { runGrouped(); runLone() }
        let byID = Dictionary(uniqueKeysWithValues: b.map { ($0.id, $0.withoutTimings) })
        let bad = a.filter { byID[$0.id] != $0.withoutTimings }.count
        if bad > 0 { say("MISMATCH: \(bad) of \(runs.count) records of \(config.problems[p].spec) differ between the paths") }
        mismatches += bad
        records[p] = b
    }
    roundFloors.append((f64: floorGFLOPS(Double.self), f32: floorGFLOPS(Float.self)))
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
}
func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
say("")
say("| problem | runs | CPU-s one at a time | CPU-s grouped | runs/CPU-s one / grouped | ratio (min–max over rounds) |")
say("|---|---:|---:|---:|---:|---:|")
var totalLone = [Double](repeating: 0, count: rounds), totalGrouped = [Double](repeating: 0, count: rounds)
var totalRuns = 0
for (p, runs) in slices.enumerated() where !runs.isEmpty {
    let l = median(lone[p]), g = median(grouped[p])
    let ratios = zip(lone[p], grouped[p]).map { $0 / $1 }
    for r in 0..<rounds { totalLone[r] += lone[p][r]; totalGrouped[r] += grouped[p][r] }
    totalRuns += runs.count
    report.problems.append(.init(spec: config.problems[p].spec.description, runs: runs.count,
                                 oneAtATimeCPUSeconds: lone[p], groupedCPUSeconds: grouped[p]))
    say("| \(config.problems[p].spec) | \(runs.count) | \(f(l, 3)) | \(f(g, 3)) | \(f(Double(runs.count) / l, 0)) / \(f(Double(runs.count) / g, 0)) | \(f(l / g)) (\(f(ratios.min()!))–\(f(ratios.max()!))) |")
}
let ratios = zip(totalLone, totalGrouped).map { $0 / $1 }
let l = median(totalLone), g = median(totalGrouped)
say("| all | \(totalRuns) | \(f(l, 3)) | \(f(g, 3)) | \(f(Double(totalRuns) / l, 0)) / \(f(Double(totalRuns) / g, 0)) | \(f(l / g)) (\(f(ratios.min()!))–\(f(ratios.max()!))) |")
say("")
say("CPU-s are medians over rounds (this thread's CPU time); ratio = one-at-a-time / grouped (above 1: grouping is faster).")

func fastest(_ xs: [(blas: Double, fixed: Double)]) -> (blas: Double, fixed: Double) {
    (xs.map(\.blas).max()!, xs.map(\.fixed).max()!)
}
let floors = (f64: fastest(roundFloors.map(\.f64)), f32: fastest(roundFloors.map(\.f32)))
report.floorRoundsF64 = roundFloors.map { .init(blasGFLOPS: $0.f64.blas, fixedOrderGFLOPS: $0.f64.fixed) }
report.floorRoundsF32 = roundFloors.map { .init(blasGFLOPS: $0.f32.blas, fixedOrderGFLOPS: $0.f32.fixed) }
report.floorF64 = .init(blasGFLOPS: floors.f64.blas, fixedOrderGFLOPS: floors.f64.fixed)
report.floorF32 = .init(blasGFLOPS: floors.f32.blas, fixedOrderGFLOPS: floors.f32.fixed)
report.instructionSet = "\(FixedOrder.instructionSet)"
say("")
say("FLOP floor: large products (1024³), the fastest of the rounds, at \(f(floors.f64.blas, 1)) GFLOP/s OpenBLAS dgemm, \(f(floors.f64.fixed, 1)) fixed-order f64; "
      + "\(f(floors.f32.blas, 1)) sgemm, \(f(floors.f32.fixed, 1)) fixed-order f32 (FixedOrder: \(FixedOrder.instructionSet)); "
      + "per round (f32, the faster of the two): " + roundFloors.map { f(max($0.f32.blas, $0.f32.fixed), 1) }.joined(separator: ", "))
say("")
say("| problem | GFLOP in the slice | floor (s) | grouped CPU-s | ÷ floor | per round, ÷ its floor: median (min–max) | one at a time ÷ floor |")
say("|---|---:|---:|---:|---:|---:|---:|")
for (p, runs) in slices.enumerated() where !runs.isEmpty {
    guard let problem = try Methods.problem(config.problems[p].spec.description, seed: 0) as? ClassificationProblem else { continue }
    let d = Double(ClassificationImages.pixels), k = Double(ClassificationImages.classes), h = Double(problem.hidden)
    let b = Double(problem.batch), rows = Double(problem.train.count + problem.test.count)
    // Multiply-adds × 2: forward and backward products per step, forward over both sets per evaluation.
    let perStep = problem.model == .softmax ? 2 * (2 * b * d * k) : 2 * b * (2 * d * h + 3 * h * k)
    let perEvaluation = problem.model == .softmax ? 2 * rows * d * k : 2 * rows * (d * h + h * k)
    let flops = records[p].reduce(0.0) { $0 + Double($1.stepsRun) * perStep + Double($1.steps.count) * perEvaluation }
    func rate(_ x: (f64: (blas: Double, fixed: Double), f32: (blas: Double, fixed: Double))) -> Double {
        problem.precision == .f32 ? max(x.f32.blas, x.f32.fixed) : max(x.f64.blas, x.f64.fixed)
    }
    let floor = flops / (rate(floors) * 1e9)
    let perRound = (0..<rounds).map { grouped[p][$0] / (flops / (rate(roundFloors[$0]) * 1e9)) }
    report.classification.append(.init(spec: config.problems[p].spec.description, gflop: flops * 1e-9, floorSeconds: floor,
                                       groupedCPUSeconds: median(grouped[p]), oneAtATimeCPUSeconds: median(lone[p]),
                                       groupedPerRoundFloor: perRound))
    say("| \(config.problems[p].spec) | \(f(flops * 1e-9, 1)) | \(f(floor, 3)) | \(f(median(grouped[p]), 3)) | \(f(median(grouped[p]) / floor)) "
          + "| \(f(median(perRound))) (\(f(perRound.min()!))–\(f(perRound.max()!))) | \(f(median(lone[p]) / floor)) |")
}
report.pairs = totalRuns * rounds
report.mismatches = mismatches
if let jsonPath {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    // Written whole to a temporary file, then moved: a half-written file is never left behind.
    let url = URL(fileURLWithPath: jsonPath), temporary = URL(fileURLWithPath: jsonPath + ".partial")
    try encoder.encode(report).write(to: temporary)
    guard rename(temporary.path, url.path) == 0 else { throw SweepError("cannot write \(jsonPath)") }
}
say(mismatches == 0 ? "records: identical on both paths apart from timings (\(totalRuns * rounds) pairs)" : "records: \(mismatches) MISMATCHES")
exit(mismatches == 0 ? 0 : 1)
