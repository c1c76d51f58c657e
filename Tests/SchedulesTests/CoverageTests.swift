import Foundation
import Testing
import Schedules
import Specs

/// Which schedules the closed-form tests check: `schedule(_:)` records the top-level name of
/// every schedule it builds while `built` is set (a task-local, so parallel tests do not mix).
enum ClosedFormCoverage {
    /// The names recorded so far, behind a lock.
    final class Names: @unchecked Sendable {
        private let lock = NSLock()
        private var names: Set<String> = []
        func insert(_ name: String) { lock.withLock { _ = names.insert(name) } }
        var all: Set<String> { lock.withLock { names } }
    }

    @TaskLocal static var built: Names?

    /// Every closed-form test of ClosedFormTests.swift and DrivenAndCompositeTests.swift. A new
    /// schedule without a torch golden case needs a closed-form test, listed here.
    static var checks: [(test: String, run: () throws -> Void)] { [
        ("constantIsThePlainBaseline", ClosedFormTests().constantIsThePlainBaseline),
        ("stepAndMultistep", ClosedFormTests().stepAndMultistep),
        ("exponentialInverseTimeInverseSqrt", ClosedFormTests().exponentialInverseTimeInverseSqrt),
        ("linearCoversDecayAndWarmup", ClosedFormTests().linearCoversDecayAndWarmup),
        ("polynomial", ClosedFormTests().polynomial),
        ("cosineFollowsTorchClosedFormBeyondTMax", ClosedFormTests().cosineFollowsTorchClosedFormBeyondTMax),
        ("cosineRestartsWithTMult2RestartsAtEachCycle", ClosedFormTests().cosineRestartsWithTMult2RestartsAtEachCycle),
        ("cosineRestartsIsPeriodicWithTMult1", ClosedFormTests().cosineRestartsIsPeriodicWithTMult1),
        ("OneCycleTests.twoPhaseEnds(cos)", { try OneCycleTests().twoPhaseEnds("cos") }),
        ("CyclicTests.triangular", CyclicTests().triangular),
        ("WarmupStableDecayTests.minFactor", WarmupStableDecayTests().minFactor),
        ("PlateauTests.reductionsCooldownAndAbsThreshold", PlateauTests().reductionsCooldownAndAbsThreshold),
        ("lossAdaptiveUsesBestSoFar", MetricAndTimeTests().lossAdaptiveUsesBestSoFar),
        ("timeDecayUsesElapsedSeconds", MetricAndTimeTests().timeDecayUsesElapsedSeconds),
        ("sequentialBoundaries", CompositeTests().sequentialBoundaries),
        ("warmupDefaultsToNoWastedUpdate", CompositeTests().warmupDefaultsToNoWastedUpdate),
        ("chainedMultipliesFactors", CompositeTests().chainedMultipliesFactors),
        ("interleaveCountsUpdateZero", CompositeTests().interleaveCountsUpdateZero),
    ] }
}

@Suite struct ScheduleCoverageTests {
    /// Every registered schedule is pinned by a torch or optax golden case or a closed-form test: a schedule
    /// added to `ScheduleRegistry` without one fails here. A closed-form test counts for the
    /// schedules it builds at the top level (running it again, under the recorder); its
    /// expectations are checked again too.
    @Test func everyRegisteredScheduleHasAGoldenOrClosedFormCase() throws {
        let golden = Set(try torchGoldenCases.map { try Spec(parsing: $0.spec).name })
            .union(try optaxGoldenCases.map { try Spec(parsing: $0.spec).name })
        let names = ClosedFormCoverage.Names()
        try ClosedFormCoverage.$built.withValue(names) {
            for check in ClosedFormCoverage.checks { try check.run() }
        }
        let covered = golden.union(names.all)
        for name in ScheduleRegistry.names {
            #expect(covered.contains(name), "schedule '\(name)' has no torch golden case and no closed-form test")
        }
        #expect(covered.isSubset(of: Set(ScheduleRegistry.names)), "cases for unregistered schedules: \(covered.subtracting(ScheduleRegistry.names))")
    }
}
