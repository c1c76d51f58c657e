import Run
import Foundation

/// The contents of a `runs.jsonl`, read as bytes (`ByteLines`: LF or CRLF line ends): the one
/// place where its lines become records, for the resumed sweep (`RunStore.load`) and for the
/// read-only readers (`RunRecord.readAll`: merge and reports).
///
/// - Every complete line (ended by LF) that is not blank must be valid UTF-8 and a record of
///   this format; anything else is an error naming the file and line.
/// - The bytes after the last line end are either a record cut off just before its line end
///   (kept: `unterminated`) or a torn write (`torn`), never a line that parses.
/// - A run id seen before (a duplicated line, two sweeps that once wrote one folder) is
///   collapsed: the first record is kept and the others counted in `duplicates`.
public struct RunLog {
    /// The records in file order, the first of each run id.
    public var records: [RunRecord]
    /// The lines of `records` (to rewrite the file without its duplicates).
    var lines: [ByteLines.Line]
    /// Lines whose run id came earlier in the file.
    public var duplicates = 0
    /// Of those, how many differ from the first record beyond measured times.
    public var differingDuplicates = 0
    /// A torn last line: its number, why it is not a record, and where its bytes start.
    public var torn: (line: Int, reason: String, offset: Int, bytes: Int)?
    /// The last record has no line end (cut off after its last byte).
    public var unterminated = false

    public init(_ data: Data, path: String) throws {
        records = []
        lines = []
        var index: [String: Int] = [:]
        for line in ByteLines(data).lines {
            if line.isEmpty && line.terminated { continue }
            let record: RunRecord
            if line.terminated {
                let text = try line.utf8(path: path)
                do { record = try RunRecord.parse(Substring(text)) } catch {
                    throw SweepError("\(path):\(line.number): not a run record (\(RunRecord.brief(error)))")
                }
            } else {
                // The tail after the last line end: a record cut off before its line end, or torn.
                guard line.firstInvalidUTF8 == nil, let r = try? RunRecord.parse(Substring(line.text)) else {
                    let reason = line.isEmpty ? "a stray carriage return"
                        : line.firstInvalidUTF8 != nil ? "cut off inside a character" : "cut off after \(line.bytes.count) bytes"
                    torn = (line.number, reason, line.start, data.count - line.start)
                    break
                }
                record = r
                unterminated = true
            }
            guard record.format == RunRecord.formatVersion else {
                throw SweepError("\(path):\(line.number): record format \(record.format), this lrbench reads \(RunRecord.formatVersion)")
            }
            if let first = index[record.id] {
                duplicates += 1
                if records[first].withoutTimings != record.withoutTimings { differingDuplicates += 1 }
                continue
            }
            index[record.id] = records.count
            records.append(record)
            lines.append(line)
        }
    }

    /// One line about the duplicates, nil when there are none.
    public func duplicateNote(path: String) -> String? {
        guard duplicates > 0 else { return nil }
        let differ = differingDuplicates == 0 ? "all identical to the first but for measured times"
            : "\(differingDuplicates) of them differ from the first beyond measured times"
        return "\(path): \(duplicates) duplicate record\(duplicates == 1 ? "" : "s") (a run id seen before; two sweeps writing one folder?) collapsed, keeping the first of each (\(differ))"
    }

    /// The file as it should be: the kept records' lines as they were (all valid UTF-8), each
    /// ended by LF.
    var compacted: String {
        lines.map { $0.text + "\n" }.joined()
    }
}

extension RunRecord {
    /// Every record of a runs.jsonl, read without changing the file (`RunLog` reads the lines):
    /// every non-empty line must be a record, a torn last line is an error here (only a resumed
    /// sweep repairs its own file), and a run id seen before is dropped with one `warn`ing that
    /// counts them.
    public static func readAll(_ data: Data, path: String,
                               warn: (String) -> Void = { FileHandle.standardError.write(Data(("warning: " + $0 + "\n").utf8)) }) throws -> [RunRecord] {
        let log = try RunLog(data, path: path)
        if let torn = log.torn {
            throw SweepError("\(path):\(torn.line): not a run record (\(torn.reason)); the last line has no line end: an interrupted write? Rerun the sweep into that folder to repair it")
        }
        if let note = log.duplicateNote(path: path) { warn(note) }
        return log.records
    }
}
