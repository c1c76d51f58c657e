import Testing
import Specs

/// Values written back as spec text parse to the same value.
@Suite struct SpecValueTests {
    @Test func exactNumbersReadBackToTheSameBits() throws {
        #expect(SpecValue.exact(3).description == "3")
        #expect(SpecValue.exact(0.1).description == "0.1")
        #expect(SpecValue.exact(1e-8).description == "1e-08")
        #expect(SpecValue.exact(1 / 3).description == "0.3333333333333333")
        #expect(SpecValue.exact(1e20).description == "1e+20")
        #expect(SpecValue.exact(.infinity).description == "inf")
        for x: Double in [3, 0.1, 1e-8, 1.0 / 3, 1e20, -2.5, 1.0 / 101] {
            let parsed = try Spec(parsing: "f(a=\(SpecValue.exact(x)))")
            #expect(parsed["a"] == .exact(x))
        }
    }

    @Test func nestedSpecsAndItemsParseBackEqual() throws {
        let inner = try Spec(parsing: "cosine(T_max=90)")
        let written = Spec(name: "f", arguments: [
            Spec.Argument(key: "one", value: .items([.nested(Spec(name: "constant"))])),
            Spec.Argument(key: "two", value: .items([.nested(inner), .nested(Spec(name: "constant"))])),
            Spec.Argument(key: "then", value: .nested(inner)),
        ])
        #expect(written.description == "f(one=constant, two=cosine(T_max=90);constant, then=cosine(T_max=90))")
        #expect(try Spec(parsing: written.description) == written)
    }
}
