import Foundation
import Specs

/// `optax_piecewise_interpolate(interpolate_type, boundaries=b1;b2, scales=s1;s2)`: optax's
/// `piecewise_interpolate_schedule(interpolate_type, init_value=lr0, boundaries_and_scales={b1: s1, …})`.
///
/// Reference: `optax.schedules.piecewise_interpolate_schedule` (optax/schedules/_schedule.py):
/// with bounds 0 = b_0 < b_1 < … (sorted) and values v_0 = lr0, v_k = v_{k−1}·s_k (the running
/// product), the rate on [b_{k−1}, b_k) moves from v_{k−1} to v_k, linearly
/// `(end − start)·pct + start` or by cosine `end + (start − end)/2·(cos(π·pct) + 1)`, with
/// pct = (t − b_{k−1})/max(b_k − b_{k−1}, 1); from the last boundary on it is the last value.
/// The dict is written as two lists as in `optax_piecewise_constant`; boundaries must be distinct
/// and >= 1 (optax's implicit first bound is 0).
public struct OptaxPiecewiseInterpolate: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "optax_piecewise_interpolate",
        summary: "optax piecewise_interpolate_schedule: linear or cosine moves between running products of scales",
        parameters: parameters.docs,
        reference: "optax.schedules.piecewise_interpolate_schedule")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<Written>([
        .requiredChoice("interpolate_type", \.interpolateType, "linear or cosine"),
        .wholeNumbers("boundaries", \.boundaries, default: nil, .atLeast(1), "distinct update indices >= 1, e.g. 100;200 (the dict's keys)"),
        .requiredNumbers("scales", \.scales, countOf: \.boundaries, .nonNegative, "one factor >= 0 per boundary (the dict's values)"),
    ])

    /// optax's `interpolate_type`.
    public enum InterpolateType: String, CaseIterable, Sendable { case linear, cosine }

    /// The parameters as written; the schedule is built from them.
    struct Written {
        var interpolateType = InterpolateType.linear
        var boundaries: [Int] = []
        var scales: [Double] = []
    }

    /// The spec as given (run ids hash it).
    public let spec: Spec
    public let law: OptaxInterpolationLaw

    public init(spec: Spec) throws {
        let written = try Self.parameters.read(spec, into: Written())
        let kind = written.interpolateType.rawValue, boundaries = written.boundaries, scales = written.scales
        if Set(boundaries).count != boundaries.count {
            throw SpecUsageError("optax_piecewise_interpolate: parameter 'boundaries' must not repeat a value, got '\(spec["boundaries"]!)'")
        }
        let sorted = zip(boundaries, scales).sorted { $0.0 < $1.0 }
        law = OptaxInterpolationLaw(cosine: kind == "cosine", initDivisor: 1,
                                    boundaries: sorted.map(\.0), scales: sorted.map(\.1))
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double { law.value(at: t, base: lr0) }
}

/// optax's piecewise interpolation, shared by `optax_piecewise_interpolate` and optax's two
/// one-cycle schedules (which are built on it).
public struct OptaxInterpolationLaw: Sendable {
    public var cosine: Bool
    /// init_value = lr0/initDivisor (1 here; div_factor in the one-cycles, as optax's peak/div_factor).
    public var initDivisor: Double
    /// Sorted, distinct, >= 1.
    public var boundaries: [Int]
    public var scales: [Double]

    public func value(at t: Int, base lr0: Double) -> Double {
        // values = cumprod([init] + scales), in order.
        var start = lr0 / initDivisor
        var lower = 0
        for k in boundaries.indices {
            let end = start * scales[k]
            if t < boundaries[k] {
                let pct = Double(t - lower) / Double(max(boundaries[k] - lower, 1))
                return cosine ? end + (start - end) / 2.0 * (cos(Double.pi * pct) + 1)
                              : (end - start) * pct + start
            }
            start = end
            lower = boundaries[k]
        }
        return start
    }
}
