import Optimizers
import Schedules
import Specs

/// Replacements for named optimizers and schedules, injected into one sweep plan (never global):
/// how the regression gate's tests plant a subtly wrong method under a real name and check that
/// the gate catches it. Empty in every real sweep.
public struct MethodOverrides: Sendable {
    public var optimizers: [String: any Optimizer.Type] = [:]
    public var schedules: [String: any Schedule.Type] = [:]

    public init(optimizers: [String: any Optimizer.Type] = [:], schedules: [String: any Schedule.Type] = [:]) {
        self.optimizers = optimizers
        self.schedules = schedules
    }

    public static let none = MethodOverrides()

    func optimizer(_ spec: Spec) throws -> any Optimizer {
        if let type = optimizers[spec.name] { return try type.init(spec: spec) }
        return try OptimizerRegistry.make(spec)
    }

    func schedule(_ spec: Spec) throws -> any Schedule {
        if let type = schedules[spec.name] { return try type.init(spec: spec) }
        return try ScheduleRegistry.make(spec)
    }
}
