// Axis scales: which data range an axis shows, where its ticks go and how they are labelled.
//
// Policy (documented in README, "Figures"):
// - NaN and ±infinity never enter a scale; they mark gaps (a diverged run) in the chart.
// - On a log axis, zeros and negative values are *dropped* (not clamped): they are counted in
//   `droppedNonPositive` so the chart can say so in a note, and a line breaks where they occur.
// - Empty data gives a default domain ([0, 1] linear, [1, 10] log) with `isEmpty == true`.
// - A constant series (or a single point) gets a padded range: ±10 % of the value on a linear
//   axis ([-1, 1] around zero), ±½ decade on a log axis.
// - Linear axes: steps of 1, 2 or 5 × 10^k, at most `maxIntervals` (default 6) intervals; the
//   domain is widened to the enclosing ticks, so [0, 1] → 0, 0.2, …, 1 and [0, 7.3] → 0, 2, …, 8.
// - Log axes spanning ≥ 2 decades: the domain is widened to whole decades and labelled every
//   1, 2, 3, 5, 10, 20, 25, 50, 100, … decades (at most 9 intervals), with unlabelled minor ticks.
//   Spanning < 2 decades: the domain snaps to the 1-2-5 grid and 1, 2 and 5 × 10^k are labelled
//   (1…9 × 10^k when that would give fewer than three labels).
// - Explicit `lower`/`upper` bounds are kept as given (no widening); ticks are those inside.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Linear or base-10 logarithmic axis.
public enum ScaleKind: String, Sendable, Equatable {
    case linear
    case log10
}

/// One tick mark: its data value, its position in transformed units (the value itself on a
/// linear axis, log10 of it on a log axis) and its label (nil for an unlabelled minor tick).
public struct Tick: Sendable, Equatable, CustomStringConvertible {
    public var value: Double
    public var position: Double
    public var label: String?

    public var isMajor: Bool { label != nil }
    public var description: String { label ?? "·" }
}

/// A fitted axis: domain in transformed units, ticks, and what was left out.
public struct Scale: Sendable, Equatable {
    public var kind: ScaleKind
    /// Lower end of the domain in transformed units (log10 of the value on a log axis).
    public var lower: Double
    /// Upper end of the domain in transformed units (log10 of the value on a log axis).
    public var upper: Double
    /// Major (labelled) and minor ticks in increasing order.
    public var ticks: [Tick]
    /// How many finite values ≤ 0 were left out because the axis is logarithmic.
    public var droppedNonPositive: Int
    /// True when no plottable value was given (the domain is a default).
    public var isEmpty: Bool

    /// Labelled ticks only.
    public var majorTicks: [Tick] { ticks.filter(\.isMajor) }
    /// The tick labels in order, e.g. `["0", "0.2", "0.4", "0.6", "0.8", "1"]`.
    public var labels: [String] { ticks.compactMap(\.label) }

    /// The domain in data units (on a log axis, 10^lower … 10^upper; may underflow to 0 for
    /// domains below 1e-308).
    public var domain: ClosedRange<Double> {
        switch kind {
        case .linear: return lower...upper
        case .log10: return Swift.min(pow10d(lower), pow10d(upper))...pow10d(upper)
        }
    }

    /// The value in transformed units, or nil when it cannot be drawn on this axis
    /// (NaN, ±infinity, or ≤ 0 on a log axis).
    public func transform(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch kind {
        case .linear: return value
        case .log10: return value > 0 ? log10(value) : nil
        }
    }

    /// Position of `value` as a fraction of the axis (0 at `lower`, 1 at `upper`; may fall
    /// outside 0…1 for values outside the domain), or nil when it cannot be drawn.
    public func fraction(_ value: Double) -> Double? {
        guard let t = transform(value) else { return nil }
        return fraction(transformed: t)
    }

    /// Fraction of the axis for a value already in transformed units.
    public func fraction(transformed t: Double) -> Double {
        let span = upper - lower
        guard span > 0, span.isFinite else { return 0.5 }
        // Divide before subtracting so ranges like ±1e308 do not overflow.
        return t / span - lower / span
    }

    /// Maps `value` to a pixel coordinate, with `lower` at `start` and `upper` at `end`
    /// (pass `end < start` for a y axis growing upwards). Nil when it cannot be drawn.
    public func pixel(_ value: Double, from start: Double, to end: Double) -> Double? {
        guard let f = fraction(value) else { return nil }
        return start + f * (end - start)
    }

    // MARK: Fitting

    /// Fits an axis to `values`. Non-finite values are ignored; on a log axis so are values ≤ 0
    /// (counted in `droppedNonPositive`). `lower`/`upper` (data units) fix either end.
    public static func fit<S: Sequence>(
        _ values: S, kind: ScaleKind = .linear,
        lower fixedLower: Double? = nil, upper fixedUpper: Double? = nil,
        maxIntervals: Int = 6
    ) -> Scale where S.Element == Double {
        var lo = Double.infinity, hi = -Double.infinity, dropped = 0, count = 0
        for v in values where v.isFinite {
            var t = v
            if kind == .log10 {
                if v <= 0 { dropped += 1; continue }
                t = log10(v)
            }
            lo = Swift.min(lo, t); hi = Swift.max(hi, t); count += 1
        }
        // Fixed bounds, in transformed units; invalid ones (NaN, ≤ 0 on log) are ignored.
        let fLo = fixedLower.flatMap { transformBound($0, kind) }
        let fHi = fixedUpper.flatMap { transformBound($0, kind) }
        let maxIntervals = Swift.max(1, maxIntervals)

        var scale: Scale
        switch kind {
        case .linear:
            scale = fitLinear(count: count, lo: lo, hi: hi, fixedLo: fLo, fixedHi: fHi, maxIntervals: maxIntervals)
        case .log10:
            scale = fitLog(count: count, lo: lo, hi: hi, fixedLo: fLo, fixedHi: fHi, maxIntervals: maxIntervals + 3)
        }
        scale.droppedNonPositive = dropped
        return scale
    }

    private static func transformBound(_ v: Double, _ kind: ScaleKind) -> Double? {
        guard v.isFinite else { return nil }
        if kind == .log10 { return v > 0 ? log10(v) : nil }
        return v
    }

    /// The data range to fit, after fixed bounds, emptiness and padding of constant data.
    private static func resolveRange(count: Int, lo: Double, hi: Double, fixedLo: Double?, fixedHi: Double?,
                                     emptyRange: (Double, Double), pad: (Double) -> (Double, Double))
        -> (lo: Double, hi: Double, empty: Bool) {
        var lo = lo, hi = hi
        let empty = count == 0
        if empty { (lo, hi) = emptyRange }
        if let f = fixedLo { lo = f; if hi < lo { hi = lo } }
        if let f = fixedHi { hi = f; if lo > hi { lo = hi } }
        let scale = Swift.max(abs(lo), abs(hi))
        if !(hi - lo > scale * 1e-9) || !(hi - lo > 1e-290) {
            let (pLo, pHi) = pad((lo + hi) / 2)
            lo = fixedLo ?? pLo
            hi = fixedHi ?? pHi
            if !(hi > lo) { (lo, hi) = pad(lo) }
        }
        return (lo, hi, empty)
    }

    private static func fitLinear(count: Int, lo: Double, hi: Double, fixedLo: Double?, fixedHi: Double?,
                                  maxIntervals: Int) -> Scale {
        let r = resolveRange(count: count, lo: lo, hi: hi, fixedLo: fixedLo, fixedHi: fixedHi,
                             emptyRange: (0, 1)) { mid in
            if abs(mid) < 1e-280 { return (-1, 1) }
            let p = abs(mid) * 0.1
            return (mid - p, mid + p)
        }
        let lo = r.lo, hi = r.hi
        // Work in units of half the range so that ±1.8e308 does not overflow.
        let halfSpan = hi / 2 - lo / 2
        // Candidate steps m × 10^e in increasing order, starting below span / maxIntervals.
        let rough = (halfSpan / Double(maxIntervals)).log10Floor
        var e = rough.isFinite ? Int(Swift.max(-330, Swift.min(rough, 310))) - 1 : -330
        var chosen: (m: Int, e: Int, kLo: Double, kHi: Double)? = nil
        search: while e <= 310 {
            for m in [1, 2, 5] {
                let step = Double(m) * pow10(e)
                guard step > 0, step.isFinite else { continue }
                let a = lo / step, b = hi / step
                let kLo = fixedLo != nil ? (a - 1e-9).rounded(.up) : (a + 1e-9).rounded(.down)
                let kHi = fixedHi != nil ? (b + 1e-9).rounded(.down) : (b - 1e-9).rounded(.up)
                guard kLo.isFinite, kHi.isFinite else { continue }
                if kHi > kLo && kHi - kLo <= Double(maxIntervals) {
                    chosen = (m, e, kLo, kHi)
                    break search
                }
            }
            e += 1
        }
        guard let c = chosen, abs(c.kLo) < 1e15, abs(c.kHi) < 1e15 else {
            // Cannot happen for finite input; keep a usable axis without ticks.
            return Scale(kind: .linear, lower: lo, upper: hi, ticks: [], droppedNonPositive: 0, isEmpty: r.empty)
        }
        let step = Double(c.m) * pow10(c.e)
        var decimals: [Decimal10] = []
        var k = Int(c.kLo)
        while k <= Int(c.kHi) {
            decimals.append(Decimal10(k * c.m, e: c.e))
            k += 1
        }
        // One notation for the whole axis: plain for 0.01 ≤ max |tick| < 1e5, else scientific.
        let maxMag = decimals.filter { $0.significand != 0 }.map(\.magnitude).max() ?? 0
        let plain = (-2...4).contains(maxMag)
        let ticks = decimals.map { d -> Tick in
            let v = clampFinite(d.doubleValue)
            return Tick(value: v, position: v, label: plain ? d.plain : d.scientific)
        }
        let newLo = fixedLo ?? clampFinite(c.kLo * step)
        let newHi = fixedHi ?? clampFinite(c.kHi * step)
        return Scale(kind: .linear, lower: newLo, upper: newHi, ticks: ticks, droppedNonPositive: 0, isEmpty: r.empty)
    }

    private static func fitLog(count: Int, lo: Double, hi: Double, fixedLo: Double?, fixedHi: Double?,
                               maxIntervals: Int) -> Scale {
        let r = resolveRange(count: count, lo: lo, hi: hi, fixedLo: fixedLo, fixedHi: fixedHi,
                             emptyRange: (0, 1)) { mid in (mid - 0.5, mid + 0.5) }
        var lo = r.lo, hi = r.hi
        let eps = 1e-9
        // Keep decades within what a double can express.
        lo = Swift.max(lo, -323); hi = Swift.min(hi, 308)
        if !(hi > lo) { lo = hi - 1 }

        if hi - lo >= 2 {
            // Whole decades, labelled every `stride` decades.
            let dLo = fixedLo != nil ? lo : (lo + eps).rounded(.down)
            let dHi = fixedHi != nil ? hi : (hi - eps).rounded(.up)
            let first = Int((dLo - eps).rounded(.up)), last = Int((dHi + eps).rounded(.down))
            let strides = [1, 2, 3, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
            var stride = strides.last!
            for s in strides {
                let labelled = floorDiv(last, s) - ceilDiv(first, s) + 1
                if labelled - 1 <= maxIntervals { stride = s; break }
            }
            var ticks: [Tick] = []
            let decades = last - first
            for k in first...Swift.max(first, last) where k <= last {
                if k % stride == 0 {
                    ticks.append(Tick(value: pow10d(Double(k)), position: Double(k),
                                      label: Decimal10(1, e: k).compact()))
                } else if decades <= 60 {
                    ticks.append(Tick(value: pow10d(Double(k)), position: Double(k), label: nil))
                }
                // Unlabelled 2…9 × 10^k minor ticks when decades are wide enough to show them.
                if stride == 1 && decades <= 6 && k < last {
                    for n in 2...9 {
                        let p = Double(k) + log10(Double(n))
                        if p >= dLo - eps && p <= dHi + eps {
                            ticks.append(Tick(value: pow10d(p), position: p, label: nil))
                        }
                    }
                }
            }
            // Minor ticks below the first whole decade when the lower bound is fixed mid-decade.
            if stride == 1 && decades <= 6 && first - 1 >= -324 {
                for n in 2...9 {
                    let p = Double(first - 1) + log10(Double(n))
                    if p >= dLo - eps { ticks.append(Tick(value: pow10d(p), position: p, label: nil)) }
                }
            }
            if stride == 1 && decades <= 6 && last < 308 {
                for n in 2...9 {
                    let p = Double(last) + log10(Double(n))
                    if p <= dHi + eps { ticks.append(Tick(value: pow10d(p), position: p, label: nil)) }
                }
            }
            ticks.sort { $0.position < $1.position }
            return Scale(kind: .log10, lower: dLo, upper: dHi, ticks: dedupe(ticks),
                         droppedNonPositive: 0, isEmpty: r.empty)
        }

        // Less than two decades: the 1-2-5 grid, or 1…9 when that labels fewer than three ticks.
        for grid in [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
            let sLo = fixedLo ?? snap(lo, grid: grid, down: true)
            let sHi = fixedHi ?? snap(hi, grid: grid, down: false)
            var ticks: [Tick] = []
            let kFirst = Int((sLo - eps).rounded(.down)), kLast = Int((sHi + eps).rounded(.up))
            for k in kFirst...Swift.max(kFirst, kLast) {
                for n in 1...9 {
                    let p = Double(k) + log10(Double(n))
                    guard p >= sLo - eps, p <= sHi + eps else { continue }
                    let labelled = grid.contains(n)
                    ticks.append(Tick(value: pow10d(p), position: p,
                                      label: labelled ? Decimal10(n, e: k).compact() : nil))
                }
            }
            if ticks.filter(\.isMajor).count >= 3 || grid.count == 9 {
                return Scale(kind: .log10, lower: sLo, upper: sHi, ticks: ticks,
                             droppedNonPositive: 0, isEmpty: r.empty)
            }
        }
        fatalError("unreachable: the 1…9 grid always returns")
    }

    /// Snaps a log10 position down (or up) to the nearest n × 10^k with n in `grid`.
    private static func snap(_ t: Double, grid: [Int], down: Bool) -> Double {
        let eps = 1e-9
        let k = t.rounded(.down)
        let candidates = ([k - 1, k, k + 1]).flatMap { d in (grid + [10]).map { d + log10(Double($0)) } }
        if down { return candidates.filter { $0 <= t + eps }.max() ?? k }
        return candidates.filter { $0 >= t - eps }.min() ?? k + 1
    }

    private static func dedupe(_ ticks: [Tick]) -> [Tick] {
        var out: [Tick] = []
        for t in ticks {
            if let last = out.last, abs(last.position - t.position) < 1e-9 {
                if t.isMajor && !last.isMajor { out[out.count - 1] = t }
                continue
            }
            out.append(t)
        }
        return out
    }
}

/// 10^x for a (possibly fractional) exponent, exact for integers in the double range.
func pow10d(_ x: Double) -> Double {
    if x == x.rounded(), abs(x) <= 400 { return pow10(Int(x)) }
    return pow(10, x)
}

func clampFinite(_ x: Double) -> Double {
    if x.isNaN { return 0 }
    return Swift.min(Swift.max(x, -Double.greatestFiniteMagnitude), Double.greatestFiniteMagnitude)
}

private func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
private func ceilDiv(_ a: Int, _ b: Int) -> Int { -floorDiv(-a, b) }
