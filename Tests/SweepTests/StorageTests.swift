import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Run
@testable import Sweep

/// runs.jsonl read as bytes (LF or CRLF), torn tails cut to the byte, invalid UTF-8 and duplicate
/// ids reported, and the results folder's lock.
@Suite(.serialized) struct StorageTests {
    /// A finished sweep's runs.jsonl lines (without line ends) and its records.
    func finished(_ name: String) throws -> (lines: [String], records: [String: RunRecord]) {
        let dir = temporaryDirectory(name)
        _ = try runSweep(workers: 2, into: dir)
        let text = try String(contentsOf: dir.appendingPathComponent("runs.jsonl"), encoding: .utf8)
        return (text.split(separator: "\n").map(String.init), try loadRecords(dir))
    }

    /// A sweep resumed on `bytes` as its runs.jsonl: the outcome, the warnings, the folder.
    func resume(_ bytes: Data, _ name: String) throws -> (SweepResults.Outcome, [String], URL) {
        let dir = temporaryDirectory(name)
        try bytes.write(to: dir.appendingPathComponent("runs.jsonl"))
        let runner = SweepRunner(plan: SweepPlan(config: try SweepConfig(yaml: tinySweep)), directory: dir, workers: 2)
        runner.showProgress = false
        var warnings: [String] = []
        runner.log = { warnings.append($0) }
        return (try SweepResults.run(runner), warnings, dir)
    }

    func crlf(_ lines: some Sequence<String>) -> String { lines.map { $0 + "\r\n" }.joined() }

    @Test func aCRLFRunsFileResumesWithoutLosingOrRerunningARecord() throws {
        let (lines, reference) = try finished("crlf-ref")
        let (outcome, warnings, dir) = try resume(Data(crlf(lines).utf8), "crlf")
        #expect(outcome.executed == 0)
        #expect(outcome.reused == lines.count)
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(sameResults(try loadRecords(dir), reference))
        // The read-only reader (merge, reports) reads it too, and the file is left as it was.
        let data = try Data(contentsOf: dir.appendingPathComponent("runs.jsonl"))
        #expect(data == Data(crlf(lines).utf8))
        #expect(try RunRecord.readAll(data, path: "x").count == lines.count)
    }

    @Test func aTornTailAfterCRLFLinesCutsOnlyTheTornBytes() throws {
        let (lines, reference) = try finished("torn-crlf-ref")
        let keep = lines.count / 3
        let good = crlf(lines.prefix(keep))
        let torn = String(lines[keep].prefix(lines[keep].count / 2))
        let (outcome, warnings, dir) = try resume(Data((good + torn).utf8), "torn-crlf")
        #expect(outcome.reused == keep)
        #expect(outcome.executed == lines.count - keep)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains(":\(keep + 1): the last line is torn") == true, "\(warnings)")
        #expect(sameResults(try loadRecords(dir), reference))
        // The complete lines are untouched, byte for byte; the torn bytes are gone.
        let after = try Data(contentsOf: dir.appendingPathComponent("runs.jsonl"))
        #expect(after.prefix(good.utf8.count) == Data(good.utf8))
        let ids = after.split(separator: 0x0A).map { try? RunRecord.parse(Substring(String(decoding: $0, as: UTF8.self))).id }
        #expect(ids.count == lines.count && Set(ids.compactMap { $0 }).count == lines.count)
        // Cut between the CR and the LF of a record: that record parses, so it is kept.
        let (kept, keptWarnings, _) = try resume(Data((good + lines[keep] + "\r").utf8), "cr-only")
        #expect(kept.reused == keep + 1)
        #expect(keptWarnings.isEmpty)
    }

    @Test func aLineWithInvalidUTF8IsAnErrorNamingItsLine() throws {
        let (lines, _) = try finished("utf8-ref")
        var bytes = [UInt8](lines.map { $0 + "\n" }.joined().utf8)
        // Line 3's problem name gets a byte that is not UTF-8.
        let lineStart = lines.prefix(2).map { $0.utf8.count + 1 }.reduce(0, +)
        let field = try #require(lines[2].range(of: "\"problem\":\"")).upperBound
        let offset = lineStart + lines[2].utf8.distance(from: lines[2].startIndex, to: field)
        bytes[offset] = 0xFF
        let data = Data(bytes)
        let dir = temporaryDirectory("utf8")
        let runs = dir.appendingPathComponent("runs.jsonl")
        try data.write(to: runs)
        do {
            _ = try runSweep(workers: 2, into: dir)
            Issue.record("expected an error for the line that is not UTF-8")
        } catch let e as SweepError {
            #expect(e.description.hasPrefix("\(runs.path):3: not valid UTF-8 (byte \(offset - lineStart + 1) of the line, 0xff)"), "\(e)")
        }
        #expect(try Data(contentsOf: runs) == data)  // nothing repaired, nothing appended
        do {
            _ = try RunRecord.readAll(data, path: "runs.jsonl")
            Issue.record("expected an error from the read-only reader")
        } catch let e as SweepError {
            #expect(e.description.hasPrefix("runs.jsonl:3: not valid UTF-8"))
        }
    }

    @Test func typedPhaseAndStopWriteTheSameLinesAndABadValueNamesItsLineAndField() throws {
        let (lines, records) = try finished("typed")
        // Phase and stop reason are enums in the record, strings in the file: every line reads
        // back and is written again byte for byte.
        for line in lines {
            let r = try RunRecord.parse(Substring(line))
            #expect(r.jsonLine == line)
            #expect(line.contains("\"phase\":\"\(r.phase.rawValue)\"") && line.contains("\"stop\":\"\(r.stop.rawValue)\""))
        }
        #expect(Set(records.values.map(\.phase)) == [.tuning, .evaluation, .oneShot])
        #expect(records.values.contains { $0.stop == .budget })
        // A value outside the enum is the reader's one-line error, naming the line and the field.
        for (field, good, bad) in [("phase", "evaluation", "evaluate"), ("stop", "budget", "timeout")] {
            var edited = lines
            let k = try #require(lines.firstIndex { $0.contains("\"\(field)\":\"\(good)\"") })
            edited[k] = lines[k].replacingOccurrences(of: "\"\(field)\":\"\(good)\"", with: "\"\(field)\":\"\(bad)\"")
            do {
                _ = try RunRecord.readAll(Data(edited.map { $0 + "\n" }.joined().utf8), path: "runs.jsonl")
                Issue.record("expected an error for \(field) \(bad)")
            } catch let e as SweepError {
                #expect(e.description.hasPrefix("runs.jsonl:\(k + 1): not a run record (bad value at '\(field)'"), "\(e)")
                #expect(e.description.contains(bad) && !e.description.contains("\n"), "\(e)")
            }
        }
    }

    @Test func duplicateLinesAreCollapsedWithOneWarning() throws {
        let (lines, reference) = try finished("dup-ref")
        let doubled = lines + [lines[1], lines[4], lines[1]]
        let data = Data(doubled.map { $0 + "\n" }.joined().utf8)
        #expect(try RunRecord.readAll(data, path: "runs.jsonl").count == lines.count)
        // A resumed sweep collapses them too, reruns nothing, and rewrites the file without them.
        let (outcome, warnings, dir) = try resume(data, "dup")
        #expect(outcome.executed == 0)
        #expect(outcome.reused == lines.count)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("3 duplicate records") == true, "\(warnings)")
        let after = try String(contentsOf: dir.appendingPathComponent("runs.jsonl"), encoding: .utf8)
        #expect(after == lines.map { $0 + "\n" }.joined())
        #expect(sameResults(try loadRecords(dir), reference))
    }
}
