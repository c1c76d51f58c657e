import Testing
import TestSupport

/// The range test's three suggestions on the command line (issue 14's minibatch fragility).
@Suite struct RangeTestCommandTests {
    @Test func minibatchSuggestionsNameBothRules() throws {
        let r = try lrbench(["range-test", "--problem", "linreg(batch=32)", "--optimizer", "sgd(momentum=0.9)"])
        #expect(r.status == 0)
        #expect(r.err.contains("suggested lr (steepest descent): 0.02009233002565046\n"))
        #expect(r.err.contains("suggested lr (Lightning's steepest descent, no noise guard): 1.3530477745798067e-07\n"))
        #expect(r.err.contains("suggested lr (minimum / 10): 0.015556761439304723\n"))
    }

    @Test func tooNoisyToSuggestSaysWhy() throws {
        let r = try lrbench(["range-test", "--problem", "linreg(batch=8)", "--optimizer", "sgd(momentum=0.9)"])
        #expect(r.status == 0)
        #expect(r.err.contains("suggested lr (steepest descent): none (the smoothed loss never fell below its start by more than the noise)\n"))
    }
}
