import Foundation
import Testing
@testable import Schedules
import Specs

/// Hand-derived values at the edges of every step-driven schedule.
@Suite struct ClosedFormTests {
    @Test func constantIsThePlainBaseline() throws {
        let s = try stepSchedule("constant")
        for t in [0, 1, 5, 1_000_000] { #expect(s.learningRate(at: t, base: 0.3) == 0.3) }
        let c = try stepSchedule("constant(factor=0.5, total_iters=3)")
        #expect(c.learningRate(at: 0, base: 0.1) == 0.05)
        #expect(c.learningRate(at: 2, base: 0.1) == 0.05)
        #expect(c.learningRate(at: 3, base: 0.1) == 0.1)
    }

    @Test func stepAndMultistep() throws {
        let s = try stepSchedule("step(step_size=3)")
        #expect(s.learningRate(at: 0, base: 1) == 1)
        #expect(s.learningRate(at: 2, base: 1) == 1)
        #expect(close(s.learningRate(at: 3, base: 1), 0.1))
        #expect(close(s.learningRate(at: 6, base: 1), 0.01))
        let m = try stepSchedule("multistep(milestones=2;5;5, gamma=0.5)")
        #expect(m.learningRate(at: 1, base: 1) == 1)
        #expect(m.learningRate(at: 2, base: 1) == 0.5)
        #expect(m.learningRate(at: 4, base: 1) == 0.5)
        #expect(m.learningRate(at: 5, base: 1) == 0.125) // a repeated milestone counts twice
        #expect(m.learningRate(at: 99, base: 1) == 0.125)
    }

    @Test func exponentialInverseTimeInverseSqrt() throws {
        let e = try stepSchedule("exponential(gamma=0.5)")
        #expect(e.learningRate(at: 0, base: 0.8) == 0.8)
        #expect(e.learningRate(at: 3, base: 0.8) == 0.1)
        let it = try stepSchedule("inverse_time(gamma=0.5)")
        #expect(it.learningRate(at: 0, base: 0.8) == 0.8)
        #expect(it.learningRate(at: 2, base: 0.8) == 0.4)
        #expect(it.learningRate(at: 6, base: 0.8) == 0.2)
        let sq = try stepSchedule("inverse_sqrt(gamma=1)")
        #expect(sq.learningRate(at: 0, base: 0.8) == 0.8)
        #expect(sq.learningRate(at: 3, base: 0.8) == 0.4)
        #expect(sq.learningRate(at: 15, base: 0.8) == 0.2)
    }

    @Test func linearCoversDecayAndWarmup() throws {
        let d = try stepSchedule("linear") // torch defaults: 1/3 -> 1 over 5
        #expect(d.learningRate(at: 0, base: 0.3) == 0.3 / 3)
        #expect(close(d.learningRate(at: 5, base: 0.3), 0.3))
        #expect(close(d.learningRate(at: 50, base: 0.3), 0.3))
        let decay = try stepSchedule("linear(start_factor=1, end_factor=0, total_iters=10)") // seed 000: lr0(1 - t/T)
        for t in 0...10 { #expect(close(decay.learningRate(at: t, base: 0.1), 0.1 * (1 - Double(t) / 10))) }
        #expect(decay.learningRate(at: 10, base: 0.1) == 0)
        #expect(decay.learningRate(at: 11, base: 0.1) == 0)
        let fromZero = try stepSchedule("linear(start_factor=0, total_iters=4)")
        #expect(fromZero.learningRate(at: 0, base: 1) == 0) // torch rejects 0; its closed form gives 0
        #expect(fromZero.learningRate(at: 2, base: 1) == 0.5)
    }

    @Test func polynomial() throws {
        let p = try stepSchedule("polynomial(total_iters=4, power=2)")
        #expect(p.learningRate(at: 0, base: 1) == 1)
        #expect(p.learningRate(at: 2, base: 1) == 0.25)
        #expect(p.learningRate(at: 4, base: 1) == 0)
        #expect(p.learningRate(at: 9, base: 1) == 0)
        let q = try stepSchedule("polynomial(total_iters=4, power=0.5)")
        #expect(q.learningRate(at: 3, base: 1) == 0.5)
    }

    @Test func cosineFollowsTorchClosedFormBeyondTMax() throws {
        let c = try stepSchedule("cosine(T_max=10)")
        #expect(c.learningRate(at: 0, base: 1) == 1)
        #expect(close(c.learningRate(at: 5, base: 1), 0.5))
        #expect(c.learningRate(at: 10, base: 1) == 0) // cos(pi) = -1 exactly
        #expect(close(c.learningRate(at: 15, base: 1), 0.5)) // climbs back ...
        #expect(close(c.learningRate(at: 20, base: 1), 1)) // ... to lr0 at 2 T_max
        #expect(c.learningRate(at: 30, base: 1) == 0)
        let m = try stepSchedule("cosine(T_max=4, eta_min=0.1)")
        #expect(m.learningRate(at: 4, base: 0.5) == 0.1)
        #expect(close(m.learningRate(at: 2, base: 0.5), 0.3))
    }

    @Test func cosineRestartsWithTMult2RestartsAtEachCycle() throws {
        let s = try #require(try schedule("cosine_restarts(T_0=3, T_mult=2, eta_min=0.01)") as? CosineAnnealingWarmRestarts)
        // Cycles of 3, 6, 12, 24, 48: restarts at t = 3, 9, 21, 45.
        #expect(s.cyclePosition(at: 0) == (0, 3))
        #expect(s.cyclePosition(at: 2) == (2, 3))
        #expect(s.cyclePosition(at: 3) == (0, 6))
        #expect(s.cyclePosition(at: 8) == (5, 6))
        #expect(s.cyclePosition(at: 9) == (0, 12))
        #expect(s.cyclePosition(at: 21) == (0, 24))
        #expect(s.cyclePosition(at: 44) == (23, 24))
        #expect(s.cyclePosition(at: 45) == (0, 48))
        for (restart, length) in [(0, 3), (3, 6), (9, 12), (21, 24), (45, 48)] {
            #expect(s.learningRate(at: restart, base: 0.1) == 0.1, "restart at \(restart)")
            let before = restart + length - 1
            let expected = 0.01 + (0.1 - 0.01) * (1 + cos(Double.pi * Double(length - 1) / Double(length))) / 2
            #expect(close(s.learningRate(at: before, base: 0.1), expected), "end of the cycle at \(before)")
            let middle = restart + length / 2
            if length % 2 == 0 { #expect(close(s.learningRate(at: middle, base: 0.1), 0.055)) }
        }
    }

    @Test func cosineRestartsIsPeriodicWithTMult1() throws {
        let s = try stepSchedule("cosine_restarts(T_0=7, eta_min=0.001)")
        for t in 0..<100 {
            #expect(s.learningRate(at: t, base: 0.1) == s.learningRate(at: t + 7, base: 0.1))
            #expect(s.learningRate(at: t, base: 0.1) == s.learningRate(at: t % 7, base: 0.1))
        }
    }
}

@Suite struct OneCycleTests {
    /// total 100, pct 0.3: phase ends at 29 (and 58 for three phases) and 99.
    @Test(arguments: ["cos", "linear"])
    func twoPhaseEnds(_ strategy: String) throws {
        let s = try stepSchedule("onecycle(total_steps=100, anneal_strategy=\(strategy))")
        let lr0 = 1.0 // max_lr defaults to lr0
        #expect(close(s.learningRate(at: 0, base: lr0), 0.04)) // torch too: end + (start − end)/2·2 rounds
        #expect(s.momentum(at: 0, base: lr0) == 0.95)
        #expect(close(s.learningRate(at: 29, base: lr0), 1))
        #expect(close(try #require(s.momentum(at: 29, base: lr0)), 0.85))
        #expect(close(s.learningRate(at: 99, base: lr0), 0.04 / 1e4))
        #expect(close(try #require(s.momentum(at: 99, base: lr0)), 0.95))
        // Held beyond total_steps (torch raises).
        #expect(s.learningRate(at: 100, base: lr0) == s.learningRate(at: 99, base: lr0))
        #expect(s.learningRate(at: 10_000, base: lr0) == s.learningRate(at: 99, base: lr0))
        #expect(s.momentum(at: 500, base: lr0) == s.momentum(at: 99, base: lr0))
        // Midway through the warm-up: the mean of both ends for either strategy.
        let mid = try stepSchedule("onecycle(total_steps=100, pct_start=0.21, anneal_strategy=\(strategy))")
        #expect(close(mid.learningRate(at: 10, base: lr0), (0.04 + 1) / 2))
        #expect(close(try #require(mid.momentum(at: 10, base: lr0)), 0.9))
    }

    @Test(arguments: ["cos", "linear"])
    func threePhaseEnds(_ strategy: String) throws {
        let s = try stepSchedule("onecycle(max_lr=2, total_steps=100, three_phase=true, anneal_strategy=\(strategy))")
        #expect(close(s.learningRate(at: 0, base: 123), 0.08)) // an explicit max_lr is absolute
        #expect(close(s.learningRate(at: 29, base: 123), 2))
        #expect(close(try #require(s.momentum(at: 29, base: 123)), 0.85))
        #expect(close(s.learningRate(at: 58, base: 123), 0.08))
        #expect(close(try #require(s.momentum(at: 58, base: 123)), 0.95))
        #expect(close(s.learningRate(at: 99, base: 123), 0.08 / 1e4))
        #expect(close(try #require(s.momentum(at: 80, base: 123)), 0.95)) // flat in phase 3
    }

    @Test func noMomentumWhenNotCycled() throws {
        let s = try stepSchedule("onecycle(total_steps=10, cycle_momentum=false)")
        #expect(s.momentum(at: 3, base: 1) == nil)
    }
}

@Suite struct CyclicTests {
    // base 0.01, max 0.1, up 3, down 5: cycle of 8, peaks at 3, 11, 19; troughs at 0, 8, 16.
    let spec = "cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=5"

    @Test func triangular() throws {
        let s = try stepSchedule(spec + ")")
        for trough in [0, 8, 16] {
            #expect(close(s.learningRate(at: trough, base: 7), 0.01))
            #expect(close(try #require(s.momentum(at: trough, base: 7)), 0.9))
        }
        for peak in [3, 11, 19] {
            #expect(close(s.learningRate(at: peak, base: 7), 0.1))
            #expect(close(try #require(s.momentum(at: peak, base: 7)), 0.8))
        }
        #expect(close(s.learningRate(at: 13, base: 7), 0.01 + 0.09 * 3 / 5)) // 2 of 5 down
    }

    @Test func triangular2HalvesPerCycle() throws {
        let s = try stepSchedule(spec + ", mode=triangular2)")
        #expect(close(s.learningRate(at: 3, base: 7), 0.1))
        #expect(close(s.learningRate(at: 11, base: 7), 0.01 + 0.09 / 2))
        #expect(close(s.learningRate(at: 19, base: 7), 0.01 + 0.09 / 4))
        #expect(close(try #require(s.momentum(at: 11, base: 7)), 0.9 - 0.1 / 2))
        #expect(close(s.learningRate(at: 8, base: 7), 0.01))
    }

    @Test func expRangeScalesPerIteration() throws {
        let s = try stepSchedule(spec + ", mode=exp_range, gamma=0.9)")
        #expect(close(s.learningRate(at: 3, base: 7), 0.01 + 0.09 * pow(0.9, 3)))
        #expect(close(s.learningRate(at: 11, base: 7), 0.01 + 0.09 * pow(0.9, 11)))
        #expect(close(try #require(s.momentum(at: 11, base: 7)), 0.9 - 0.1 * pow(0.9, 11)))
    }

    @Test func defaultsFollowLr0() throws {
        let s = try stepSchedule("cyclic(step_size_up=2)")
        #expect(close(s.learningRate(at: 0, base: 0.5), 0.05))
        #expect(close(s.learningRate(at: 2, base: 0.5), 0.5))
        #expect(close(s.learningRate(at: 4, base: 0.5), 0.05))
    }
}

@Suite struct WarmupStableDecayTests {
    let base = "wsd(warmup_steps=10, decay_steps=20, total_steps=100"

    @Test(arguments: [("linear", 0.5, 0.05), ("cosine", 0.5, (1 + cos(Double.pi * 19 / 20)) / 2), ("sqrt", 1 - 0.5.squareRoot(), 1 - (19.0 / 20).squareRoot())])
    func phaseEnds(_ decay: String, _ atHalf: Double, _ atLast: Double) throws {
        let s = try stepSchedule(base + ", decay=\(decay))")
        #expect(s.learningRate(at: 0, base: 1) == 0)
        #expect(s.learningRate(at: 5, base: 1) == 0.5)
        #expect(s.learningRate(at: 10, base: 1) == 1)
        #expect(s.learningRate(at: 79, base: 1) == 1)
        #expect(s.learningRate(at: 80, base: 1) == 1) // decay starts at progress 0
        #expect(close(s.learningRate(at: 90, base: 1), atHalf))
        #expect(close(s.learningRate(at: 99, base: 1), atLast))
        #expect(s.learningRate(at: 100, base: 1) == 0)
        #expect(s.learningRate(at: 1000, base: 1) == 0)
    }

    @Test func minFactor() throws {
        let s = try stepSchedule(base + ", min_factor=0.1)")
        #expect(s.learningRate(at: 0, base: 1) == 0.1)
        #expect(close(s.learningRate(at: 90, base: 1), 0.55))
        #expect(s.learningRate(at: 100, base: 1) == 0.1)
        let noWarmup = try stepSchedule("wsd(warmup_steps=0, decay_steps=5, total_steps=5)")
        #expect(noWarmup.learningRate(at: 0, base: 1) == 1)
        #expect(close(noWarmup.learningRate(at: 4, base: 1), 0.2))
    }
}
