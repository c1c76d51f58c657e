import Testing
@testable import Schedules
import Foundation
import Specs

/// |a − b| <= rel·|b| + abs.
func close(_ a: Double, _ b: Double, rel: Double = 1e-12, abs absTol: Double = 1e-15) -> Bool {
    abs(a - b) <= rel * abs(b) + absTol
}

/// The schedule `text` names, through the registry. Every closed-form test builds its schedules
/// here, so `ClosedFormCoverage` can see which schedules a test really checks.
func schedule(_ text: String) throws -> any Schedule {
    let spec = try Spec(parsing: text)
    ClosedFormCoverage.built?.insert(spec.name)
    return try ScheduleRegistry.make(spec)
}

func stepSchedule(_ text: String) throws -> any StepSchedule {
    try #require(try schedule(text) as? any StepSchedule)
}

/// The rates of a step-driven schedule for t = 0..<n through its controller.
func rates(_ text: String, lr0: Double, _ n: Int) throws -> [Double] {
    let c = try schedule(text).makeController(base: lr0)
    return (0..<n).map { c.rate(at: $0, elapsedSeconds: 0) }
}

/// The spec error message for `text`, or nil if it parses and validates.
func usageError(_ text: String) -> String? {
    do {
        _ = try schedule(text)
        return nil
    } catch let e as SpecUsageError {
        return e.description
    } catch {
        return "\(error)"
    }
}
