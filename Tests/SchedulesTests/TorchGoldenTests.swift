import Testing
@testable import Schedules
import Specs

/// Every schedule torch has, against values recorded from the real torch schedulers (which step
/// with their recursive `get_lr`; we evaluate closed forms, so agreement is to rounding).
@Suite struct TorchGoldenTests {
    @Test(arguments: torchGoldenCases)
    func matchesTorch(_ golden: TorchGoldenCase) throws {
        let s = try schedule(golden.spec)
        let c = s.makeController(base: golden.lr0)
        for t in golden.rates.indices {
            let r = c.rate(at: t, elapsedSeconds: 0)
            #expect(close(r, golden.rates[t], abs: 1e-15 * golden.lr0), "t=\(t): \(r) vs torch \(golden.rates[t])")
            if let momenta = golden.momenta {
                let m = try #require(c.momentum(at: t))
                #expect(close(m, momenta[t]), "momentum t=\(t): \(m) vs torch \(momenta[t])")
            }
            if let metrics = golden.metrics { c.observe(metrics[t], after: t) }
        }
        if let stepSchedule = s as? any StepSchedule {
            for t in golden.rates.indices {
                #expect(stepSchedule.learningRate(at: t, base: golden.lr0) == c.rate(at: t, elapsedSeconds: 0))
            }
        }
    }

    @Test func goldenCasesCoverEveryTorchSchedule() {
        let names = Set(torchGoldenCases.compactMap { try? Spec(parsing: $0.spec).name })
        for name in ["constant", "step", "multistep", "exponential", "linear", "polynomial", "cosine",
                     "cosine_restarts", "onecycle", "cyclic", "plateau", "sequential", "warmup", "chained"] {
            #expect(names.contains(name), "no torch golden case for \(name)")
        }
    }
}
