/// Order statistics that treat +∞ (a censored run: never reached) as a value, not as missing.
public enum Stats {
    /// The q-quantile with linear interpolation between order statistics (numpy's default,
    /// Hyndman & Fan type 7). Interpolating towards +∞ gives +∞. NaN for an empty list.
    public static func quantile(_ values: [Double], _ q: Double) -> Double {
        let xs = values.sorted { a, b in a < b || (!a.isNaN && b.isNaN) }
        guard !xs.isEmpty else { return .nan }
        let h = Double(xs.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = Int(h.rounded(.up))
        if lo == hi || xs[lo] == xs[hi] { return xs[lo] }
        if xs[hi].isInfinite || xs[lo].isInfinite { return xs[hi].isInfinite ? xs[hi] : xs[lo] }
        return xs[lo] + (h - Double(lo)) * (xs[hi] - xs[lo])
    }

    public static func median(_ values: [Double]) -> Double { quantile(values, 0.5) }
}
