import Testing
@testable import Optimizers
import Specs

/// The lane loops (`forEachLane`, Sources/Optimizers/Lanes.swift) compute what one coordinate at
/// a time computes, bit for bit: on a separable problem (gᵢ depends on xᵢ only) coordinate i of an
/// 11-dimensional run (two vectors of four, then a tail of three) follows the 1-dimensional run
/// started at xᵢ exactly, for every laned optimizer whose update is coordinate-wise and the
/// options that take other branches. Prodigy and D-Adapt Adam couple the coordinates through
/// their estimate of d, so their lane bodies are checked directly (`adaptiveBodies…`).
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
        "lion", "lion(betas=0.5;0.9, weight_decay=0.1)",
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

    /// Four buffers of four coordinates (zeros of both signs, negatives, big and small values).
    static func buffers() -> [UnsafeMutablePointer<Double>] {
        let values: [[Double]] = [[1.5, -0.0, 0, -3e5], [0.25, 2, 1e-7, 0], [4, 0.5, 9e-3, 1e6], [0.3, -0.7, 0, 2.5]]
        return values.map { v in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: 4)
            p.initialize(from: v, count: 4)
            return p
        }
    }

    /// `body` on SIMD4 at coordinate 0 and on Double at 0, 1, 2, 3 give the same bits in every buffer.
    static func lanesMatch<Body: LaneBody>(_ make: ([UnsafeMutablePointer<Double>]) -> Body) -> Bool where Body.Scalar == Double {
        let vector = buffers(), scalar = buffers()
        defer { (vector + scalar).forEach { $0.deallocate() } }
        make(vector)(SIMD4<Double>.self, 0)
        let body = make(scalar)
        for i in 0..<4 { body(Double.self, i) }
        return zip(vector, scalar).allSatisfy { v, s in (0..<4).allSatisfy { v[$0].bitPattern == s[$0].bitPattern } }
    }

    @Test func adaptiveBodiesOnLanesEqualOneCoordinateAtATime() {
        for (decoupled, withM, l2) in [(false, true, 0.0), (true, true, 0.0), (false, false, 0.1), (true, false, 0.0)] {
            #expect(Self.lanesMatch { b in
                AdaptiveStepLanes(x: b[0], m: withM ? b[1] : nil, v: b[2], g: UnsafePointer(b[3]), l2: l2, eps: 1e-8,
                                  decoupled: decoupled, decay: -0.01 * 0.3, step: -0.3)
            }, "step: decoupled \(decoupled), m \(withM), l2 \(l2)")
            #expect(Self.lanesMatch { b in
                ProdigyMomentLanes(x: b[0], m: withM ? b[1] : nil, v: b[2], g: UnsafePointer(b[3]), l2: l2,
                                   mScale: 1e-6 * 0.1, beta1: 0.9, vScale: 1e-12 * 0.001, beta2: 0.999)
            }, "moments: m \(withM), l2 \(l2)")
        }
    }
}
