import Testing
@testable import Optimizers
import Specs

/// The lane loops (`forEachLane`, Sources/Optimizers/Lanes.swift) compute what one coordinate at
/// a time computes, bit for bit: on a separable problem (gᵢ depends on xᵢ only) coordinate i of an
/// 11-dimensional run (two vectors of four, then a tail of three) follows the 1-dimensional run
/// started at xᵢ exactly, for every laned optimizer and the options that take other branches.
/// (The golden tests run in 3 dimensions: the tail alone.)
@Suite struct LaneTests {
    static let specs = [
        "sgd", "sgd(momentum=0.9)", "sgd(momentum=0.9, nesterov=true, weight_decay=0.1)",
        "sgd(momentum=0.5, dampening=0.3, maximize=true)",
        "rmsprop", "rmsprop(momentum=0.9, centered=true, weight_decay=0.1)", "rmsprop(alpha=0.3)",
        "adagrad", "adagrad(lr_decay=0.1, weight_decay=0.1)",
        "adadelta", "adadelta(rho=0.3, weight_decay=0.1)",
        "adam", "adam(amsgrad=true, weight_decay=0.1)", "adam(betas=0.3;0.9)", "adamw", "adamw(amsgrad=true, weight_decay=0.5)",
        "adamw_schedulefree", "adamw_schedulefree(warmup_steps=3, weight_decay=0.1)",
    ]

    /// gᵢ = aᵢ·xᵢ + cᵢ: the coordinates are independent.
    static let a: [Double] = [1, 3, 0.5, 7, 0.01, 2, 11, 0.3, 5, 1.5, 4]
    static let c: [Double] = [0.1, -0.2, 0, 0.3, -1, 0.05, 0, 2, -0.4, 0.7, -0.01]
    static let x0: [Double] = [1, -2, 0.5, 0, 3, -0.25, 1e-3, -7, 0.125, 2.5, -1]

    /// The points after each of 30 updates, with rates and momenta that change every step.
    static func trajectory(_ spec: String, _ coordinates: Range<Int>) throws -> [[Double]] {
        let optimizer = try OptimizerRegistry.make(Spec(parsing: spec))
        let start = Array(x0[coordinates])
        let state = start.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
        var g = [Double](repeating: 0, count: start.count)
        var out: [[Double]] = []
        for t in 0..<30 {
            for (j, i) in coordinates.enumerated() { g[j] = a[i] * state.gradientPoint[j] + c[i] }
            let context = StepContext(step: t, learningRate: 0.05 * (1 + Double(t % 4)), loss: 1,
                                      momentum: t % 3 == 0 ? nil : 0.8 + 0.01 * Double(t % 5), optimumValue: 0)
            g.withUnsafeBufferPointer { state.update(gradient: $0, context: context) }
            out.append(Array(state.gradientPoint) + Array(state.reportedPoint))
        }
        return out
    }

    @Test(arguments: specs)
    func lanesEqualOneCoordinateAtATime(_ spec: String) throws {
        let whole = try Self.trajectory(spec, 0..<11)
        for i in 0..<11 {
            let alone = try Self.trajectory(spec, i..<(i + 1))
            for t in 0..<30 {
                let got = [whole[t][i], whole[t][11 + i]].map(\.bitPattern)
                #expect(got == alone[t].map(\.bitPattern), "\(spec): coordinate \(i) after update \(t + 1)")
                if got != alone[t].map(\.bitPattern) { return }
            }
        }
    }
}
