import ArgumentParser
import Run
import Sweep
import Specs

struct RangeTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "range-test",
        abstract: "Learning-rate range test (Smith 2017): CSV lr,loss,smoothed_loss and a suggested rate.",
        discussion: """
        Raises the rate exponentially from --min-lr to --max-lr over --steps updates and stops once \
        the smoothed loss exceeds --stop-factor × its best (PyTorch Lightning's lr_find defaults). \
        The suggestions go to stderr: the steepest descent of the smoothed loss where it has fallen \
        below its start by more than the noise of the first 10 losses, before its minimum; \
        Lightning's unguarded steepest descent; and the rate at the minimum divided by 10.
        """)

    @OptionGroup var method: MethodOptions
    @Option(name: .customLong("min-lr"), help: "Rate of the first update.") var minLR: Double = 1e-8
    @Option(name: .customLong("max-lr"), help: "Rate of the last update.") var maxLR: Double = 1
    @OptionGroup var budget: StepsOptions
    @Option(name: .customLong("stop-factor"), help: "Stop once the smoothed loss exceeds this × its best (0: never).") var stopFactor: Double = 4

    func validate() throws {
        try Methods.checkLearningRate(minLR, field: "--min-lr")
        try Methods.checkLearningRate(maxLR, field: "--max-lr")
        guard minLR > 0, maxLR > minLR else { throw SpecUsageError("--min-lr and --max-lr must satisfy 0 < min-lr < max-lr, got \(minLR) and \(maxLR)") }
        try budget.check(min: 2)
        guard stopFactor >= 0, stopFactor.isFinite else { throw SpecUsageError("--stop-factor must be a finite number >= 0 (0: never stop early), got \(stopFactor)") }
    }

    func run() throws {
        let (problem, optimizer, transforms) = try method.build()
        let test = RangeTest(minLR: minLR, maxLR: maxLR, steps: budget.steps, stopFactor: stopFactor > 0 ? stopFactor : nil)
        let result = test.run(problem: problem, optimizer: optimizer, transforms: transforms)
        var out = Output()
        out.line("lr,loss,smoothed_loss")
        for p in result.points { out.line("\(exact(p.lr)),\(exact(p.loss)),\(exact(p.smoothedLoss))") }
        out.flush()
        warn("range test: \(result.points.count) updates" + (result.stoppedEarly ? ", stopped early (loss diverging)" : ""))
        warn("suggested lr (steepest descent): " + (result.steepest.map(exact)
            ?? (result.lightningSteepest == nil ? "none (too few points)" : "none (the smoothed loss never fell below its start by more than the noise)")))
        warn("suggested lr (Lightning's steepest descent, no noise guard): " + (result.lightningSteepest.map(exact) ?? "none (too few points)"))
        warn("suggested lr (minimum / 10): " + (result.minimumOverTen.map(exact) ?? "none"))
    }
}
