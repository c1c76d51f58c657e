import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep

@Suite struct SweepFailureTests {
    /// An append that fails (as on a full disk) stops every worker and is reported; the failure is
    /// shared by the workers under one lock (run under `--sanitize=thread` to check that).
    @Test func aFailedAppendStopsEveryWorkerAndIsReported() throws {
        let dir = temporaryDirectory("append-fails")
        let plan = SweepPlan(config: try SweepConfig(yaml: tinySweep))
        let runner = SweepRunner(plan: plan, directory: dir, workers: 2)
        runner.showProgress = false
        runner.log = { _ in }
        try runner.prepareProblems()
        let runs = dir.appendingPathComponent("runs.jsonl")
        let store = try RunStore(appendingTo: runs)
        // The store's descriptor now refers to a read-only /dev/null: every write fails (EBADF).
        let readOnly = open("/dev/null", O_RDONLY)
        try #require(readOnly >= 0 && dup2(readOnly, store.fd) == store.fd)
        close(readOnly)
        var existing: [String: RunRecord] = [:]
        let planned = try plan.pendingTuningRuns(records: [])
        do {
            _ = try runner.execute(planned, existing: &existing, store: store, label: "tuning")
            Issue.record("expected the failed append to be reported")
        } catch let e as SweepError {
            #expect(e.description.hasPrefix("cannot append to \(runs.path): "), "\(e)")
        }
        #expect(existing.isEmpty)
        try store.close()
        #expect(try Data(contentsOf: runs).isEmpty)
    }
}
