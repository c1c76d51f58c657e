/// A method's parameters declared once: each entry's name, default, allowed range and doc drive
/// parsing (`read`), `lrbench list` (`docs`) and the canonical spec (`spec`), so the four can
/// never disagree. Entries are read, listed and written in table order.
///
/// `Config` is the method's value type; each entry names the stored property it fills. Every
/// entry has a default, so `read` sets every property: the values a `Config` starts with are
/// never seen.
public struct ParameterTable<Config>: Sendable {
    public struct Entry: Sendable {
        /// What `lrbench list` shows: name, default as written, and the doc line.
        public let doc: ParameterDoc
        let read: @Sendable (inout Parameters, inout Config) throws -> Void
        let write: @Sendable (Config) -> SpecValue

        /// A real number in `range`; `defaultText` is the default as `lrbench list` shows it,
        /// and must read as a number.
        public static func number(_ name: String, _ key: WritableKeyPath<Config, Double> & Sendable, default defaultText: String,
                                  _ range: ValueRange = .any, _ summary: String) -> Entry {
            guard let value = Double(defaultText) else { preconditionFailure("\(name): default '\(defaultText)' is not a number") }
            return Entry(doc: ParameterDoc(name, defaultText, summary),
                         read: { p, c in c[keyPath: key] = try p.double(name, default: value, range) },
                         write: { c in .exact(c[keyPath: key]) })
        }

        /// Two real numbers written `a;b` (Adam's `betas`), each in `range`; `defaultText` as
        /// `lrbench list` shows it.
        public static func pair(_ name: String, _ first: WritableKeyPath<Config, Double> & Sendable,
                                _ second: WritableKeyPath<Config, Double> & Sendable, default defaultText: String,
                                _ range: ValueRange = .any, _ summary: String) -> Entry {
            let values = defaultText.split(separator: ";").compactMap { Double($0) }
            guard values.count == 2 else { preconditionFailure("\(name): default '\(defaultText)' is not two numbers a;b") }
            return Entry(doc: ParameterDoc(name, defaultText, summary),
                         read: { p, c in
                             let v = try p.doubles(name, default: values, count: 2, range)
                             c[keyPath: first] = v[0]
                             c[keyPath: second] = v[1]
                         },
                         write: { c in .list([.exact(c[keyPath: first]), .exact(c[keyPath: second])]) })
        }

        /// `true` or `false`.
        public static func flag(_ name: String, _ key: WritableKeyPath<Config, Bool> & Sendable, default value: Bool,
                                _ summary: String) -> Entry {
            Entry(doc: ParameterDoc(name, value ? "true" : "false", summary),
                  read: { p, c in c[keyPath: key] = try p.bool(name, default: value) },
                  write: { c in .word(c[keyPath: key] ? "true" : "false") })
        }
    }

    public let entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// The parameters as the catalog lists them.
    public var docs: [ParameterDoc] { entries.map(\.doc) }

    /// `config` with every entry read from `spec` (its default when absent); an unknown
    /// parameter or a value out of range is the one-line `SpecUsageError` naming it.
    public func read(_ spec: Spec, into config: Config) throws -> Config {
        var p = Parameters(spec)
        var c = config
        for e in entries { try e.read(&p, &c) }
        try p.finish()
        return c
    }

    /// The canonical spec: `name` with every entry written out, exactly, in table order.
    public func spec(_ name: String, _ config: Config) -> Spec {
        Spec(name: name, arguments: entries.map { Spec.Argument(key: $0.doc.name, value: $0.write(config)) })
    }
}
