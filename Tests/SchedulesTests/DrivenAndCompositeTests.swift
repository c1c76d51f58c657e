import Foundation
import Testing
@testable import Schedules
import Specs

@Suite struct PlateauTests {
    /// Hand-traced through torch's ReduceLROnPlateau.step (abs threshold 0.5, patience 2, cooldown 1).
    @Test func reductionsCooldownAndAbsThreshold() throws {
        let s = try schedule("plateau(factor=0.5, patience=2, cooldown=1, threshold=0.5, threshold_mode=abs)")
        #expect(s.drive == .metric)
        let c = s.makeController(base: 1)
        let metrics = [10, 9.6, 9.4, 9.0, 9.0, 9.0, 9.0, 8.0, 8.0, 8.0, 8.0, 8.0]
        let expected = [1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25]
        for t in metrics.indices {
            #expect(c.rate(at: t, elapsedSeconds: 0) == expected[t], "t=\(t)")
            c.observe(metrics[t], after: t)
        }
    }

    @Test func relativeThresholdNeedsARealImprovement() throws {
        let c = try schedule("plateau(patience=0)").makeController(base: 1)
        c.observe(10, after: 0)
        c.observe(9.9995, after: 1) // not below 10·(1 − 1e-4) = 9.999: bad, patience 0 -> reduce
        #expect(c.rate(at: 2, elapsedSeconds: 0) == 0.1)
        let d = try schedule("plateau(patience=0)").makeController(base: 1)
        d.observe(10, after: 0)
        d.observe(9.998, after: 1)
        #expect(d.rate(at: 2, elapsedSeconds: 0) == 1)
    }

    @Test func minLRAndEpsGuard() throws {
        let c = try schedule("plateau(factor=0.5, patience=0, min_lr=0.3)").makeController(base: 1)
        let expected = [1, 1, 0.5, 0.3, 0.3, 0.3]
        for t in expected.indices {
            #expect(c.rate(at: t, elapsedSeconds: 0) == expected[t], "t=\(t)")
            c.observe(1, after: t)
        }
        #expect((c as? ReduceLROnPlateau.Controller)?.reductions == 2)
        let e = try schedule("plateau(factor=0.9, patience=0, eps=0.2)").makeController(base: 1)
        for t in 0..<5 { e.observe(1, after: t) }
        #expect(e.rate(at: 5, elapsedSeconds: 0) == 1) // 1 − 0.9 is not > eps
    }

    @Test func maxMode() throws {
        let c = try schedule("plateau(mode=max, patience=1, factor=0.5)").makeController(base: 1)
        for (t, m) in [1.0, 2, 1.5, 1.5, 3].enumerated() { c.observe(m, after: t) }
        #expect(c.rate(at: 5, elapsedSeconds: 0) == 0.5) // two non-improvements after 2
    }
}

@Suite struct MetricAndTimeTests {
    @Test func lossAdaptiveUsesBestSoFar() throws {
        let s = try schedule("loss_adaptive")
        #expect(s.drive == .metric)
        let c = s.makeController(base: 0.6)
        #expect(c.rate(at: 0, elapsedSeconds: 0) == 0.6) // nothing observed yet: lr0
        c.observe(4, after: 0)
        #expect(c.rate(at: 1, elapsedSeconds: 0) == 0.3) // loss = best: lr0/2
        c.observe(8, after: 1)
        #expect(close(c.rate(at: 2, elapsedSeconds: 0), 0.2)) // 0.6/(1 + 8/4)
        c.observe(.nan, after: 2)
        #expect(close(c.rate(at: 3, elapsedSeconds: 0), 0.2)) // ignored
        c.observe(2, after: 3)
        #expect(c.rate(at: 4, elapsedSeconds: 0) == 0.3)
    }

    @Test func lossAdaptiveFixedMinLossReproducesTheSeedsCode() throws {
        let c = try schedule("loss_adaptive(min_loss=1)").makeController(base: 0.01)
        c.observe(3, after: 0)
        #expect(c.rate(at: 1, elapsedSeconds: 0) == 0.01 / (1 + 3)) // seed 000: 0.01/(1 + loss)
    }

    @Test func lossAdaptiveGuardsKeepTheRateInRange() throws {
        let c = try schedule("loss_adaptive").makeController(base: 1)
        c.observe(0, after: 0)
        #expect(c.rate(at: 1, elapsedSeconds: 0) == 1) // 0/0 taken as 0
        c.observe(1, after: 1)
        let r = c.rate(at: 2, elapsedSeconds: 0)
        #expect(r >= 0 && r < 1e-300)
        c.observe(-5, after: 2)
        #expect(c.rate(at: 3, elapsedSeconds: 0) == 1) // negative ratio taken as 0
    }

    @Test func timeDecayUsesElapsedSeconds() throws {
        let s = try schedule("time_decay(gamma=0.5)")
        #expect(s.drive == .time)
        let c = s.makeController(base: 0.8)
        #expect(c.rate(at: 0, elapsedSeconds: 0) == 0.8)
        #expect(c.rate(at: 0, elapsedSeconds: 2) == 0.4)
        #expect(c.rate(at: 999, elapsedSeconds: 6) == 0.2)
        #expect(c.rate(at: 1, elapsedSeconds: -3) == 0.8)
    }
}

@Suite struct CompositeTests {
    @Test func sequentialBoundaries() throws {
        let r = try rates("sequential(schedules=linear(start_factor=0.1, total_iters=4);cosine(T_max=6), milestones=4)", lr0: 1, 11)
        #expect(r[0] == 0.1)
        #expect(close(r[3], 0.1 + 0.9 * 3 / 4))
        #expect(r[4] == 1) // cosine restarts at 0 on its milestone
        #expect(close(r[7], 0.5))
        #expect(r[10] == 0)
        let three = try rates("sequential(schedules=constant;exponential(gamma=0.5);step(step_size=2, gamma=0.1), milestones=2;5)", lr0: 1, 9)
        #expect(three == [1, 1, 1, 0.5, 0.25, 1, 1, three[7], three[7]])
        #expect(close(three[7], 0.1))
    }

    @Test func cosineThenZeroAsDocumented() throws {
        let r = try rates("sequential(schedules=cosine(T_max=4);constant(factor=0, total_iters=100), milestones=4)", lr0: 1, 12)
        #expect(close(r[2], 0.5))
        for t in 4..<12 { #expect(r[t] == 0) }
    }

    @Test func sequentialForwardsObservationsToTheActiveChild() throws {
        let s = try schedule("sequential(schedules=constant(factor=0.5, total_iters=1000);plateau(patience=0, factor=0.5), milestones=3)")
        #expect(s.drive == .metric)
        let c = s.makeController(base: 1)
        for t in 0..<3 {
            #expect(c.rate(at: t, elapsedSeconds: 0) == 0.5)
            c.observe(100 - Double(t), after: t) // to the constant child: ignored
        }
        #expect(c.rate(at: 3, elapsedSeconds: 0) == 1)
        c.observe(5, after: 3) // the plateau's first observation: its baseline
        #expect(c.rate(at: 4, elapsedSeconds: 0) == 1)
        c.observe(5, after: 4)
        #expect(c.rate(at: 5, elapsedSeconds: 0) == 0.5)
    }

    @Test func sequentialRestartsATimeDrivenChildsClock() throws {
        let s = try schedule("sequential(schedules=constant;time_decay(gamma=1), milestones=2)")
        #expect(s.drive == .time)
        let c = s.makeController(base: 1)
        #expect(c.rate(at: 0, elapsedSeconds: 0) == 1)
        #expect(c.rate(at: 1, elapsedSeconds: 5) == 1)
        #expect(c.rate(at: 2, elapsedSeconds: 10) == 1)
        #expect(c.rate(at: 3, elapsedSeconds: 11) == 0.5)
    }

    @Test func warmupDefaultsToNoWastedUpdate() throws {
        let r = try rates("warmup(steps=4)", lr0: 1, 8)
        #expect(r.map { ($0 * 1e12).rounded() / 1e12 } == [0.2, 0.4, 0.6, 0.8, 1, 1, 1, 1]) // lr0(t+1)/(N+1)
        #expect(try rates("warmup(steps=4, start_factor=0)", lr0: 1, 1) == [0])
        let then = try rates("warmup(steps=3, then=exponential(gamma=0.5))", lr0: 1, 6)
        #expect(then[3] == 1 && then[4] == 0.5 && then[5] == 0.25)
        #expect(try rates("warmup(steps=0, then=cosine(T_max=10))", lr0: 1, 25) == rates("cosine(T_max=10)", lr0: 1, 25))
        #expect(try schedule("warmup(steps=3, then=plateau)").drive == .metric)
    }

    @Test(arguments: [1, 2, 5, 17, 100])
    func warmupIsMonotone(_ n: Int) throws {
        for spec in ["warmup(steps=\(n))", "warmup(steps=\(n), start_factor=0)", "linear(start_factor=0.01, total_iters=\(n))",
                     "wsd(warmup_steps=\(n), decay_steps=1, total_steps=\(n + 1))"] {
            let r = try rates(spec, lr0: 0.1, n + 1)
            for t in 1..<r.count { #expect(r[t] >= r[t - 1], "\(spec) t=\(t)") }
            #expect(close(r[n], 0.1))
        }
    }

    @Test func chainedMultipliesFactors() throws {
        let r = try rates("chained(schedules=constant(factor=0.1, total_iters=20);exponential(gamma=0.9))", lr0: 0.5, 22)
        #expect(close(r[0], 0.05))
        #expect(close(r[1], 0.045))
        #expect(close(r[19], 0.5 * 0.1 * pow(0.9, 19)))
        #expect(close(r[20], 0.5 * pow(0.9, 20)))
        #expect(try rates("chained(schedules=constant;cosine(T_max=3))", lr0: 0, 3) == [0, 0, 0])
        let m = try schedule("chained(schedules=exponential(gamma=0.5);loss_adaptive)")
        #expect(m.drive == .metric)
        let c = m.makeController(base: 1)
        #expect(c.rate(at: 0, elapsedSeconds: 0) == 1)
        c.observe(2, after: 0)
        #expect(c.rate(at: 1, elapsedSeconds: 0) == 0.25)
    }

    @Test func interleaveCountsUpdateZero() throws {
        let r = try rates("interleave(every=3, on=exponential(gamma=0.5), otherwise=constant(factor=0.1, total_iters=1000))", lr0: 1, 7)
        #expect(r[0] == 1 && r[3] == 0.125 && r[6] == 0.015625)
        for t in [1, 2, 4, 5] { #expect(r[t] == 0.1) }
    }

    @Test func interleaveForwardsEveryObservationToBoth() throws {
        let s = try schedule("interleave(every=2, on=loss_adaptive, otherwise=plateau(patience=0, factor=0.5))")
        #expect(s.drive == .metric)
        let c = s.makeController(base: 1)
        #expect(c.rate(at: 0, elapsedSeconds: 0) == 1)
        c.observe(4, after: 0)
        #expect(c.rate(at: 1, elapsedSeconds: 0) == 1)
        c.observe(4, after: 1)
        #expect(c.rate(at: 2, elapsedSeconds: 0) == 0.5)
        c.observe(8, after: 2)
        #expect(c.rate(at: 3, elapsedSeconds: 0) == 0.25)
        #expect(close(c.rate(at: 4, elapsedSeconds: 0), 1.0 / 3))
    }

    @Test func interleaveReproducesSeed000() throws {
        let c = try schedule("interleave(every=100, on=linear(start_factor=1, end_factor=0, total_iters=1000), otherwise=loss_adaptive(min_loss=1))")
            .makeController(base: 0.01)
        #expect(c.rate(at: 0, elapsedSeconds: 0) == 0.01)
        c.observe(1, after: 0)
        #expect(c.rate(at: 1, elapsedSeconds: 0) == 0.005)
        #expect(close(c.rate(at: 100, elapsedSeconds: 0), 0.009))
    }
}
