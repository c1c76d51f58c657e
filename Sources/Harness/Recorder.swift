/// Records a run's curve at its evaluation points, and when it reached each target.
/// Storage is reserved at set-up, so recording allocates nothing per step.
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
    /// metrics[k][i]: metric k at evaluation point i.
    public private(set) var metrics: [[Double]]
    /// The mean minibatch loss over the updates since the previous evaluation (stochastic problems).
    public private(set) var minibatchLoss: [Double] = []
    public private(set) var stepsToTarget: [Int?]
    public private(set) var secondsToTarget: [Double?]

    private var sampleSum = 0.0
    private var sampleCount = 0
    private var pendingRate = false

    public init(metricNames: [String], targets: [Target], optimum: Double?, initialLoss: Double, capacity: Int) {
        self.metricNames = metricNames
        self.targets = targets
        self.optimum = optimum
        self.initialGap = optimum.map { initialLoss - $0 }
        metrics = metricNames.map { _ in [] }
        stepsToTarget = targets.map { _ in nil }
        secondsToTarget = targets.map { _ in nil }
        steps.reserveCapacity(capacity)
        seconds.reserveCapacity(capacity)
        rates.reserveCapacity(capacity)
        minibatchLoss.reserveCapacity(capacity)
        for k in metrics.indices { metrics[k].reserveCapacity(capacity) }
    }

    /// The relative suboptimality (f − f*)/(f₀ − f*) of a training loss, or NaN without f*.
    @inline(__always)
    public func suboptimality(_ loss: Double) -> Double {
        guard let optimum, let initialGap, initialGap > 0 else { return .nan }
        return (loss - optimum) / initialGap
    }

    public mutating func evaluated(step t: Int, metrics values: UnsafeBufferPointer<Double>, seconds s: Double) {
        steps.append(t)
        seconds.append(s)
        rates.append(.nan)
        pendingRate = true
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
    }
}
