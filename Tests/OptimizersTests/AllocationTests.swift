import Foundation
import Testing
@testable import Optimizers
import Specs

/// The calling thread's malloc count from Benchmarks/SweepThroughput/malloc_count.c (other
/// threads, such as the test runner's event output, do not count), when the test process runs
/// with it preloaded (`LD_PRELOAD=/tmp/malloc_count.so swift test --skip-build --filter
/// PerStepAllocationTests`); nil otherwise, and the test is then skipped (not passed).
private let mallocCount: (@convention(c) () -> UInt64)? = dlsym(nil, "lrbench_thread_malloc_count")
    .map { unsafeBitCast($0, to: (@convention(c) () -> UInt64).self) }

/// `OptimizerState.update` allocates nothing, for every optimizer at its defaults and for the
/// options that take other paths through the shared state code (momentum, Nesterov, AMSGrad,
/// decoupled decay, warmup). SLS is left out: its update needs a loss oracle.
@Suite(.serialized) struct PerStepAllocationTests {
    static let specs: [String] = OptimizerRegistry.names.filter { $0 != "sls" } + [
        "sgd(momentum=0.9, nesterov=true, weight_decay=0.1)", "sgd_hd(momentum=0.9, dampening=0.5, weight_decay=0.1)",
        "adam(amsgrad=true, weight_decay=0.1)", "adamw(amsgrad=true)", "nadam(decoupled_weight_decay=true, weight_decay=0.1)",
        "radam(decoupled_weight_decay=true, weight_decay=0.1)", "adamw_schedulefree(warmup_steps=3, weight_decay=0.1)",
        "sgd_schedulefree(warmup_steps=3, weight_decay=0.1)", "radam_schedulefree(silent_sgd_phase=false, weight_decay=0.1)",
        "adam_hd(weight_decay=0.1)", "mechanic(base=adam)",
    ]

    @Test(.enabled(if: mallocCount != nil), arguments: specs)
    func updateAllocatesNothing(_ text: String) throws {
        let optimizer = try OptimizerRegistry.make(Spec(parsing: text))
        let x0 = (0..<16).map { Double($0) * 0.25 - 1 }
        let state = x0.withUnsafeBufferPointer { optimizer.makeState(initialPoint: $0) }
        let g = UnsafeMutableBufferPointer<Double>.allocate(capacity: x0.count)
        defer { g.deallocate() }
        func steps(_ range: Range<Int>) {
            for t in range {
                for i in 0..<g.count { g[i] = state.gradientPoint[i] * 0.5 + 0.125 }
                state.update(gradient: UnsafeBufferPointer(g), context: StepContext(step: t, learningRate: 1e-3, loss: 1, momentum: t % 2 == 0 ? 0.85 : nil, optimumValue: 0))
            }
        }
        steps(0..<3)
        let before = mallocCount!()
        steps(3..<40)
        #expect(mallocCount!() - before == 0, "\(text)")
    }

    /// The float32 states (`makeFloat32State`) allocate nothing either.
    static let float32Specs = ["sgd", "sgd(momentum=0.9, nesterov=true, weight_decay=0.1)", "rmsprop(centered=true, momentum=0.9)",
                               "adagrad", "adadelta", "adam", "adam(amsgrad=true, weight_decay=0.1)", "adamw", "lion",
                               "adamw_schedulefree(warmup_steps=3, weight_decay=0.1)"]

    @Test(.enabled(if: mallocCount != nil), arguments: float32Specs)
    func float32UpdateAllocatesNothing(_ text: String) throws {
        let optimizer = try OptimizerRegistry.make(Spec(parsing: text))
        let x0 = (0..<19).map { Float($0) * 0.25 - 1 }
        let state = try #require(x0.withUnsafeBufferPointer { optimizer.makeFloat32State(initialPoint: $0) })
        let g = UnsafeMutableBufferPointer<Float>.allocate(capacity: x0.count)
        defer { g.deallocate() }
        func steps(_ range: Range<Int>) {
            for t in range {
                for i in 0..<g.count { g[i] = state.gradientPoint[i] * 0.5 + 0.125 }
                state.update(gradient: UnsafeBufferPointer(g), context: StepContext(step: t, learningRate: 1e-3, loss: 1, momentum: t % 2 == 0 ? 0.85 : nil))
            }
        }
        steps(0..<3)
        let before = mallocCount!()
        steps(3..<40)
        #expect(mallocCount!() - before == 0, "\(text)")
    }
}
