import Problems

extension RunRecord {
    /// The record of a finished run: what identifies it (given by the plan), the recorder's curve
    /// and the outcome. `primary` is `suboptimality` or one of the problem's metric names; its
    /// final and best values are read off the curve in the metric's `direction`.
    public init(id: String, phase: Phase, key: CombinationKey, lr: Double, seed: UInt64, budget: Int,
                evaluationInterval: Int, problem: any Problem, initialLoss: Double, primary: String,
                direction: MetricDirection, targets: [Target], timeDriven: Bool,
                recorder: CurveRecorder, outcome: RunOutcome) {
        let optimum = problem.optimumValue
        let series: [Double]
        if primary == Target.suboptimality {
            series = recorder.metrics[0].map { recorder.suboptimality($0) }
        } else {
            series = recorder.metrics[problem.metricNames.firstIndex(of: primary) ?? 0]
        }
        let finite = series.filter(\.isFinite)
        let best = direction == .higher ? finite.max() : finite.min()
        func opt(_ x: Double) -> Double? { x.isFinite ? x : nil }
        self.init(
            format: RunRecord.formatVersion, id: id, phase: phase,
            problem: key.problem, optimizer: key.optimizer, schedule: key.schedule,
            transforms: key.transforms, lr: lr, seed: seed, budget: budget,
            evaluationInterval: evaluationInterval, metricNames: problem.metricNames, primary: primary,
            optimum: optimum, initialLoss: opt(initialLoss),
            steps: recorder.steps, seconds: recorder.seconds.map(opt), rates: recorder.rates.map(opt),
            effectiveRates: recorder.hasEffectiveRates ? recorder.effectiveRates.map(opt) : nil,
            metrics: recorder.metrics.map { $0.map(opt) },
            minibatchLoss: problem.isStochastic ? recorder.minibatchLoss.map(opt) : nil,
            targets: targets.map(\.description), stepsToTarget: recorder.stepsToTarget,
            secondsToTarget: recorder.secondsToTarget, targetResolution: recorder.targetResolution,
            finalValue: series.last.flatMap(opt), bestValue: best,
            diverged: outcome.reason == .diverged, divergedAt: outcome.divergedAt, stop: outcome.reason,
            stepsRun: outcome.steps, secondsPerStep: outcome.secondsPerStep, totalSeconds: outcome.totalSeconds,
            timeDriven: timeDriven,
            gradientEvals: recorder.gradientEvaluations, lossEvals: recorder.lossEvaluations,
            oracleCalls: recorder.oracleCalls, oracleCallsToTarget: recorder.oracleCallsToTarget)
    }
}
