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

    /// Reads the records of an earlier (possibly interrupted) sweep. A torn last line — a run
    /// cut off mid-write — is dropped with a warning and removed from the file; a malformed line
    /// elsewhere is an error (the file was edited or corrupted).
    static func load(_ url: URL, log: (String) -> Void) throws -> [String: RunRecord] {
        guard let data = FileManager.default.contents(atPath: url.path), !data.isEmpty else { return [:] }
        var records: [String: RunRecord] = [:]
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var goodBytes = 0
        for (i, line) in lines.enumerated() {
            if line.isEmpty { if i < lines.count - 1 { goodBytes += 1 }; continue }
            let isLast = i == lines.count - 1
            do {
                let record = try RunRecord.parse(line, path: url.path, number: i + 1)
                if isLast {
                    // Complete JSON but no newline: a record cut off after its last byte. Keep it.
                    records[record.id] = record
                    goodBytes += line.utf8.count
                    try RunStore.truncate(url, to: goodBytes, appendNewline: true)
                    return records
                }
                records[record.id] = record
                goodBytes += line.utf8.count + 1
            } catch {
                if isLast {
                    log("warning: \(url.path): the last line is torn (an interrupted write); dropping it and running that run again")
                    try RunStore.truncate(url, to: goodBytes, appendNewline: false)
                    return records
                }
                throw SweepError("\(error); move the file away to start afresh")
            }
        }
        return records
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
