import Testing
@testable import GradientTransforms
import Specs

/// The spec every registered transform writes at its defaults and with one value changed: run ids
/// hash it, so these strings, recorded before the parameter tables (issue 12), must never change.
/// (Transforms write numbers in Swift's `description`, `1.0` and `1e-08`, not `SpecValue.exact`.)
@Suite struct TransformCanonicalSpecPins {
    static let pins: [(String, String)] = [
        ("clip_norm", "clip_norm(max_norm=1.0)"),
        ("clip_norm(max_norm=2)", "clip_norm(max_norm=2.0)"),
        ("clip_value", "clip_value(clip_value=1.0)"),
        ("clip_value(clip_value=0.5)", "clip_value(clip_value=0.5)"),
        ("normalize", "normalize(eps=0.0)"),
        ("normalize(eps=1e-8)", "normalize(eps=1e-08)"),
    ]

    @Test func everyRegisteredTransformKeepsItsSpec() throws {
        for (text, expected) in Self.pins {
            #expect(try TransformRegistry.make(Spec(parsing: text)).spec.description == expected, "\(text)")
        }
        let pinned = Set(try Self.pins.map { try Spec(parsing: $0.0).name })
        #expect(pinned == Set(TransformRegistry.all.map { $0.catalog.name }))
    }

    @Test func badSpecsKeepTheirMessages() {
        for (text, expected) in [
            ("clip_norm(max_norm=0)", "clip_norm: parameter 'max_norm' must be > 0, got 0.0"),
            ("clip_value(max_norm=1)", "clip_value: unknown parameter 'max_norm'; allowed: clip_value"),
            ("normalize(eps=-1)", "normalize: parameter 'eps' must be >= 0, got -1.0"),
        ] {
            #expect(throws: SpecUsageError(expected), "\(text)") { try TransformRegistry.make(Spec(parsing: text)) }
        }
    }
}
