import ArgumentParser
import Run
import Sweep
import Optimizers
import Specs
import Problems

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one configuration and print CSV step,lr,loss.",
        discussion: """
        Row t holds the rate used by update t and the full training loss at x_t before it; row 0 is \
        the start and a last row holds x_N with an empty lr. Stochastic problems add the minibatch \
        loss the optimizer saw (minibatch_loss); --params adds the parameter vector x_t. \
        A diverged run stops there, still exits 0, and says so on stderr.
        """)

    @OptionGroup var method: MethodOptions
    @Option(help: "The schedule spec.") var schedule: String = "constant"
    @Option(help: "The base learning rate lr0 (default: the optimizer's own default).") var lr: Double?
    @OptionGroup var budget: StepsOptions
    @Flag(help: "Add the parameter vector's columns (for small problems).") var params = false

    func validate() throws {
        try budget.check(min: 1)
        if let lr { try Methods.checkLearningRate(lr) }
    }

    func run() throws {
        let (problem, optimizer, transforms) = try method.build()
        let setup = RunSetup(problem: problem, optimizer: optimizer, schedule: try Methods.schedule(schedule),
                             transforms: transforms, learningRate: lr ?? optimizer.defaultLearningRate, steps: budget.steps)
        let workspace = RunWorkspace(setup)
        var observer = CSVObserver(workspace: workspace, stochastic: setup.problem.isStochastic, params: params)
        var header = "step,lr,loss"
        if setup.problem.isStochastic { header += ",minibatch_loss" }
        if params { header += (0..<setup.problem.dimension).map { ",x\($0)" }.joined() }
        observer.out.line(header)
        let outcome = workspace.execute(observer: &observer)
        observer.finish()
        if outcome.reason == .diverged {
            warn("diverged at step \(outcome.divergedAt ?? outcome.steps): the loss became non-finite or exceeded \(setup.stopRule.divergenceFactor)× its initial gap")
        }
    }
}

/// Writes one CSV row per update: the loss at x_t is known before update t, its rate after it.
struct CSVObserver: RunObserver {
    let workspace: RunWorkspace
    let stochastic: Bool
    let params: Bool
    var out = Output()
    var pending: (step: Int, loss: Double, x: String)?

    init(workspace: RunWorkspace, stochastic: Bool, params: Bool) {
        self.workspace = workspace
        self.stochastic = stochastic
        self.params = params
    }

    mutating func evaluated(step t: Int, metrics: UnsafeBufferPointer<Double>, seconds: Double) {
        let x = params ? workspace.reportedPoint.map { "," + exact($0) }.joined() : ""
        pending = (t, metrics[0], x)
    }

    mutating func updated(step t: Int, lr: Double, momentum: Double?, loss: Double) {
        guard let p = pending else { return }
        out.line("\(p.step),\(exact(lr)),\(exact(p.loss))" + (stochastic ? ",\(exact(loss))" : "") + p.x)
        pending = nil
    }

    mutating func finish() {
        if let p = pending {
            out.line("\(p.step),,\(exact(p.loss))" + (stochastic ? "," : "") + p.x)
        }
        out.flush()
    }
}
