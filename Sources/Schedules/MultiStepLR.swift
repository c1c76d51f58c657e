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
        parameters: parameters.docs,
        reference: "torch.optim.lr_scheduler.MultiStepLR")

    /// The parameters, declared once: parsing and the catalog come from here.
    static let parameters = ParameterTable<MultiStepLR>([
        .wholeNumbers("milestones", \.milestones, default: nil, .nonNegative, "non-decreasing update indices, e.g. 30;80"),
        .number("gamma", \.gamma, default: "0.1", .positive, "decay factor, > 0"),
    ])

    /// The spec as given (run ids hash it); the parameters below are read from it by `parameters`.
    public private(set) var spec = Spec(name: "multistep")
    public private(set) var milestones: [Int] = []
    public private(set) var gamma = 0.0

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
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
