import Foundation
import Specs

/// `multistep(milestones, gamma=0.1)`: lr0·gamma^(number of milestones <= t).
///
/// Reference: `torch.optim.lr_scheduler.MultiStepLR`, closed form
/// `base_lr * gamma ** bisect_right(sorted(milestones), last_epoch)`; a repeated milestone
/// counts twice, as torch's `Counter` does.
public struct MultiStepLR: StepSchedule {
    public static let catalog = CatalogEntry(
        name: "multistep",
        summary: "multiply by gamma at each milestone",
        parameters: [
            ParameterDoc("milestones", "required", "non-decreasing update indices, e.g. 30;80"),
            ParameterDoc("gamma", "0.1", "decay factor, > 0"),
        ],
        reference: "torch.optim.lr_scheduler.MultiStepLR")

    public let spec: Spec
    public let milestones: [Int]
    public let gamma: Double

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        milestones = try p.ints("milestones", .nonNegative)
        gamma = try p.double("gamma", default: 0.1, .positive)
        try p.finish(allowed: Self.catalog.parameterNames)
        for i in milestones.indices.dropFirst() where milestones[i] < milestones[i - 1] {
            throw SpecUsageError("multistep: parameter 'milestones' must be non-decreasing, got '\(spec["milestones"]!)'")
        }
        self.spec = spec
    }

    public func learningRate(at t: Int, base lr0: Double) -> Double {
        var passed = 0
        for m in milestones where m <= t { passed += 1 }
        return lr0 * pow(gamma, Double(passed))
    }
}
