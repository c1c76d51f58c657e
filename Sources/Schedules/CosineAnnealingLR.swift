import Foundation
import Specs

/// `cosine(T_max, eta_min=0)`: eta_min + (lr0 − eta_min)·(1 + cos(π·t/T_max))/2.
///
/// Reference: `torch.optim.lr_scheduler.CosineAnnealingLR`, closed form (`_get_closed_form_lr`);
/// Loshchilov & Hutter, "SGDR", arXiv:1608.03983, eq. 5 without restarts.
/// Beyond T_max the closed form keeps going as a cosine: it climbs back to lr0 at 2·T_max and
/// repeats with period 2·T_max. We do the same as torch's closed form (torch's recursive
/// `get_lr`, with its special case at (t − 1 − T_max) mod 2·T_max = 0, follows the same curve up
/// to rounding). For a schedule that stays at 0 after T_max, compose it:
/// `sequential(schedules=cosine(T_max=T);constant(factor=0, total_iters=N), milestones=T)`.
/// eta_min is an absolute rate, as in torch.
public struct CosineAnnealingLR: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "cosine",
        summary: "cosine annealing from lr0 to eta_min over T_max updates (periodic beyond, like torch)",
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.CosineAnnealingLR; Loshchilov & Hutter 2017 (SGDR)")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<CosineAnnealingLR>([
        .requiredInteger("T_max", \.tMax, .atLeast(1), "half period in updates, >= 1"),
        .number("eta_min", \.etaMin, default: "0", .nonNegative, "minimum rate (absolute), >= 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "cosine")
    public private(set) var tMax = 1
    public private(set) var etaMin = 0.0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        etaMin + (lr0 - etaMin) * (1 + cos(Double.pi * Double(t) / Double(tMax))) / 2
    }
}
