import ArgumentParser
import Foundation
import Run
import Sweep
import Specs
import Schedules

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Preview a schedule: CSV step,lr (and momentum for schedules that cycle it) for t = 0 … N−1.")

    @Argument(help: "The schedule spec, e.g. 'cosine(T_max=100)'.")
    var spec: String

    @Option(help: "The base learning rate lr0.")
    var lr: Double = 0.1

    @OptionGroup var budget: StepsOptions

    @Option(help: "For metric-driven schedules: a file with one value a line, the metric observed after update t.")
    var metrics: String?

    func validate() throws {
        try Methods.checkLearningRate(lr)
        try budget.check(min: 1)
    }

    func run() throws {
        let schedule = try Methods.schedule(spec)
        let steps = budget.steps
        var observed: [Double] = []
        switch schedule.drive {
        case .time:
            throw SpecUsageError("schedule '\(schedule.spec.name)' is driven by wall-clock time: it needs a run (lrbench run)")
        case .metric:
            guard let metrics else {
                throw SpecUsageError("schedule '\(schedule.spec.name)' is driven by an observed metric: give --metrics FILE (one value a line, the metric after update t) or use it in a run")
            }
            observed = try readMetrics(metrics)
        case .step:
            break
        }
        let controller = schedule.makeController(base: lr)
        let count = schedule.drive == .metric ? min(steps, observed.count + 1) : steps
        let cycles = (0..<count).contains { controller.momentum(at: $0) != nil }
        var out = Output()
        out.line(cycles ? "step,lr,momentum" : "step,lr")
        for t in 0..<count {
            if t > 0, schedule.drive == .metric { controller.observe(observed[t - 1], after: t - 1) }
            let rate = controller.rate(at: t, elapsedSeconds: 0)
            if cycles {
                out.line("\(t),\(exact(rate)),\(controller.momentum(at: t).map(exact) ?? "")")
            } else {
                out.line("\(t),\(exact(rate))")
            }
        }
        out.flush()
        if count < steps { warn("note: \(observed.count) metric values give the rates of \(count) updates, fewer than --steps \(steps)") }
    }

    func readMetrics(_ path: String) throws -> [Double] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SpecUsageError("--metrics: cannot read '\(path)'")
        }
        var values: [Double] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            guard let v = Double(line), !v.isNaN else {
                throw SpecUsageError("--metrics: line \(i + 1) of '\(path)' is not a number: '\(line)'")
            }
            values.append(v)
        }
        return values
    }
}
