import Run
import Foundation
import Statistics
import LinearAlgebra

/// `meta.json` beside a sweep's results: where and how it ran. Reports print it in their header;
/// the regression gate reads `referenceSeconds` to compare time per step across machines.
public struct SweepMeta: Codable, Sendable, Equatable {
    public var sweep: String
    /// The command that reproduces the results.
    public var command: String
    public var workers: Int
    public var shard: String
    /// ISO 8601 UTC, when the sweep finished.
    public var finished: String
    /// Wall-clock seconds of the whole sweep (both phases), summed over the sessions that built
    /// the results (a resumed sweep adds its own; a rerun that ran nothing keeps the earlier
    /// figure); for merged shards, the sum over shards.
    public var wallSeconds: Double
    public var runs: Int
    public var cpu: String
    public var cores: Int
    public var openblas: String
    public var swift: String
    public var gitCommit: String
    /// Seconds for a fixed BLAS workload (`ReferenceWorkload`) timed in the same process: time per
    /// step divided by this is comparable across machines.
    public var referenceSeconds: Double

    enum CodingKeys: String, CodingKey {
        case sweep, command, workers, shard, finished
        case wallSeconds = "wall_seconds"
        case runs, cpu, cores, openblas, swift
        case gitCommit = "git_commit"
        case referenceSeconds = "reference_seconds"
    }

    public static func read(_ directory: URL) -> SweepMeta? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("meta.json").path) else { return nil }
        return try? JSONDecoder().decode(SweepMeta.self, from: data)
    }

    public func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        try AtomicFile.write(String(decoding: data, as: UTF8.self) + "\n", to: directory.appendingPathComponent("meta.json"))
    }

    /// What this machine and build are.
    public static func describeMachine() -> (cpu: String, cores: Int, openblas: String, swift: String, git: String) {
        var cpu = "unknown"
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let value = line.split(separator: ":", maxSplits: 1).last {
            cpu = value.trimmingCharacters(in: .whitespaces)
        }
        return (cpu, ProcessInfo.processInfo.activeProcessorCount, BLASThreads.configuration + " (kernels: " + BLASKernels.pin() + ")",
                firstLine(of: ["swift", "--version"]) ?? "unknown",
                firstLine(of: ["git", "rev-parse", "--short=12", "HEAD"]) ?? "unknown")
    }

    static func firstLine(of command: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
    }
}

/// A fixed BLAS workload timed in the same run as the benchmarks: 200 products of a 256 × 256
/// matrix with a vector and 4 of 128 × 128 matrices, on one thread; the median of 5 timings.
public enum ReferenceWorkload {
    public static func seconds() -> Double {
        let n = 256
        let a = Matrix<Double>(rows: n, columns: n)
        for i in 0..<(n * n) { a.pointer[i] = Double(i % 17) * 0.01 }
        let x = Buffer<Double>(count: n), y = Buffer<Double>(count: n)
        x.fill(1)
        let b = Matrix<Double>(rows: 128, columns: 128), c = Matrix<Double>(rows: 128, columns: 128)
        for i in 0..<(128 * 128) { b.pointer[i] = Double(i % 13) * 0.01 }
        var times: [Double] = []
        for _ in 0..<5 {
            let start = monotonicSeconds()
            for _ in 0..<200 { Double.gemv(transpose: false, n, n, 1, a.pointer, n, x.pointer, 0, y.pointer) }
            for _ in 0..<4 { Double.gemm(transposeA: false, transposeB: false, 128, 128, 128, 1, b.pointer, 128, b.pointer, 128, 0, c.pointer, 128) }
            times.append(monotonicSeconds() - start)
        }
        return Stats.median(times)
    }
}
