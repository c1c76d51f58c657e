import Foundation
import Testing
@testable import Schedules
import Specs

/// Composites built from child values in Swift (as optax's `join_schedules`) are the schedules
/// their spec strings build, step for step, and their specs parse back to them.
@Suite struct CompositeValueTests {
    /// Rates and momenta of two schedules, bit for bit, over `n` updates at a few base rates, each
    /// observing the same (falling then flat) losses, so metric-driven children move too.
    func expectSameSteps(_ a: any Schedule, _ b: any Schedule, _ n: Int = 120, sourceLocation: SourceLocation = #_sourceLocation) {
        for lr0 in [0.0, 0.1, 3] {
            let ca = a.makeController(base: lr0), cb = b.makeController(base: lr0)
            var same = true
            for t in 0..<n {
                let ra = ca.rate(at: t, elapsedSeconds: 0), rb = cb.rate(at: t, elapsedSeconds: 0)
                same = same && ra.bitPattern == rb.bitPattern && ca.momentum(at: t)?.bitPattern == cb.momentum(at: t)?.bitPattern
                let loss = t < 60 ? 1 / Double(t + 1) : 0.5
                ca.observe(loss, after: t)
                cb.observe(loss, after: t)
            }
            #expect(same, "\(a.spec) and \(b.spec) differ at lr0 = \(lr0)", sourceLocation: sourceLocation)
        }
        #expect(a.drive == b.drive, sourceLocation: sourceLocation)
    }

    /// The value-built schedule equals the string-built one, and its spec round-trips: it parses
    /// to the same spec, which builds the same schedule again.
    func check(_ value: any Schedule, equals text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let built = try schedule(text)
        expectSameSteps(value, built, sourceLocation: sourceLocation)
        let reparsed = try Spec(parsing: value.spec.description)
        #expect(reparsed == value.spec, "\(value.spec)", sourceLocation: sourceLocation)
        expectSameSteps(value, try ScheduleRegistry.make(reparsed), sourceLocation: sourceLocation)
    }

    @Test func sequentialFromValues() throws {
        let v = try SequentialLR([try schedule("linear(start_factor=0.1, total_iters=10)"), try schedule("cosine(T_max=90)"),
                                  try schedule("constant")], milestones: [10, 100])
        try check(v, equals: "sequential(schedules=linear(start_factor=0.1, total_iters=10);cosine(T_max=90);constant, milestones=10;100)")
        #expect(v.spec.description == "sequential(schedules=linear(start_factor=0.1, total_iters=10);cosine(T_max=90);constant, milestones=10;100)")
        // One child, no milestones.
        try check(try SequentialLR([try schedule("exponential(gamma=0.97)")], milestones: []), equals: "sequential(schedules=exponential(gamma=0.97))")
    }

    @Test func warmupFromValues() throws {
        let cosine = try schedule("cosine(T_max=90)")
        try check(try WarmupLR(steps: 10, then: cosine), equals: "warmup(steps=10, then=cosine(T_max=90))")
        try check(try WarmupLR(steps: 10, startFactor: 0.25, then: cosine), equals: "warmup(steps=10, start_factor=0.25, then=cosine(T_max=90))")
        try check(try WarmupLR(steps: 0, then: try schedule("constant")), equals: "warmup(steps=0)")
        #expect(try WarmupLR(steps: 4, then: try schedule("constant")).spec.description == "warmup(steps=4, start_factor=0.2, then=constant)")
    }

    @Test func chainedFromValues() throws {
        let v = try ChainedScheduler([try schedule("constant(factor=0.1, total_iters=20)"), try schedule("exponential(gamma=0.9)")])
        try check(v, equals: "chained(schedules=constant(factor=0.1, total_iters=20);exponential(gamma=0.9))")
    }

    @Test func interleaveFromValues() throws {
        // A metric-driven child: observations reach both children in both builds.
        let v = try InterleavedLR(every: 7, on: try schedule("linear(start_factor=1, end_factor=0, total_iters=100)"),
                                  otherwise: try schedule("loss_adaptive(min_loss=0.01)"))
        try check(v, equals: "interleave(every=7, on=linear(start_factor=1, end_factor=0, total_iters=100), otherwise=loss_adaptive(min_loss=0.01))")
        #expect(v.drive == .metric)
    }

    @Test func compositesNestAsValues() throws {
        // A composite of composites, built only from values, equals its string.
        let warm = try WarmupLR(steps: 5, then: try ChainedScheduler([try schedule("step(step_size=20, gamma=0.5)"), try schedule("exponential(gamma=0.99)")]))
        let v = try SequentialLR([warm, try InterleavedLR(every: 3, on: try schedule("constant"), otherwise: try schedule("plateau(patience=2)"))],
                                 milestones: [60])
        try check(v, equals: "sequential(schedules=warmup(steps=5, start_factor=0.16666666666666666, then=chained(schedules=step(step_size=20, gamma=0.5);exponential(gamma=0.99)));interleave(every=3, on=constant, otherwise=plateau(patience=2)), milestones=60)")
    }

    @Test func badValuesAreTheStringPathsErrors() throws {
        let c = try schedule("constant")
        func message(_ body: () throws -> Any) -> String? {
            do { _ = try body(); return nil } catch { return "\(error)" }
        }
        #expect(message { try SequentialLR([c, c], milestones: []) } == usageError("sequential(schedules=constant;constant)"))
        #expect(message { try SequentialLR([c, c, c], milestones: [5, 5]) } == usageError("sequential(schedules=constant;constant;constant, milestones=5;5)"))
        #expect(message { try SequentialLR([c, c], milestones: [0]) } == "sequential: parameter 'milestones' must be >= 1, got '0'")
        #expect(message { try SequentialLR([], milestones: []) } == "sequential: parameter 'schedules' must list at least one schedule")
        #expect(message { try ChainedScheduler([]) } == "chained: parameter 'schedules' must list at least one schedule")
        #expect(message { try WarmupLR(steps: -1, then: c) } == usageError("warmup(steps=-1)"))
        #expect(message { try WarmupLR(steps: 3, startFactor: 1.5, then: c) } == usageError("warmup(steps=3, start_factor=1.5)"))
        #expect(message { try InterleavedLR(every: 0, on: c, otherwise: c) } == usageError("interleave(every=0, on=constant, otherwise=constant)"))
    }
}
