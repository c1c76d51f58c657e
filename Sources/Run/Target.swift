import Problems

/// A fixed target on one metric, as COCO's fixed-target runtimes: the first evaluation at which
/// a run reaches it gives its steps (and seconds) to target. A run that never reaches it is
/// censored (infinitely slow), never missing.
public struct Target: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `suboptimality` (the relative gap (f − f*)/(f₀ − f*) of the training loss) or one of the
    /// problem's metric names (`train_loss`, `test_accuracy`, …).
    public var metric: String
    public var value: Double
    /// The metric's direction, as its problem declares it (`Problem.metrics(for:)`): a higher-is-better
    /// target is reached from below, the others (losses, gaps) from above.
    public var direction: MetricDirection

    public init(metric: String, value: Double, direction: MetricDirection = .lower) {
        self.metric = metric
        self.value = value
        self.direction = direction
    }

    public var higherIsBetter: Bool { direction == .higher }

    @inline(__always)
    public func isReached(by v: Double) -> Bool {
        higherIsBetter ? v >= value : v <= value
    }

    /// `suboptimality<=0.001`, `test_accuracy>=0.9`.
    public var description: String { metric + (higherIsBetter ? ">=" : "<=") + value.description }

    public static let suboptimality = "suboptimality"
}
