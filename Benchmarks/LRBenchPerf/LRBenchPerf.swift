// lrbench's performance benchmarks (package-benchmark, malloc interposer): one benchmark per
// workload of the performance issue, plus the references the targets are ratios against.
//
// A workload's "step" is one update of a real run: `RunWorkspace.execute` with a constant
// schedule and Adam (lr 1e-3), through the same protocols a sweep uses. Every iteration builds a
// fresh workspace outside the measured region, then runs `steps` updates inside it, so:
//   - `mallocCountTotal` counts every allocation of `steps` updates (0 means allocation-free);
//   - `step_ps` is the time per update in picoseconds, from the run's own update clock
//     (`RunOutcome.updateSeconds`: the two metric evaluations at t = 0 and t = steps excluded).
//
// Run with `make perf` (see results/perf/PERF.md and README, "Performance"); this target is in
// its own package, Benchmarks/Package.swift. PERF_QUICK=1 runs every benchmark for a few
// iterations only (an end-to-end check of the pipeline, not a measurement).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Benchmark
import Run
import LinearAlgebra
import Optimizers
import Problems
import Schedules
import Specs

/// Time per step in picoseconds (integer metrics need sub-nanosecond resolution for W2).
let stepMetric = BenchmarkMetric.custom("step_ps", polarity: .prefersSmaller, useScalingFactor: false)

/// PERF_QUICK=1: a few iterations per benchmark (smoke test of `make perf` / `make perf-peers`).
let quick = getenv("PERF_QUICK").map { String(cString: $0) != "0" && String(cString: $0) != "" } ?? false

/// The iteration cap of a benchmark: `full` normally, 3 in quick mode.
func iterations(_ full: Int) -> Int { quick ? min(full, 3) : full }

// Problems are built once per process, lazily (Swift globals), outside any measured region.
// Sizes are the peers' (Benchmarks/peers/numpy_peers.py, jax_peers.py; listed in PERF.md).
let w1Problem = try! ProblemRegistry.make("quadratic(dim=100, cond=1000, rotated=true)", seed: 0)
// Rosenbrock at its classic start (-1.2, 1, -1.2, ...), as the peers and W2's hand-written loop:
// the default seeded instance moves the start, and W2's bit-for-bit check would fail.
let w2Problem = try! ProblemRegistry.make("rosenbrock(dim=2, instance=classic)", seed: 0)
let w3Problem = try! ProblemRegistry.make("rosenbrock(dim=1000, instance=classic)", seed: 0)
let w4Problem = try! ProblemRegistry.make("linreg(n=10000, d=1000)", seed: 0)
let w5Problem = try! ProblemRegistry.make("linreg(n=10000, d=1000, batch=128)", seed: 0)
/// W6: 10 000 training images (the peers' size: 31 MB in f32, 63 MB in f64, more than the caches
/// hold, as in the peers), 1 000 test images (evaluated at t = 0 and t = steps only, outside the
/// per-step clock).
func classify(_ model: String, _ precision: String) -> any Problem {
    try! ProblemRegistry.make("classify(model=\(model), hidden=128, n_train=10000, n_test=1000, batch=128, precision=\(precision))", seed: 0)
}
let w6sF64 = classify("softmax", "f64")
let w6sF32 = classify("softmax", "f32")
let w6mF64 = classify("mlp", "f64")
let w6mF32 = classify("mlp", "f32")

/// The point W4's gradients are taken at: w[i] = 0.01 (i mod 7). Made inside the registration
/// closure, as W4's objective is, not held in a global: `Buffer` is not Sendable (Swift 6).
func makeW4Point() -> Buffer<Double> {
    let w = Buffer<Double>(count: 1000)
    for i in 0..<1000 { w[i] = 0.01 * Double(i % 7) }
    return w
}

let adam = try! OptimizerRegistry.make(Spec(parsing: "adam"))
let constant = try! ScheduleRegistry.make(parsing: "constant")

/// A fresh run of `steps` Adam updates at lr 1e-3 on `problem` (metrics at t = 0 and t = steps only).
func workspace(_ problem: any Problem, steps: Int) -> RunWorkspace {
    RunWorkspace(RunSetup(problem: problem, optimizer: adam, schedule: constant, learningRate: 1e-3,
                          steps: steps, evaluationInterval: steps))
}

/// Registers a workload: `steps` updates per iteration, each iteration a fresh run.
func workload(_ name: String, _ problem: @autoclosure @escaping () -> any Problem, steps: Int,
              maxIterations: Int = 1000) {
    Benchmark(name, configuration: .init(maxIterations: iterations(maxIterations))) { benchmark in
        let ws = workspace(problem(), steps: steps)
        var observer = NullObserver()
        benchmark.startMeasurement()
        let outcome = ws.execute(observer: &observer)
        benchmark.stopMeasurement()
        precondition(outcome.steps == steps, "\(name): the run stopped after \(outcome.steps) of \(steps) steps (\(outcome.reason))")
        benchmark.measurement(stepMetric, Int((outcome.updateSeconds / Double(steps) * 1e12).rounded()))
        blackHole(ws.reportedPoint[0])
    }
}

// MARK: references

/// W2's reference: 2-D Rosenbrock and torch-exact Adam (β 0.9/0.999, eps 1e-8, lr 1e-3), written
/// out by hand in one loop, the same arithmetic as `RosenbrockObjective` and `AdamState` (torch's
/// order: addcmul's (v·a)·b, addcdiv's (v·a)/b). Returns x.
@inline(never)
func referenceRosenbrockAdam(steps: Int, lr: Double) -> (Double, Double) {
    let beta1 = 0.9, beta2 = 0.999, eps = 1e-8
    var x0 = -1.2, x1 = 1.0
    var m0 = 0.0, m1 = 0.0, v0 = 0.0, v1 = 0.0
    var t = 0
    while t < steps {
        let a = x1 - x0 * x0
        let b = 1 - x0
        let g0 = 0 + (-400 * x0 * a - 2 * b)
        let g1 = 200 * a
        let step = Double(t + 1)
        let biasCorrection1 = 1 - pow(beta1, step)
        let biasCorrection2 = 1 - pow(beta2, step)
        let stepSize = lr / biasCorrection1
        let biasCorrection2Sqrt = pow(biasCorrection2, 0.5)
        m0 = lerp(m0, g0, 1 - beta1)
        v0 = v0 * beta2 + (1 - beta2) * g0 * g0
        x0 = x0 + (-stepSize) * m0 / (v0.squareRoot() / biasCorrection2Sqrt + eps)
        m1 = lerp(m1, g1, 1 - beta1)
        v1 = v1 * beta2 + (1 - beta2) * g1 * g1
        x1 = x1 + (-stepSize) * m1 / (v1.squareRoot() / biasCorrection2Sqrt + eps)
        t += 1
    }
    return (x0, x1)
}

/// torch's `lerp` (the first moment's update), as `AdamState` computes it.
@inline(__always)
func lerp(_ s: Double, _ e: Double, _ w: Double) -> Double {
    abs(w) < 0.5 ? s + w * (e - s) : e - (e - s) * (1 - w)
}

/// The same loop without `pow`: the bias corrections from running products βᵗ (one multiply
/// each per step) and `squareRoot()` for the square root. What the three `pow` calls per step
/// cost is the time of `referenceRosenbrockAdam` minus this one's. Not torch's arithmetic to the
/// last bit (βᵗ by repeated multiplication rounds differently), so it is a timing reference only;
/// lrbench's Adam keeps torch's `pow` values (its goldens compare to the last bit), read from a
/// table computed once per (β1, β2) for the process (`BiasCorrections`).
@inline(never)
func referenceRosenbrockAdamWithoutPow(steps: Int, lr: Double) -> (Double, Double) {
    let beta1 = 0.9, beta2 = 0.999, eps = 1e-8
    var x0 = -1.2, x1 = 1.0
    var m0 = 0.0, m1 = 0.0, v0 = 0.0, v1 = 0.0
    var beta1Power = 1.0, beta2Power = 1.0
    var t = 0
    while t < steps {
        let a = x1 - x0 * x0
        let b = 1 - x0
        let g0 = 0 + (-400 * x0 * a - 2 * b)
        let g1 = 200 * a
        beta1Power *= beta1
        beta2Power *= beta2
        let biasCorrection1 = 1 - beta1Power
        let biasCorrection2 = 1 - beta2Power
        let stepSize = lr / biasCorrection1
        let biasCorrection2Sqrt = biasCorrection2.squareRoot()
        m0 = lerp(m0, g0, 1 - beta1)
        v0 = v0 * beta2 + (1 - beta2) * g0 * g0
        x0 = x0 + (-stepSize) * m0 / (v0.squareRoot() / biasCorrection2Sqrt + eps)
        m1 = lerp(m1, g1, 1 - beta1)
        v1 = v1 * beta2 + (1 - beta2) * g1 * g1
        x1 = x1 + (-stepSize) * m1 / (v1.squareRoot() / biasCorrection2Sqrt + eps)
        t += 1
    }
    return (x0, x1)
}

/// W4's memory floor: one plain pass summing X, three independent SIMD8 accumulators, 24 doubles
/// per iteration, wrapping index arithmetic (no overflow checks in the loop). On the package's
/// baseline x86-64 (SSE2, no -march) each SIMD8 is four 2-lane registers: the loop is 12 `movupd`
/// + 12 `addpd` into 12 independent xmm accumulators (checked in the generated assembly), so
/// nothing but memory bounds it. Compared in PERF.md with the former SIMD2 probe and the C peer
/// of the same read (Benchmarks/peers/read_floor.c, gcc -O3 -march=native): the floor of a round
/// is the fastest of them.
@inline(never)
func streamingSum(_ p: UnsafePointer<Double>, _ count: Int) -> Double {
    let raw = UnsafeRawPointer(p)
    var a0 = SIMD8<Double>(), a1 = a0, a2 = a0
    var i = 0
    let blocks = count / 24 * 24
    while i < blocks {
        let offset = i &* 8
        a0 += raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
        a1 += raw.loadUnaligned(fromByteOffset: offset &+ 64, as: SIMD8<Double>.self)
        a2 += raw.loadUnaligned(fromByteOffset: offset &+ 128, as: SIMD8<Double>.self)
        i &+= 24
    }
    var s = ((a0 + a1) + a2).sum()
    while i < count { s += p[i]; i &+= 1 }
    return s
}

/// The memory-floor probe PERF.md quoted before issue 13 (eight SIMD2 accumulators, checked
/// index arithmetic), kept beside the new one so the difference is measured, not assumed.
@inline(never)
func streamingSumSIMD2(_ p: UnsafePointer<Double>, _ count: Int) -> Double {
    let q = UnsafeRawPointer(p).assumingMemoryBound(to: SIMD2<Double>.self)
    var a0 = SIMD2<Double>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
    var i = 0
    let pairs = count / 2
    while i + 8 <= pairs {
        a0 += q[i]; a1 += q[i + 1]; a2 += q[i + 2]; a3 += q[i + 3]
        a4 += q[i + 4]; a5 += q[i + 5]; a6 += q[i + 6]; a7 += q[i + 7]
        i += 8
    }
    var s = (((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))).sum()
    for j in (2 * i)..<count { s += p[j] }
    return s
}

let benchmarks: @Sendable () -> Void = {
    // One BLAS thread, as in a sweep (one worker per core): ratios are single-core ratios.
    BLASThreads.set(1)
    let time = BenchmarkThresholds(relative: [.p90: 100])   // fail at more than 2x the recorded p90
    let none = BenchmarkThresholds(absolute: [.p90: 0])     // fail at any allocation over the record
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, stepMetric],
        timeUnits: .nanoseconds,
        units: [stepMetric: .count, .mallocCountTotal: .count],
        warmupIterations: 1,
        maxDuration: quick ? .milliseconds(200) : .seconds(2),
        maxIterations: iterations(1000),
        thresholds: [.wallClock: time, .mallocCountTotal: none, stepMetric: time])

    // Names have no spaces: package-benchmark writes threshold files with spaces as underscores
    // but looks them up by the plain name.
    // MARK: the workloads, one step = loss + gradient + one Adam update
    workload("W1-quadratic(dim=100,cond=1000,rotated)", w1Problem, steps: 10_000)
    workload("W2-rosenbrock(dim=2)", w2Problem, steps: 100_000)
    workload("W3-rosenbrock(dim=1000)", w3Problem, steps: 10_000)
    workload("W4-linreg(n=10000,d=1000)-full-batch", w4Problem, steps: 10, maxIterations: 40)
    workload("W5-linreg(n=10000,d=1000,batch=128)", w5Problem, steps: 1000)
    workload("W6s-classify-softmax-f64", w6sF64, steps: 200, maxIterations: 40)
    workload("W6s-classify-softmax-f32", w6sF32, steps: 200, maxIterations: 40)
    workload("W6m-classify-mlp-128-f64", w6mF64, steps: 50, maxIterations: 40)
    workload("W6m-classify-mlp-128-f32", w6mF32, steps: 50, maxIterations: 40)

    // MARK: paired comparisons: the parts of a ratio timed one after the other in every iteration,
    // so that load from other processes on this shared machine hits both sides alike. Custom
    // metrics only (each part builds its run outside its own timing). Each `ratios` entry
    // (name, numerator part, denominator part) records that iteration's ratio × 10⁶ as its own
    // metric, so PERF.md gives the spread of the paired ratio itself (p10–p90 over iterations).
    func paired(_ name: String, maxIterations: Int = 100, _ parts: [(String, () -> Double)],
                ratios: [(String, Int, Int)] = []) {
        let metrics = parts.map { BenchmarkMetric.custom($0.0, polarity: .prefersSmaller, useScalingFactor: false) }
        let ratioMetrics = ratios.map { BenchmarkMetric.custom($0.0, polarity: .prefersSmaller, useScalingFactor: false) }
        Benchmark(name, configuration: .init(
            metrics: metrics + ratioMetrics,
            units: Dictionary(uniqueKeysWithValues: (metrics + ratioMetrics).map { ($0, BenchmarkUnits.count) }),
            maxIterations: iterations(maxIterations),
            thresholds: Dictionary(uniqueKeysWithValues: metrics.map { ($0, time) }))) { benchmark in
            var seconds = [Double](repeating: 0, count: parts.count)
            for (k, (metric, part)) in zip(metrics, parts).enumerated() {
                seconds[k] = part.1()
                benchmark.measurement(metric, Int((seconds[k] * 1e12).rounded()))
            }
            for (metric, ratio) in zip(ratioMetrics, ratios) {
                benchmark.measurement(metric, Int((seconds[ratio.1] / seconds[ratio.2] * 1e6).rounded()))
            }
        }
    }
    /// Seconds per step of a fresh run (set-up outside the timing).
    func run(_ problem: any Problem, steps: Int) -> Double {
        let ws = workspace(problem, steps: steps)
        var observer = NullObserver()
        let outcome = ws.execute(observer: &observer)
        precondition(outcome.steps == steps)
        return outcome.updateSeconds / Double(steps)
    }

    // W2: our full step (RunWorkspace, protocols, schedule controller, Adam state) against the
    // same step written out by hand, which must follow the same trajectory bit for bit, and the
    // hand-written step without Adam's three `pow` calls (running products instead), which
    // measures what the `pow` calls cost.
    let w2Steps = 100_000
    var w2Library = (0.0, 0.0)
    var w2Reference = (0.0, 0.0)
    paired("W2-overhead-paired", [
        ("library_ps", {
            let ws = workspace(w2Problem, steps: w2Steps)
            var observer = NullObserver()
            let outcome = ws.execute(observer: &observer)
            w2Library = (ws.reportedPoint[0], ws.reportedPoint[1])
            return outcome.updateSeconds / Double(w2Steps)
        }),
        ("reference_ps", {
            let start = monotonicSeconds()
            let x = referenceRosenbrockAdam(steps: w2Steps, lr: 1e-3)
            let seconds = monotonicSeconds() - start
            precondition(x == w2Library, "the reference loop left the library's trajectory: \(x) vs \(w2Library)")
            w2Reference = x
            return seconds / Double(w2Steps)
        }),
        ("reference_nopow_ps", {
            let start = monotonicSeconds()
            let x = referenceRosenbrockAdamWithoutPow(steps: w2Steps, lr: 1e-3)
            let seconds = monotonicSeconds() - start
            // Running products may round differently from pow: close to the reference, not bitwise.
            precondition(abs(x.0 - w2Reference.0) <= 1e-6 && abs(x.1 - w2Reference.1) <= 1e-6,
                         "the pow-free loop left the reference trajectory: \(x) vs \(w2Reference)")
            return seconds / Double(w2Steps)
        }),
    ], ratios: [("library_per_reference_x1e6", 0, 1), ("reference_per_nopow_x1e6", 1, 2),
                ("library_per_nopow_x1e6", 0, 2)])

    // W4: the gradient alone, fused one pass vs naive two passes, and the memory floor (one
    // plain read of X's 80 MB): the SIMD8 probe, and the SIMD2 probe PERF.md quoted before.
    // The objective (not Sendable, so not a global) is built on first use, outside the timing,
    // as the lazy global it was: only a process running a W4 benchmark builds W4's data.
    let w = makeW4Point(), g = Buffer<Double>(count: 1000)
    var w4Built: LinearRegressionObjective?
    func w4() -> LinearRegressionObjective {
        if let built = w4Built { return built }
        let built = w4Problem.makeObjective() as! LinearRegressionObjective
        w4Built = built
        return built
    }
    func timed(_ body: () -> Double) -> Double {
        let start = monotonicSeconds()
        blackHole(body())
        return monotonicSeconds() - start
    }
    paired("W4-gradient-paired", [
        ("floor_ps", { let x = (w4Problem as! LinearRegression).x; return timed { streamingSum(x.pointer, x.rows * x.columns) } }),
        ("fused_ps", { let o = w4(); return timed { o.lossAndGradient(at: w.readOnly, into: g.buffer) } }),
        ("naive_ps", { let o = w4(); return timed { o.lossAndGradientTwoPass(at: w.readOnly, into: g.buffer) } }),
        ("floor_simd2_ps", { let x = (w4Problem as! LinearRegression).x; return timed { streamingSumSIMD2(x.pointer, x.rows * x.columns) } }),
    ], ratios: [("fused_per_floor_x1e6", 1, 0), ("naive_per_fused_x1e6", 2, 1), ("simd2_per_floor_x1e6", 3, 0)])

    // W6: float64 against float32, same model, same minibatches.
    paired("W6s-precision-paired", maxIterations: 30, [
        ("f64_ps", { run(w6sF64, steps: 200) }), ("f32_ps", { run(w6sF32, steps: 200) }),
    ], ratios: [("f64_per_f32_x1e6", 0, 1)])
    paired("W6m-precision-paired", maxIterations: 30, [
        ("f64_ps", { run(w6mF64, steps: 50) }), ("f32_ps", { run(w6mF32, steps: 50) }),
    ], ratios: [("f64_per_f32_x1e6", 0, 1)])

    // Block-height survey for tuning (LRBENCH_PERF_BLOCKS=1; not part of `make perf`).
    if getenv("LRBENCH_PERF_BLOCKS") != nil {
        let heights = [4, 8, 16, 32, 64, 128, 256]
        let objectives = heights.map { h in { w4().withBlockRows(h) } }
        paired("W4-block-height-survey", zip(heights, objectives).map { rows, o in
            ("rows\(rows)_ps", { let o = o(); return timed { o.lossAndGradient(at: w.readOnly, into: g.buffer) } })
        })
    }
}
