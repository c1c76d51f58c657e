import Run
import Foundation

/// `runs.jsonl`: one record per line, appended as runs end, each line written by one `write`.
final class RunStore {
    let fd: Int32
    let path: String

    init(appendingTo url: URL) throws {
        path = url.path
        fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        if fd < 0 { throw SweepError("cannot open \(url.path) for appending: \(String(cString: strerror(errno)))") }
    }

    func append(_ record: RunRecord) throws {
        let line = record.jsonLine + "\n"
        let bytes = Array(line.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SweepError("cannot append to \(path): \(String(cString: strerror(errno))); the runs written before are intact, rerun to resume")
            }
            written += n
        }
    }

    func close() throws {
        fsync(fd)
        Foundation.close(fd)
    }

    /// Reads the records of an earlier (possibly interrupted) sweep (`RunLog` reads the lines;
    /// LF and CRLF line ends alike) and repairs the file for appending, changing only what is
    /// not a complete record:
    /// - a torn last line (a run cut off mid-write) is cut off with a warning — only its bytes,
    ///   never a line that parses — and that run runs again;
    /// - a last record without its line end gets one;
    /// - duplicate run ids are collapsed with one warning, and the file is rewritten (atomically)
    ///   without them, so that they do not stay forever.
    /// A complete line that is not valid UTF-8 or not a record is an error naming the file and line
    /// (the file was edited or damaged; resuming does not guess which runs it held).
    static func load(_ url: URL, log: (String) -> Void) throws -> [String: RunRecord] {
        guard let data = FileManager.default.contents(atPath: url.path), !data.isEmpty else { return [:] }
        let runs: RunLog
        do { runs = try RunLog(data, path: url.path) } catch {
            throw SweepError("\(error); delete that line to run its run again, or move the file away to start afresh")
        }
        if let torn = runs.torn {
            log("warning: \(url.path):\(torn.line): the last line is torn (\(torn.reason), an interrupted write); dropping its \(torn.bytes) bytes and running that run again")
        }
        if let note = runs.duplicateNote(path: url.path) {
            log("warning: " + note + "; rewriting the file without them")
            try AtomicFile.write(runs.compacted, to: url)
        } else if let torn = runs.torn {
            try RunStore.truncate(url, to: torn.offset, appendNewline: false)
        } else if runs.unterminated {
            try RunStore.truncate(url, to: data.count, appendNewline: true)
        }
        return Dictionary(uniqueKeysWithValues: runs.records.map { ($0.id, $0) })
    }

    static func truncate(_ url: URL, to length: Int, appendNewline: Bool) throws {
        guard let handle = try? FileHandle(forUpdating: url) else { throw SweepError("cannot repair \(url.path)") }
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(length))
        if appendNewline {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\n".utf8))
        }
    }
}
