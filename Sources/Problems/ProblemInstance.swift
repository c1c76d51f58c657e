import SeededRandom
import Specs

/// Which instance of a problem a seed builds, after COCO's instances (Hansen et al., "COCO: a
/// platform for comparing continuous optimizers in a black-box setting", Optimization Methods
/// and Software 36(1), 2021): each bbob instance of a function draws, from its instance number,
/// an optimum shift x_opt (uniform in [−4, 4] per coordinate, `bbob2009_compute_xopt` in
/// numbbo/coco), a rotation and an offset f_opt, so that instances are distinct problems of one
/// difficulty.
///
/// - `seeded` (the default): the seed draws a distinct instance, so that the seeds of a sweep
///   are replicates and not one run copied. What the seed draws is documented per problem; on
///   problems whose data is already drawn from the seed, it is exactly the `classic` problem.
/// - `classic`: the textbook problem, bit for bit as before instances existed.
///
/// For a gradient method a shift of the optimum is the same as a shift of the start (every
/// update depends on the gradient only), so lrbench draws the *start*, from a small documented
/// box around the classic one, and leaves the function, its optimum and f* exactly as they are.
public enum ProblemInstance: String, Sendable, CaseIterable {
    case seeded, classic

    /// The catalog line of the `instance` parameter: what the seed draws, and the classic problem.
    static func doc(seeded: String, classic: String) -> ParameterDoc {
        ParameterDoc("instance", "seeded", "seeded: the seed draws \(seeded); classic: \(classic)")
    }

    /// The catalog line on a problem whose data already comes from the seed: both values accepted
    /// (so that one sweep can ask every problem for `classic`), both the same problem.
    static func sameDoc(_ what: String) -> ParameterDoc {
        ParameterDoc("instance", "seeded", "seeded or classic, the same problem: the seed already draws \(what)")
    }

    /// Reads `instance=seeded|classic` (default seeded).
    static func read(_ p: inout Parameters) throws -> ProblemInstance {
        ProblemInstance(rawValue: try p.choice("instance", default: "seeded", allCases.map(\.rawValue)))!
    }

    /// The canonical spec argument.
    var argument: Spec.Argument { Spec.Argument(key: "instance", value: .word(rawValue)) }

    /// The start of this instance: `classic` itself, or, for `seeded`, classic + u with
    /// u_i ~ U[−radius, radius) independent, drawn from the problem's own labelled stream
    /// (`label`, never shared with another problem or purpose).
    func start(classic: [Double], radius: Double, seed: UInt64, label: String) -> [Double] {
        guard self == .seeded else { return classic }
        var stream = RandomStream(seed: seed, label: label)
        return classic.map { $0 + stream.uniform(-radius, radius) }
    }
}
