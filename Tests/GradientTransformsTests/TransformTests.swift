import Testing
@testable import GradientTransforms
import Specs

func apply(_ specs: [String], to g: [Double], params: [Double]? = nil) throws -> [Double] {
    let chain = try TransformRegistry.chain(specs.map { try Spec(parsing: $0) })
    let state = chain.makeState(dimension: g.count)
    var out = g
    let p = params ?? g
    p.withUnsafeBufferPointer { pp in out.withUnsafeMutableBufferPointer { state.apply(to: $0, params: pp) } }
    return out
}

@Suite struct TransformTests {
    @Test func clipNormScalesDownAsTorchDoes() throws {
        // ‖(3, 4)‖ = 5 > 1: torch multiplies by max_norm / (norm + 1e-6).
        let g = try apply(["clip_norm(max_norm=1)"], to: [3, 4])
        let coef = 1 / (5 + 1e-6)
        #expect(g == [3 * coef, 4 * coef])
        // Below the threshold nothing changes (coef > 1 is clamped to 1).
        #expect(try apply(["clip_norm(max_norm=10)"], to: [3, 4]) == [3, 4])
        // No overflow for huge gradients.
        let big = try apply(["clip_norm(max_norm=2)"], to: [3e200, 4e200])
        #expect(abs(big[0] - 1.2) < 1e-12 && abs(big[1] - 1.6) < 1e-12)
    }

    @Test func clipValueClampsEachComponent() throws {
        #expect(try apply(["clip_value(clip_value=0.5)"], to: [-2, 0.25, 0.5, 3]) == [-0.5, 0.25, 0.5, 0.5])
    }

    @Test func normalizeGivesUnitNormAndLeavesZeroAlone() throws {
        let g = try apply(["normalize"], to: [3, 4])
        #expect(g == [0.6, 0.8])
        #expect(try apply(["normalize"], to: [0, 0]) == [0, 0])
        let e = try apply(["normalize(eps=5)"], to: [3, 4])
        #expect(e == [0.3, 0.4])
    }

    @Test func chainsApplyInOrder() throws {
        // clip_value first, then normalize: (1, 1)/√2; the other order: (0.6, 0.8) clipped stays.
        let a = try apply(["clip_value(clip_value=1)", "normalize"], to: [3, 4])
        #expect(abs(a[0] - 0.5.squareRoot()) < 1e-15 && abs(a[1] - 0.5.squareRoot()) < 1e-15)
        #expect(try apply(["normalize", "clip_value(clip_value=1)"], to: [3, 4]) == [0.6, 0.8])
    }

    @Test func identityChainsChangeNothing() throws {
        let g: [Double] = [1e-300, -7, 3.5, .greatestFiniteMagnitude]
        #expect(try apply([], to: g) == g)
        #expect(try apply(["none"], to: g) == g)
        // Transforms that cannot bind here are identities too.
        #expect(try apply(["clip_value(clip_value=1e308)", "clip_norm(max_norm=1e308)"], to: [1, 2]) == [1, 2])
        #expect(TransformChain.identity.description == "none")
    }

    @Test func badSpecs() {
        #expect(throws: SpecUsageError("clip_norm: parameter 'max_norm' must be > 0, got -1.0")) { _ = try apply(["clip_norm(max_norm=-1)"], to: [1]) }
        #expect(throws: SpecUsageError("unknown transform 'clip'; known: clip_norm, clip_value, normalize, none")) { _ = try apply(["clip"], to: [1]) }
        #expect(throws: SpecUsageError("normalize: unknown parameter 'p'; allowed: eps")) { _ = try apply(["normalize(p=2)"], to: [1]) }
    }
}
