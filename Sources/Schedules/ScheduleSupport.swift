import Specs

extension ScheduleDrive {
    /// step < metric < time: a composite is as non-deterministic as its least deterministic child.
    var strength: Int {
        switch self {
        case .step: return 0
        case .metric: return 1
        case .time: return 2
        }
    }

    /// The "strongest" of the children's drives (`.step` for none).
    static func strongest(_ drives: [ScheduleDrive]) -> ScheduleDrive {
        drives.max(by: { $0.strength < $1.strength }) ?? .step
    }
}
