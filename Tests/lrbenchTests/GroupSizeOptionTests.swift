import Foundation
import Testing
import TestSupport
import Run
import Sweep

/// `sweep --group-size N` and `LRBENCH_GROUP_SIZE` (README, "Batched runs"): validated with one
/// line and exit 2, and the results do not depend on them.
@Suite struct GroupSizeOptionTests {
    /// Runs lrbench with extra environment variables.
    func lrbench(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test(arguments: [
        (["sweep", "x.yaml", "--group-size", "0"], [:], "error: --group-size must be a whole number >= 1 (1 runs every run alone), got 0\n"),
        (["sweep", "x.yaml", "--group-size", "-3"], [:], "error: --group-size must be a whole number >= 1 (1 runs every run alone), got -3\n"),
        (["sweep", "x.yaml"], ["LRBENCH_GROUP_SIZE": "many"], "error: LRBENCH_GROUP_SIZE must be a whole number >= 1 (1 runs every run alone), got 'many'\n"),
        (["sweep", "x.yaml"], ["LRBENCH_GROUP_SIZE": "0"], "error: LRBENCH_GROUP_SIZE must be a whole number >= 1 (1 runs every run alone), got '0'\n"),
    ] as [([String], [String: String], String)])
    func badGroupSizesAreOneLineAndExit2(arguments: [String], environment: [String: String], message: String) throws {
        let r = try lrbench(arguments, environment: environment)
        #expect(r.status == 2)
        #expect(r.err == message)
        #expect(r.out.isEmpty)
    }

    @Test func theGroupSizeDoesNotChangeTheResults() throws {
        let dir = temporaryDirectory("group-size")
        let file = dir.appendingPathComponent("s.yaml")
        try """
        name: groups
        budget: 30
        evaluation_interval: 5
        learning_rates: {from: 1e-3, to: 1e-1, count: 3}
        seeds: {tuning: [0], evaluation: [1]}
        problems:
          - spec: quadratic(dim=4, cond=20)
          - spec: linreg(n=40, d=4, batch=8)
        optimizers: [sgd, adam]
        schedules: [constant, cosine(T_max=budget)]
        """.write(to: file, atomically: true, encoding: .utf8)
        var results: [[String: RunRecord]] = []
        for (arguments, environment) in [(["--group-size", "1"], [:]), (["--group-size", "5"], [:]), ([], ["LRBENCH_GROUP_SIZE": "2"])] as [([String], [String: String])] {
            let out = dir.appendingPathComponent("out-\(results.count)")
            let r = try lrbench(["sweep", file.path, "--out", out.path, "--quiet", "--workers", "2"] + arguments, environment: environment)
            #expect(r.status == 0, "\(r.err)")
            let runs = out.appendingPathComponent("runs.jsonl")
            let records = try RunRecord.readAll(Data(contentsOf: runs), path: runs.path)
            results.append(Dictionary(records.map { ($0.id, $0.withoutTimings) }, uniquingKeysWith: { a, _ in a }))
        }
        #expect(results[0].count >= 2 * 2 * 2 * 3)
        #expect(results[1] == results[0])
        #expect(results[2] == results[0])
    }
}
