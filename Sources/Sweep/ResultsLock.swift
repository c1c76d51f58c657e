import Run
import Foundation

/// An exclusive lock on a results folder, held by the one process that writes it (`lrbench sweep`,
/// `lrbench merge --out`): `flock(2)` on `<folder>/.lock`, which holds the holder's PID.
///
/// The kernel releases the lock when its holder exits, however it exits (`kill -9` included), so a
/// lock is never stale; the file itself stays (removing it would let two writers lock two files).
/// A second writer gets one line naming the holder's PID.
public final class ResultsLock {
    public static let fileName = ".lock"
    private var fd: Int32

    /// Takes the lock on `directory` (which must exist) without waiting.
    public init(_ directory: URL) throws {
        let path = directory.appendingPathComponent(Self.fileName).path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw SweepError("cannot create the lock file \(path): \(String(cString: strerror(errno)))") }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let reason = errno
            defer { Foundation.close(fd); fd = -1 }
            guard reason == EWOULDBLOCK else {
                throw SweepError("cannot lock \(path): \(String(cString: strerror(reason)))")
            }
            let holder = Self.holder(path).map { "PID \($0)" } ?? "a process that has not written its PID yet"
            throw SweepError("the results folder \(directory.path) is in use by another lrbench (\(holder), holding \(path)); wait for it to finish or use another --out")
        }
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) != 0 || pwrite(fd, text, text.count, 0) != text.count {
            let reason = String(cString: strerror(errno))
            release()
            throw SweepError("cannot write \(path): \(reason)")
        }
    }

    /// The PID written in the lock file; retried for a moment, since the holder writes it just
    /// after taking the lock.
    static func holder(_ path: String) -> Int32? {
        for _ in 0..<20 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            usleep(10_000)
        }
        return nil
    }

    /// Releases the lock (also done when the process exits).
    public func release() {
        guard fd >= 0 else { return }
        Foundation.close(fd)
        fd = -1
    }

    deinit { release() }
}
