/// Records a run's curve at its evaluation points, and when it reached each target.
/// Storage is reserved at set-up, so recording allocates nothing per step.
///
/// Steps to a target are exact to the step wherever the loss at every step is known: when the
/// run's step loss is the full training loss at x_t (`RunWorkspace.stepLossIsTrainingLoss`), a
/// target on the training loss or on the suboptimality is checked on the loss of every update t
/// (the loss at x_t before update t, the point the evaluation at step t would see) and on the
/// final evaluation (t = steps). Other targets (stochastic problems, schedule-free methods,
/// metrics such as test accuracy) are checked at the evaluation points: the first evaluation at
/// or after the crossing. `targetResolution` records which (1, or the evaluation interval).
///
/// Oracle accounting: one gradient evaluation per `updated` call, plus the loss-only
/// evaluations `evaluatedLoss` reports (a line search's trials); an oracle call is either. The
/// calls to reach x_t are those of updates 0..<t, so for a method with one gradient per update
/// the calls equal the steps. The metric evaluations are not counted (bookkeeping).
public struct CurveRecorder: RunObserver {
    public let metricNames: [String]
    public let targets: [Target]
    /// f₀ − f* and f*, for the relative suboptimality; nil when f* is unknown.
    public let initialGap: Double?
    public let optimum: Double?

    public private(set) var steps: [Int] = []
    public private(set) var seconds: [Double] = []
    /// The rate used by the update at each evaluation point (NaN at the final point).
    public private(set) var rates: [Double] = []
    /// The optimizer's own step size after the update at each evaluation point (NaN where it has none).
    public private(set) var effectiveRates: [Double] = []
    /// Whether the optimizer reported a step size of its own at all.
    public private(set) var hasEffectiveRates = false
    private var pendingEffective = false
    /// metrics[k][i]: metric k at evaluation point i.
    public private(set) var metrics: [[Double]]
    /// The mean minibatch loss over the updates since the previous evaluation (stochastic problems).
    public private(set) var minibatchLoss: [Double] = []
    public private(set) var stepsToTarget: [Int?]
    /// Seconds (evaluations excluded) when each target was reached. The clock is read at
    /// evaluations only, so a target reached between two is timed by linear interpolation in
    /// steps between them (or between the last one and the end of the run).
    public private(set) var secondsToTarget: [Double?]
    /// Per target: 1 when its step is exact, else the evaluation interval (the step is the first
    /// evaluation at or after the crossing, which lies in (step − interval, step]).
    public private(set) var targetResolution: [Int]
    /// Gradient evaluations (one per update) and loss-only evaluations so far.
    public private(set) var gradientEvaluations = 0
    public private(set) var lossEvaluations = 0
    /// Oracle calls (gradients + losses) spent before each evaluation point.
    public private(set) var oracleCalls: [Int] = []
    /// Per target: the oracle calls spent to reach it (those before the step `stepsToTarget` names).
    public private(set) var oracleCallsToTarget: [Int?]

    private var sampleSum = 0.0
    private var sampleCount = 0
    private var pendingRate = false
    /// Per target: checked on the loss of every update.
    private var checkedEveryStep: [Bool]
    /// Per target: a suboptimality target (else the training loss itself).
    private let onSuboptimality: [Bool]
    /// Per target: `Target.value` and `higherIsBetter`, read without string work per step.
    private let thresholds: [Double]
    private let higherIsBetter: [Bool]
    /// Targets checked every step that are not reached yet: the per-step check is skipped at 0.
    private var openEveryStep = 0
    /// Targets reached between evaluations, whose seconds wait for the next clock reading.
    private var awaitingSeconds = 0
    private var lastEvaluationStep = 0
    private var lastEvaluationSeconds = 0.0

    public init(metricNames: [String], targets: [Target], optimum: Double?, initialLoss: Double, capacity: Int) {
        self.metricNames = metricNames
        self.targets = targets
        self.optimum = optimum
        self.initialGap = optimum.map { initialLoss - $0 }
        metrics = metricNames.map { _ in [] }
        stepsToTarget = targets.map { _ in nil }
        secondsToTarget = targets.map { _ in nil }
        oracleCallsToTarget = targets.map { _ in nil }
        targetResolution = targets.map { _ in 0 }
        checkedEveryStep = targets.map { _ in false }
        onSuboptimality = targets.map { $0.metric == Target.suboptimality }
        thresholds = targets.map(\.value)
        higherIsBetter = targets.map(\.higherIsBetter)
        steps.reserveCapacity(capacity)
        seconds.reserveCapacity(capacity)
        rates.reserveCapacity(capacity)
        effectiveRates.reserveCapacity(capacity)
        oracleCalls.reserveCapacity(capacity)
        minibatchLoss.reserveCapacity(capacity)
        for k in metrics.indices { metrics[k].reserveCapacity(capacity) }
    }

    /// The relative suboptimality (f − f*)/(f₀ − f*) of a training loss, or NaN without f*.
    @inline(__always)
    public func suboptimality(_ loss: Double) -> Double {
        guard let optimum, let initialGap, initialGap > 0 else { return .nan }
        return (loss - optimum) / initialGap
    }

    public mutating func began(evaluationInterval: Int, stepLossIsTrainingLoss: Bool) {
        openEveryStep = 0
        for j in targets.indices {
            // The step loss is the training loss: metric 0, and what the suboptimality measures.
            let exact = stepLossIsTrainingLoss && (onSuboptimality[j] || targets[j].metric == metricNames[0])
            checkedEveryStep[j] = exact
            targetResolution[j] = exact ? 1 : evaluationInterval
            if exact { openEveryStep += 1 }
        }
    }

    public mutating func evaluated(step t: Int, metrics values: UnsafeBufferPointer<Double>, seconds s: Double) {
        timeTargets(step: t, seconds: s)
        steps.append(t)
        seconds.append(s)
        rates.append(.nan)
        effectiveRates.append(.nan)
        let calls = gradientEvaluations + lossEvaluations
        oracleCalls.append(calls)
        pendingRate = true
        pendingEffective = true
        for k in metrics.indices { metrics[k].append(values[k]) }
        minibatchLoss.append(sampleCount > 0 ? sampleSum / Double(sampleCount) : .nan)
        sampleSum = 0
        sampleCount = 0
        for (j, target) in targets.enumerated() where stepsToTarget[j] == nil {
            let v: Double
            if target.metric == Target.suboptimality {
                v = suboptimality(values[0])
            } else if let k = metricNames.firstIndex(of: target.metric) {
                v = values[k]
            } else {
                continue
            }
            if !v.isNaN, target.isReached(by: v) {
                stepsToTarget[j] = t
                secondsToTarget[j] = s
                oracleCallsToTarget[j] = calls
                if checkedEveryStep[j] { openEveryStep -= 1 }
            }
        }
    }

    public mutating func updated(step t: Int, lr: Double, momentum: Double?, loss: Double) {
        if pendingRate {
            rates[rates.count - 1] = lr
            pendingRate = false
        }
        sampleSum += loss
        sampleCount += 1
        // The calls before update t: what reaching x_t cost.
        let calls = gradientEvaluations + lossEvaluations
        gradientEvaluations += 1
        guard openEveryStep > 0 else { return }
        // The loss at x_t before update t: the step the evaluation at t would report.
        for j in 0..<targets.count where checkedEveryStep[j] && stepsToTarget[j] == nil {
            let v = onSuboptimality[j] ? suboptimality(loss) : loss
            // Target.isReached(by:), on the precomputed fields.
            if !v.isNaN, higherIsBetter[j] ? v >= thresholds[j] : v <= thresholds[j] {
                stepsToTarget[j] = t
                oracleCallsToTarget[j] = calls
                openEveryStep -= 1
                awaitingSeconds += 1
            }
        }
    }

    public mutating func applied(step t: Int, effectiveRate: Double) {
        hasEffectiveRates = true
        if pendingEffective {
            effectiveRates[effectiveRates.count - 1] = effectiveRate
            pendingEffective = false
        }
    }

    public mutating func evaluatedLoss(count: Int) {
        lossEvaluations += count
    }

    public mutating func ended(step t: Int, seconds s: Double) {
        timeTargets(step: t, seconds: s)
    }

    /// Times the targets reached since the last clock reading, by linear interpolation in steps
    /// between it and this one (step t, seconds s); then makes this the last reading.
    private mutating func timeTargets(step t: Int, seconds s: Double) {
        if awaitingSeconds > 0 {
            for j in 0..<targets.count where secondsToTarget[j] == nil {
                guard let reached = stepsToTarget[j] else { continue }
                let span = t - lastEvaluationStep
                let fraction = span > 0 ? Double(reached - lastEvaluationStep) / Double(span) : 0
                secondsToTarget[j] = lastEvaluationSeconds + fraction * (s - lastEvaluationSeconds)
            }
            awaitingSeconds = 0
        }
        lastEvaluationStep = t
        lastEvaluationSeconds = s
    }
}
