import Foundation
import Specs

/// `cosine_restarts(T_0, T_mult=1, eta_min=0)`: SGDR. The i-th cycle lasts T_i = T_0·T_mult^i
/// updates; within it, eta_min + (lr0 − eta_min)·(1 + cos(π·T_cur/T_i))/2, and the rate jumps back
/// to lr0 at each restart (t = T_0, T_0 + T_0·T_mult, ...).
///
/// Reference: `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts` stepped without an epoch
/// argument (T_cur += 1; when T_cur >= T_i: T_cur −= T_i, T_i *= T_mult), which we evaluate in
/// integers for any t; Loshchilov & Hutter, "SGDR", arXiv:1608.03983, eq. 5.
/// (torch's `step(epoch)` path finds the cycle with a floating-point logarithm; we do not use it.)
public struct CosineAnnealingWarmRestarts: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "cosine_restarts",
        summary: "cosine annealing with warm restarts every T_0, T_0*T_mult, ... updates (SGDR)",
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts; Loshchilov & Hutter 2017 (SGDR)")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<CosineAnnealingWarmRestarts>([
        .requiredInteger("T_0", \.t0, .atLeast(1), "length of the first cycle, >= 1"),
        .integer("T_mult", \.tMult, default: "1", .atLeast(1), "cycle length multiplier, whole number >= 1"),
        .number("eta_min", \.etaMin, default: "0", .nonNegative, "minimum rate (absolute), >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "cosine_restarts")
    public private(set) var t0 = 1
    public private(set) var tMult = 1
    public private(set) var etaMin = 0.0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    /// (T_cur, T_i) for update t, exactly as torch's step-by-step recursion leaves them.
    public func cyclePosition(at t: Int) -> (tCur: Int, tI: Int) {
        if tMult == 1 { return (t % t0, t0) }
        var tCur = t
        var tI = t0
        while tCur >= tI {
            tCur -= tI
            tI *= tMult
        }
        return (tCur, tI)
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        let (tCur, tI) = cyclePosition(at: t)
        return etaMin + (lr0 - etaMin) * (1 + cos(Double.pi * Double(tCur) / Double(tI))) / 2
    }
}
