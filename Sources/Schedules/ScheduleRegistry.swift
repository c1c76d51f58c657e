import Specs

/// Every schedule, by spec name.
public enum ScheduleRegistry {
    public static let all: [any Schedule.Type] = [
        ConstantLR.self,
        StepLR.self,
        MultiStepLR.self,
        ExponentialLR.self,
        LinearLR.self,
        PolynomialLR.self,
        CosineAnnealingLR.self,
        CosineAnnealingWarmRestarts.self,
        OneCycleLR.self,
        CyclicLR.self,
        ReduceLROnPlateau.self,
        SequentialLR.self,
        WarmupLR.self,
        ChainedScheduler.self,
        InverseTimeDecay.self,
        InverseSqrtDecay.self,
        LossAdaptive.self,
        TimeDecay.self,
        InterleavedLR.self,
        WarmupStableDecay.self,
        OptaxPolynomial.self,
        OptaxLinear.self,
        OptaxCosineDecay.self,
        OptaxWarmupCosine.self,
        OptaxExponentialDecay.self,
        OptaxPiecewiseConstant.self,
        OptaxPiecewiseInterpolate.self,
        OptaxCosineOnecycle.self,
        OptaxLinearOnecycle.self,
    ]

    /// The spec names of all schedules, in catalog order. (A key path `\.catalog.name` on
    /// `any Schedule.Type` crashes swift 6.3.1's SILGen: use closures.)
    public static var names: [String] { all.map { $0.catalog.name } }

    /// The schedule a spec names, parsed and validated.
    public static func make(_ spec: Spec) throws -> any Schedule {
        guard let type = all.first(where: { $0.catalog.name == spec.name }) else {
            throw SpecUsageError("unknown schedule '\(spec.name)'; known: \(names.joined(separator: ", "))")
        }
        return try type.init(spec: spec)
    }

    /// Parses `text` and makes the schedule.
    public static func make(parsing text: String) throws -> any Schedule {
        try make(Spec(parsing: text))
    }
}
