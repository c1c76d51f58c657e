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

/// A progress line: a bar with runs done/total, rate and ETA on a terminal (at most 4 redraws a
/// second), a plain line every 5 seconds otherwise.
final class Progress {
    let total: Int
    let label: String
    let enabled: Bool
    let terminal: Bool
    let log: (String) -> Void
    let start = Date()
    var done = 0
    lazy var lastDraw = start

    init(total: Int, label: String, enabled: Bool, log: @escaping (String) -> Void) {
        self.total = total
        self.label = label
        self.enabled = enabled
        self.log = log
        terminal = isatty(STDERR_FILENO) != 0
    }

    func tick() {
        done += 1
        guard enabled else { return }
        let now = Date()
        let interval = terminal ? 0.25 : 5
        if now.timeIntervalSince(lastDraw) >= interval || done == total {
            lastDraw = now
            draw(now)
        }
    }

    func draw(_ now: Date) {
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let text = "\(label): \(done)/\(total) runs, \(Self.format(rate)) runs/s, elapsed \(Self.clock(elapsed)), ETA \(Self.clock(eta))"
        if terminal {
            let width = 24
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(text)\u{1B}[K".utf8))
        } else {
            log(text)
        }
    }

    func finish() {
        if enabled && terminal && done > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func format(_ x: Double) -> String { x >= 100 ? String(Int(x)) : String(Double(Int(x * 10)) / 10) }

    static func clock(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(String(format: "%02d", t / 60 % 60))m" : "\(t / 60):\(String(format: "%02d", t % 60))"
    }
}
