import Foundation
import Testing
import TestSupport

/// A bad `budgets:` list through the real binary: one line naming the field, exit 2, nothing written.
@Suite struct BudgetsCommandTests {
    @Test(arguments: [
        ("[500, 250]", "budgets[1]: must be in ascending order, got 250 after 500"),
        ("[]", "budgets: must be a non-empty list of step budgets in ascending order, e.g. [250, 500, 1000]"),
        ("[250, 250]", "budgets[1]: 250 is listed twice; list each budget once"),
        ("[0, 250]", "budgets[0]: must be a whole number in [1, 10000000], got '0'"),
    ])
    func badBudgetsExit2WithOneLine(list: String, message: String) throws {
        let dir = temporaryDirectory("budgets-cli")
        let file = dir.appendingPathComponent("b.yaml")
        try """
        name: b
        budgets: \(list)
        learning_rates: [0.1]
        seeds: {tuning: [0], evaluation: [1]}
        problems:
          - spec: quadratic(dim=2)
        optimizers: [sgd]
        schedules: [constant]
        """.write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try lrbench(["sweep", file.path, "--out", out.path])
        #expect(r.status == 2)
        #expect(r.err == "error: \(file.path):2: \(message)\n", "got: \(r.err)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("runs.jsonl").path))
    }
}
