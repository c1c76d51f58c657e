import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep

@Suite(.serialized) struct ResultsLockTests {
    @Test func aLockedFolderIsRefusedWithTheHoldersPID() throws {
        let dir = temporaryDirectory("locked")
        let lock = try ResultsLock(dir)
        do {
            _ = try ResultsLock(dir)
            Issue.record("expected the second lock to be refused")
        } catch let e as SweepError {
            #expect(e.description == "the results folder \(dir.path) is in use by another lrbench (PID \(getpid()), holding \(dir.path)/.lock); wait for it to finish or use another --out")
        }
        // A sweep into the locked folder writes nothing there.
        #expect(throws: SweepError.self) { _ = try runSweep(workers: 1, into: dir) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [".lock"])
        lock.release()
        _ = try runSweep(workers: 1, into: dir)
        let merged = temporaryDirectory("locked-merge")
        let held = try ResultsLock(merged)
        #expect(throws: SweepError.self) { _ = try Merge.merge([dir], into: merged, log: { _ in }) }
        held.release()
        #expect(try Merge.merge([dir], into: merged, log: { _ in }).records == lines(dir))
    }

    func lines(_ dir: URL) throws -> Int {
        try String(contentsOf: dir.appendingPathComponent("runs.jsonl"), encoding: .utf8).split(separator: "\n").count
    }
}

/// `RunRecord.readAll` warns once about duplicate run ids, with their count.
@Suite struct ReadAllWarningTests {
    @Test func duplicatesAreCountedInOneWarning() throws {
        let dir = temporaryDirectory("dup-warn")
        _ = try runSweep(workers: 2, into: dir)
        let lines = try String(contentsOf: dir.appendingPathComponent("runs.jsonl"), encoding: .utf8).split(separator: "\n")
        let data = Data((lines + [lines[1], lines[4], lines[1]]).map { $0 + "\n" }.joined().utf8)
        var notes: [String] = []
        #expect(try RunRecord.readAll(data, path: "runs.jsonl", warn: { notes.append($0) }).count == lines.count)
        #expect(notes == ["runs.jsonl: 3 duplicate records (a run id seen before; two sweeps writing one folder?) collapsed, keeping the first of each (all identical to the first but for measured times)"])
    }
}
