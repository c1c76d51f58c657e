import Run
import Foundation

/// A progress line: a bar with runs done/total, rate and ETA on a terminal (at most 4 redraws a
/// second), a plain line every 5 seconds otherwise. The ETA weighs the runs left by their
/// expected cost (see `ETAEstimate`), not by their number.
final class Progress {
    let total: Int
    let label: String
    let enabled: Bool
    let terminal: Bool
    let log: (String) -> Void
    let start = Date()
    var done = 0
    var estimate: ETAEstimate
    lazy var lastDraw = start

    /// `runs`: the runs to do; `budgets`: each problem's step budget, by problem index.
    init(runs: [PlannedRun], budgets: [Int], label: String, enabled: Bool, log: @escaping (String) -> Void) {
        total = runs.count
        estimate = ETAEstimate(problems: runs.map(\.combination.problem), budgets: budgets)
        self.label = label
        self.enabled = enabled
        self.log = log
        terminal = isatty(STDERR_FILENO) != 0
    }

    /// `run` ended after `seconds` of its own (its record's total_seconds).
    func tick(_ run: PlannedRun, seconds: Double) {
        done += 1
        estimate.finished(problem: run.combination.problem, seconds: seconds)
        guard enabled else { return }
        let now = Date()
        let interval = terminal ? 0.25 : 5
        if now.timeIntervalSince(lastDraw) >= interval || done == total {
            lastDraw = now
            draw(now)
        }
    }

    func draw(_ now: Date) {
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let (left, untimed) = estimate.remainingSeconds(elapsed: elapsed)
        let eta = left.map { (untimed > 0 ? ">= " : "") + Self.clock($0) } ?? "?"
        let note = untimed > 0 ? " (\(untimed) problem\(untimed == 1 ? "" : "s") not timed yet)" : ""
        let text = "\(label): \(done)/\(total) runs, \(Self.format(rate)) runs/s, elapsed \(Self.clock(elapsed)), ETA \(eta)\(note)"
        if terminal {
            let width = 24
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(text)\u{1B}[K".utf8))
        } else {
            log(text)
        }
    }

    func finish() {
        if enabled && terminal && done > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func format(_ x: Double) -> String {
        guard x.isFinite, x < 1e9 else { return "many" }
        return x >= 100 ? String(Int(x)) : String(Double(Int(x * 10)) / 10)
    }

    static func clock(_ s: Double) -> String {
        guard s.isFinite, s < 1e9 else { return "?" }
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(String(format: "%02d", t / 60 % 60))m" : "\(t / 60):\(String(format: "%02d", t % 60))"
    }
}

/// The time left in a phase, weighing each run left by its expected cost: its problem's step
/// budget × that problem's cost per budgeted step, measured on the runs of that problem finished
/// so far (runs that stop early make it cheaper). The cost left, in run-seconds, is divided by the
/// throughput so far (run-seconds finished per second of wall-clock, i.e. the effective number
/// of workers). A problem none of whose runs has finished is costed at the dearest measured
/// problem's rate, and reported as untimed: the estimate is then a lower bound.
struct ETAEstimate {
    let budgets: [Int]
    /// Budget steps of the runs left, by problem index.
    var remainingSteps: [Int: Double] = [:]
    /// Seconds and budget steps of the runs finished, by problem index.
    var finishedSeconds: [Int: Double] = [:]
    var finishedSteps: [Int: Double] = [:]

    init(problems: [Int], budgets: [Int]) {
        self.budgets = budgets
        for p in problems { remainingSteps[p, default: 0] += Double(budgets[p]) }
    }

    mutating func finished(problem p: Int, seconds: Double) {
        let steps = Double(budgets[p])
        remainingSteps[p, default: 0] = max(0, remainingSteps[p, default: 0] - steps)
        finishedSeconds[p, default: 0] += seconds.isFinite ? max(0, seconds) : 0
        finishedSteps[p, default: 0] += steps
    }

    /// (seconds left, problems with runs left and no timing yet); seconds is nil before any
    /// finished run took measurable time.
    func remainingSeconds(elapsed: Double) -> (seconds: Double?, untimed: Int) {
        var costPerStep: [Int: Double] = [:]
        for (p, steps) in finishedSteps where steps > 0 { costPerStep[p] = finishedSeconds[p, default: 0] / steps }
        let done = finishedSeconds.values.reduce(0, +)
        guard let dearest = costPerStep.values.max(), done > 0, elapsed > 0 else { return (nil, 0) }
        var work = 0.0
        var untimed = 0
        for (p, steps) in remainingSteps where steps > 0 {
            if let c = costPerStep[p] { work += steps * c } else { work += steps * dearest; untimed += 1 }
        }
        return (work / (done / elapsed), untimed)
    }
}
