import Foundation

/// Everything one run of a sweep produced: one line of `runs.jsonl`.
///
/// Numbers are written exactly (Swift's shortest round-trip text); non-finite values as `null`.
/// Timing fields (`seconds`, `*_seconds`, `seconds_per_step`) are measurements; every other field
/// is a pure function of the run's configuration and seed.
public struct RunRecord: Codable, Sendable, Equatable {
    /// Bumped whenever the meaning of a field changes; part of every run id.
    /// 2: problems build seeded instances by default (`instance=seeded`), so a spec written as
    /// before may denote another problem on each seed.
    /// 3: steps to training-loss and suboptimality targets are exact to the step on
    /// deterministic problems (`target_resolution`).
    public static let formatVersion = 3

    public var format: Int
    /// Hash of the full configuration and the format version: how a resumed sweep recognises it.
    public var id: String
    /// `tuning` (choosing the rate), `evaluation` (the chosen rate on fresh seeds) or `default`
    /// (the optimizer's default rate on the evaluation seeds: the one-shot budget).
    public var phase: Phase
    public var problem: String
    public var optimizer: String
    public var schedule: String
    public var transforms: String
    public var lr: Double
    public var seed: UInt64
    public var budget: Int
    public var evaluationInterval: Int
    public var metricNames: [String]
    /// `suboptimality` or a metric name: what "final value" and "best value" measure.
    public var primary: String
    public var optimum: Double?
    public var initialLoss: Double?

    public var steps: [Int]
    public var seconds: [Double?]
    public var rates: [Double?]
    /// The step size the optimizer itself applied at each evaluation point (d·lr for D-Adaptation
    /// and Prodigy, η for DoG, the learned α for hypergradient descent, Polyak's step, …);
    /// nil for optimizers whose step is the schedule's rate.
    public var effectiveRates: [Double?]? = nil
    public var metrics: [[Double?]]
    public var minibatchLoss: [Double?]?

    public var targets: [String]
    public var stepsToTarget: [Int?]
    public var secondsToTarget: [Double?]
    /// Per target, how exact its steps are: 1 when exact to the step (the loss is known at every
    /// step: deterministic problem, training loss or suboptimality, gradient point = reported
    /// point), else the evaluation interval (the first evaluation at or after the crossing).
    public var targetResolution: [Int] = []

    public var finalValue: Double?
    public var bestValue: Double?
    public var diverged: Bool
    public var divergedAt: Int?
    /// Why the run ended: `budget`, `target`, `plateau` or `diverged`.
    public var stop: StopReason
    public var stepsRun: Int
    public var secondsPerStep: Double
    public var totalSeconds: Double
    /// Driven by wall-clock time: not reproducible bit for bit.
    public var timeDriven: Bool

    /// Oracle accounting (README, "Oracle calls"): gradient evaluations (one per update) and
    /// loss-only evaluations (a line search's trial points) over the run; the oracle calls
    /// (gradients + losses) spent before each evaluation point (parallel to `steps`) and before
    /// each target was reached (parallel to `targets`). Metric evaluations are not counted.
    /// nil in records written before they existed: read them through `gradientEvaluations`,
    /// `lossEvaluations` and `oracleCalls(toTarget:)`, which take gradients = steps, losses = 0.
    public var gradientEvals: Int? = nil
    public var lossEvals: Int? = nil
    public var oracleCalls: [Int]? = nil
    public var oracleCallsToTarget: [Int?]? = nil

    enum CodingKeys: String, CodingKey {
        case format, id, phase, problem, optimizer, schedule, transforms, lr, seed, budget
        case evaluationInterval = "evaluation_interval"
        case metricNames = "metric_names"
        case primary, optimum
        case initialLoss = "initial_loss"
        case steps, seconds, rates, metrics
        case effectiveRates = "effective_rates"
        case minibatchLoss = "minibatch_loss"
        case targets
        case stepsToTarget = "steps_to_target"
        case secondsToTarget = "seconds_to_target"
        case targetResolution = "target_resolution"
        case finalValue = "final_value"
        case bestValue = "best_value"
        case diverged
        case divergedAt = "diverged_at"
        case stop
        case stepsRun = "steps_run"
        case secondsPerStep = "seconds_per_step"
        case totalSeconds = "total_seconds"
        case timeDriven = "time_driven"
        case gradientEvals = "gradient_evals"
        case lossEvals = "loss_evals"
        case oracleCalls = "oracle_calls"
        case oracleCallsToTarget = "oracle_calls_to_target"
    }

    /// Gradient evaluations of the run (records without counts: one per step).
    public var gradientEvaluations: Int { gradientEvals ?? stepsRun }
    /// Loss-only evaluations of the run (records without counts: 0).
    public var lossEvaluations: Int { lossEvals ?? 0 }

    /// The oracle calls spent to reach target `k` (nil: not reached); records without counts
    /// spent one per step.
    public func oracleCalls(toTarget k: Int) -> Int? {
        if let calls = oracleCallsToTarget, k < calls.count { return calls[k] }
        return k < stepsToTarget.count ? stepsToTarget[k] : nil
    }

    /// The record with every measured time zeroed: what must be identical between two sweeps
    /// of the same configuration, whatever the number of workers or the order of runs.
    public var withoutTimings: RunRecord {
        var r = self
        r.seconds = r.seconds.map { $0 == nil ? nil : 0 }
        r.secondsToTarget = r.secondsToTarget.map { $0 == nil ? nil : 0 }
        r.secondsPerStep = 0
        r.totalSeconds = 0
        return r
    }

    /// The record as one JSON line (no trailing newline), numbers exact.
    public var jsonLine: String {
        var w = JSONWriter()
        w.beginObject()
        do {
            w.field("format", format)
            w.field("id", id)
            w.field("phase", phase.rawValue)
            w.field("problem", problem)
            w.field("optimizer", optimizer)
            w.field("schedule", schedule)
            w.field("transforms", transforms)
            w.field("lr", lr)
            w.field("seed", Int(seed))
            w.field("budget", budget)
            w.field("evaluation_interval", evaluationInterval)
            w.field("metric_names", metricNames)
            w.field("primary", primary)
            w.field("optimum", optimum)
            w.field("initial_loss", initialLoss)
            w.field("steps", steps)
            w.field("seconds", seconds)
            w.field("rates", rates)
            if let effectiveRates { w.field("effective_rates", effectiveRates) }
            w.key("metrics")
            w.beginArray()
            for m in metrics { w.field(nil, m) }
            w.endArray()
            if let minibatchLoss { w.field("minibatch_loss", minibatchLoss) }
            w.field("targets", targets)
            w.field("steps_to_target", stepsToTarget)
            w.field("seconds_to_target", secondsToTarget)
            w.field("target_resolution", targetResolution)
            w.field("final_value", finalValue)
            w.field("best_value", bestValue)
            w.field("diverged", diverged)
            w.field("diverged_at", divergedAt)
            w.field("stop", stop.rawValue)
            w.field("steps_run", stepsRun)
            w.field("seconds_per_step", secondsPerStep)
            w.field("total_seconds", totalSeconds)
            w.field("time_driven", timeDriven)
            if let gradientEvals { w.field("gradient_evals", gradientEvals) }
            if let lossEvals { w.field("loss_evals", lossEvals) }
            if let oracleCalls { w.field("oracle_calls", oracleCalls) }
            if let oracleCallsToTarget { w.field("oracle_calls_to_target", oracleCallsToTarget) }
        }
        w.endObject()
        return w.text
    }

    /// Parses one line of runs.jsonl.
    public static func parse(_ line: Substring) throws -> RunRecord {
        try JSONDecoder().decode(RunRecord.self, from: Data(line.utf8))
    }

    /// A one-line account of a decoding error.
    public static func brief(_ error: Error) -> String {
        if let e = error as? DecodingError {
            switch e {
            case .dataCorrupted(let c):
                // A bad value of a known field (an unknown phase or stop reason) names the field.
                let at = c.codingPath.map(\.stringValue).joined(separator: ".")
                return at.isEmpty ? c.debugDescription : "bad value at '\(at)': \(c.debugDescription)"
            case .keyNotFound(let k, _): return "missing field '\(k.stringValue)'"
            case .typeMismatch(_, let c): return "wrong type at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
            case .valueNotFound(_, let c): return "null at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
            @unknown default: break
            }
        }
        let s = "\(error)"
        return s.split(separator: "\n").first.map(String.init) ?? s
    }
}

/// A small JSON writer with exact numbers: `Double.description` is the shortest text that reads
/// back to the same bits; non-finite numbers become `null`.
struct JSONWriter {
    var text = ""
    private var needsComma = false

    mutating func beginObject() { separate(); text += "{"; needsComma = false }
    mutating func endObject() { text += "}"; needsComma = true }
    mutating func beginArray() { separate(); text += "["; needsComma = false }
    mutating func endArray() { text += "]"; needsComma = true }

    private mutating func separate() {
        if needsComma { text += "," }
    }

    /// Writes `"k":` (nothing for a nil key: an array element follows).
    mutating func key(_ k: String?) {
        guard let k else { return }
        separate()
        string(k)
        text += ":"
        needsComma = false
    }

    private mutating func raw(_ s: String) {
        separate()
        text += s
        needsComma = true
    }

    private mutating func string(_ s: String) {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        text += out + "\""
    }

    private static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "null" }
        return x.description
    }

    mutating func field(_ k: String?, _ v: String) { key(k); separate(); string(v); needsComma = true }
    mutating func field(_ k: String?, _ v: Double?) { key(k); raw(Self.number(v)) }
    mutating func field(_ k: String?, _ v: Int?) { key(k); raw(v.map { String($0) } ?? "null") }
    mutating func field(_ k: String?, _ v: Bool) { key(k); raw(v ? "true" : "false") }
    mutating func field(_ k: String?, _ v: [String]) {
        key(k); beginArray(); for x in v { field(nil, x) }; endArray()
    }
    mutating func field(_ k: String?, _ v: [Double?]) {
        key(k); beginArray(); for x in v { field(nil, x) }; endArray()
    }
    mutating func field(_ k: String?, _ v: [Int?]) {
        key(k); beginArray(); for x in v { field(nil, x) }; endArray()
    }
    mutating func field(_ k: String?, _ v: [Int]) {
        key(k); beginArray(); for x in v { field(nil, Optional(x)) }; endArray()
    }
}

/// The phase a run belongs to (DeepOBS's protocol, plus the one-shot default-rate runs).
public enum Phase: String, Sendable, Codable, CaseIterable {
    case tuning, evaluation
    case oneShot = "default"
}
