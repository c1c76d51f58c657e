/// Writing values back as spec text that parses to the same `SpecValue`: how a configuration
/// built in code (a composite schedule of child values, an optimizer's canonical spec) gets its
/// spec.
extension SpecValue {
    /// A number written exactly: whole numbers without a decimal point, others in Swift's
    /// shortest round-tripping form (so the parsed number has the same bits).
    public static func exact(_ x: Double) -> SpecValue {
        let text = x.isFinite && x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : x.description
        return .number(x, text: text)
    }

    /// A nested spec as the parser reads it back: a spec without arguments is a bare word.
    public static func nested(_ s: Spec) -> SpecValue {
        s.arguments.isEmpty ? .word(s.name) : .spec(s)
    }

    /// Items separated by ';' as the parser reads them back: one item is that item, not a list.
    public static func items(_ xs: [SpecValue]) -> SpecValue {
        xs.count == 1 ? xs[0] : .list(xs)
    }
}
