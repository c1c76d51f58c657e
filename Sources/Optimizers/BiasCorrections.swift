import Foundation

/// Adam's bias corrections for steps t = 1 … `count` and one (β1, β2), exactly as torch computes
/// them (`_single_tensor_adam`): 1 − β1ᵗ and (1 − β2ᵗ)^0.5, each by `pow`. Immutable once built;
/// shared by every run of the process with those β (`BiasCorrections.table`).
final class BiasCorrectionTable: @unchecked Sendable {
    let beta1: Double, beta2: Double
    let count: Int
    /// (1 − pow(β1, t), pow(1 − pow(β2, t), 0.5)) at 2(t − 1) and 2(t − 1) + 1.
    private let values: UnsafeMutablePointer<Double>

    /// The values for t = 1 … count; those of `prefix` (the same β) are copied, not recomputed.
    init(beta1: Double, beta2: Double, count: Int, prefix: BiasCorrectionTable?) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.count = count
        values = .allocate(capacity: 2 * count)
        var t = 1
        if let prefix, prefix.beta1.bitPattern == beta1.bitPattern, prefix.beta2.bitPattern == beta2.bitPattern {
            let copied = min(prefix.count, count)
            values.update(from: prefix.values, count: 2 * copied)
            t = copied + 1
        }
        while t <= count {
            let step = Double(t)
            values[2 * (t - 1)] = 1 - pow(beta1, step)
            values[2 * (t - 1) + 1] = pow(1 - pow(beta2, step), 0.5)
            t += 1
        }
    }

    deinit { values.deallocate() }

    /// Whether the table is for exactly these β (bit for bit: a cycling momentum changes β1).
    @inline(__always)
    func isFor(beta1: Double, beta2: Double) -> Bool {
        self.beta1.bitPattern == beta1.bitPattern && self.beta2.bitPattern == beta2.bitPattern
    }

    /// 1 − β1ᵗ and (1 − β2ᵗ)^0.5 at step t (1 ≤ t ≤ count).
    @inline(__always)
    func corrections(at t: Int) -> (first: Double, secondSqrt: Double) {
        (values[2 * (t - 1)], values[2 * (t - 1) + 1])
    }
}

/// The process's bias-correction tables, one per (β1, β2). Three `pow` calls per step were a
/// third of a 2-D Adam step (W2, README "Per-step overhead"); a table computes each value once
/// for all runs, by the same `pow`, so a run reads torch's bits instead of recomputing them.
/// A table covers the steps asked for so far (lengths double, from 1024 up to `maxSteps`); a run
/// past `maxSteps`, or with β the cache has no room for, calls `pow` as before.
enum BiasCorrections {
    /// The longest table: 2¹⁷ steps, 2 MiB.
    static let maxSteps = 1 << 17
    /// At most this many (β1, β2) pairs are kept (a sweep over β would otherwise grow the cache).
    static let maxTables = 64

    private struct Key: Hashable {
        var beta1: UInt64, beta2: UInt64
    }

    private static let lock = NSLock()
    /// Read and written under `lock` only; the tables themselves are immutable.
    nonisolated(unsafe) private static var tables: [Key: BiasCorrectionTable] = [:]

    /// A table for (β1, β2) covering step t, or nil (t past `maxSteps`, β not finite, or the
    /// cache full of other pairs).
    static func table(beta1: Double, beta2: Double, covering t: Int) -> BiasCorrectionTable? {
        guard t >= 1, t <= maxSteps, beta1.isFinite, beta2.isFinite else { return nil }
        let key = Key(beta1: beta1.bitPattern, beta2: beta2.bitPattern)
        lock.lock()
        defer { lock.unlock() }
        let existing = tables[key]
        if let existing, existing.count >= t { return existing }
        if existing == nil && tables.count >= maxTables { return nil }
        var count = max(1024, existing.map { 2 * $0.count } ?? 0)
        while count < t { count *= 2 }
        let table = BiasCorrectionTable(beta1: beta1, beta2: beta2, count: min(count, maxSteps), prefix: existing)
        tables[key] = table
        return table
    }
}

/// A run's view of the shared tables: the table it holds, fetched again (under the lock) only
/// when the run passes its end; `pow` when there is none for the step's β.
struct BiasCorrectionCursor {
    private var table: BiasCorrectionTable?
    private var asked = false

    /// 1 − β1ᵗ and (1 − β2ᵗ)^0.5 at step t, torch's `pow` values to the bit.
    @inline(__always)
    mutating func corrections(beta1: Double, beta2: Double, step t: Int) -> (first: Double, secondSqrt: Double) {
        if let table, table.isFor(beta1: beta1, beta2: beta2) {
            if t <= table.count { return table.corrections(at: t) }
            if t <= BiasCorrections.maxSteps, let longer = BiasCorrections.table(beta1: beta1, beta2: beta2, covering: t) {
                self.table = longer
                return longer.corrections(at: t)
            }
        } else if !asked {
            asked = true
            if let fresh = BiasCorrections.table(beta1: beta1, beta2: beta2, covering: t) {
                table = fresh
                return fresh.corrections(at: t)
            }
        }
        return Self.computed(beta1: beta1, beta2: beta2, step: t)
    }

    /// The definition (torch's arithmetic): what every table holds.
    @inline(__always)
    static func computed(beta1: Double, beta2: Double, step t: Int) -> (first: Double, secondSqrt: Double) {
        let step = Double(t)
        return (1 - pow(beta1, step), pow(1 - pow(beta2, step), 0.5))
    }
}
