/// A method's parameters declared once: each entry's name, default, allowed range and doc drive
/// parsing (`read`), `lrbench list` (`docs`) and the canonical spec (`spec`), so the four can
/// never disagree. Entries are read, listed and written in table order.
///
/// `Config` is the method's value type; each entry names the stored property it fills. Every
/// entry has a default, so `read` sets every property: the values a `Config` starts with are
/// never seen.
public struct ParameterTable<Config>: Sendable {
    /// What an entry leaves to do once every parameter was read and none was unknown.
    typealias Completion = (inout Config) throws -> Void

    public struct Entry: Sendable {
        /// What `lrbench list` shows: name, default as written, and the doc line.
        public let doc: ParameterDoc
        /// Reads the entry from the spec before the other entries, and may take its argument out
        /// of it (a value `Parameters` does not take, such as ∞); nil for most entries.
        let readFirst: (@Sendable (inout Spec, inout Config) throws -> Void)?
        let read: @Sendable (inout Parameters, inout Config) throws -> Completion?
        let write: @Sendable (Config) -> SpecValue

        init(doc: ParameterDoc, readFirst: (@Sendable (inout Spec, inout Config) throws -> Void)? = nil,
             reading read: @escaping @Sendable (inout Parameters, inout Config) throws -> Completion?,
             write: @escaping @Sendable (Config) -> SpecValue) {
            self.doc = doc
            self.readFirst = readFirst
            self.read = read
            self.write = write
        }

        /// An entry read in table order with nothing left to do afterwards.
        init(doc: ParameterDoc, read: @escaping @Sendable (inout Parameters, inout Config) throws -> Void,
             write: @escaping @Sendable (Config) -> SpecValue) {
            self.init(doc: doc, reading: { p, c in try read(&p, &c); return nil }, write: write)
        }

        /// A real number in `range`; `defaultText` is the default as `lrbench list` shows it,
        /// and must read as a number.
        public static func number(_ name: String, _ key: WritableKeyPath<Config, Double> & Sendable, default defaultText: String,
                                  _ range: ValueRange = .any, _ summary: String) -> Entry {
            guard let value = Double(defaultText) else { preconditionFailure("\(name): default '\(defaultText)' is not a number") }
            return Entry(doc: ParameterDoc(name, defaultText, summary),
                         read: { p, c in c[keyPath: key] = try p.double(name, default: value, range) },
                         write: { c in .exact(c[keyPath: key]) })
        }

        /// A real number in `range`, or +∞ (written `inf`), such as D-Adaptation's unbounded
        /// `growth_rate`. `Parameters` takes only finite numbers, so this entry is read before
        /// the others (as the hand-written parsers did), and its errors come first.
        public static func numberOrInfinity(_ name: String, _ key: WritableKeyPath<Config, Double> & Sendable, default defaultText: String,
                                            _ range: ValueRange = .any, _ summary: String) -> Entry {
            guard let value = Double(defaultText) else { preconditionFailure("\(name): default '\(defaultText)' is not a number") }
            return Entry(doc: ParameterDoc(name, defaultText, summary),
                         readFirst: { s, c in
                             if case .number(let x, _)? = s[name], x == .infinity {
                                 c[keyPath: key] = x
                             } else {
                                 var given = Parameters(Spec(name: s.name, arguments: s.arguments.filter { $0.key == name }))
                                 c[keyPath: key] = try given.double(name, default: value, range)
                             }
                             s.arguments.removeAll { $0.key == name }
                         },
                         reading: { p, _ in
                             _ = try p.optionalDouble(name)   // read already; this marks it as known
                             return nil
                         },
                         write: { c in .exact(c[keyPath: key]) })
        }

        /// A real number in `range`, or `none` (the default) for a reference's `None`: the
        /// canonical spec writes every parameter, so an absent value is the word `none`.
        public static func optional(_ name: String, _ key: WritableKeyPath<Config, Double?> & Sendable,
                                    _ range: ValueRange = .any, _ summary: String) -> Entry {
            Entry(doc: ParameterDoc(name, "none", summary),
                  read: { p, c in
                      if case .word("none")? = p.spec[name] {
                          _ = try p.choice(name, default: "none", ["none"])
                          c[keyPath: key] = nil
                      } else {
                          c[keyPath: key] = try p.optionalDouble(name, range)
                      }
                  },
                  write: { c in c[keyPath: key].map(SpecValue.exact) ?? .word("none") })
        }

        /// A whole number in `range` (and within `Parameters.maxWholeNumber`); `defaultText`
        /// must read as a whole number.
        public static func integer(_ name: String, _ key: WritableKeyPath<Config, Int> & Sendable, default defaultText: String,
                                   _ range: ValueRange = .any, _ summary: String) -> Entry {
            guard let value = Int(defaultText) else { preconditionFailure("\(name): default '\(defaultText)' is not a whole number") }
            return Entry(doc: ParameterDoc(name, defaultText, summary),
                         read: { p, c in c[keyPath: key] = try p.int(name, default: value, range) },
                         write: { c in .exact(Double(c[keyPath: key])) })
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

        /// Any number of real numbers written `a;b;…` (one per tuner scale, say), each in
        /// `range`; always written as a list.
        public static func numbers(_ name: String, _ key: WritableKeyPath<Config, [Double]> & Sendable, default defaultText: String,
                                   _ range: ValueRange = .any, _ summary: String) -> Entry {
            let values = defaultText.split(separator: ";").map { Double($0) }
            guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { preconditionFailure("\(name): default '\(defaultText)' is not numbers a;b;…") }
            return Entry(doc: ParameterDoc(name, defaultText, summary),
                         read: { p, c in c[keyPath: key] = try p.doubles(name, default: values.map { $0! }, range) },
                         write: { c in .list(c[keyPath: key].map(SpecValue.exact)) })
        }

        /// `true` or `false`.
        public static func flag(_ name: String, _ key: WritableKeyPath<Config, Bool> & Sendable, default value: Bool,
                                _ summary: String) -> Entry {
            Entry(doc: ParameterDoc(name, value ? "true" : "false", summary),
                  read: { p, c in c[keyPath: key] = try p.bool(name, default: value) },
                  write: { c in .word(c[keyPath: key] ? "true" : "false") })
        }

        /// One word out of `Value`'s cases (their raw values, in declaration order).
        public static func choice<Value: RawRepresentable & CaseIterable & Sendable>(
            _ name: String, _ key: WritableKeyPath<Config, Value> & Sendable, default value: Value, _ summary: String
        ) -> Entry where Value.RawValue == String {
            let words = Value.allCases.map(\.rawValue)
            return Entry(doc: ParameterDoc(name, value.rawValue, summary),
                         read: { p, c in
                             let word = try p.choice(name, default: value.rawValue, words)
                             c[keyPath: key] = Value(rawValue: word)!
                         },
                         write: { c in .word(c[keyPath: key].rawValue) })
        }

        /// A nested spec such as Mechanic's `base=adam(eps=1e-6)`, made into a `Value` by `make`
        /// and written back as `spec` gives it. `make` runs once every parameter of the outer
        /// spec was read and none was unknown, so the outer spec's own errors come first.
        public static func nested<Value>(_ name: String, _ key: WritableKeyPath<Config, Value> & Sendable, default defaultText: String,
                                         make: @escaping @Sendable (Spec) throws -> Value,
                                         spec: @escaping @Sendable (Value) -> Spec, _ summary: String) -> Entry {
            guard let value = try? Spec(parsing: defaultText) else { preconditionFailure("\(name): default '\(defaultText)' is not a spec") }
            return Entry(doc: ParameterDoc(name, defaultText, summary),
                         reading: { p, _ in
                             let given = try p.spec(name, default: value)
                             return { c in c[keyPath: key] = try make(given) }
                         },
                         write: { c in .nested(spec(c[keyPath: key])) })
        }
    }

    public let entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// The parameters as the catalog lists them.
    public var docs: [ParameterDoc] { entries.map(\.doc) }

    /// These entries for a `Config` stored at `path` in an `Outer`, for a method that extends
    /// another's parameters (L-DoG's are DoG's and its own).
    public func embedded<Outer>(in path: WritableKeyPath<Outer, Config> & Sendable) -> [ParameterTable<Outer>.Entry] {
        entries.map { e in
            ParameterTable<Outer>.Entry(
                doc: e.doc,
                readFirst: e.readFirst.map { first in { @Sendable s, o in try first(&s, &o[keyPath: path]) } },
                reading: { p, o in
                    guard let done = try e.read(&p, &o[keyPath: path]) else { return nil }
                    return { o in try done(&o[keyPath: path]) }
                },
                write: { o in e.write(o[keyPath: path]) })
        }
    }

    /// `config` with every entry read from `spec` (its default when absent); an unknown
    /// parameter or a value out of range is the one-line `SpecUsageError` naming it.
    public func read(_ spec: Spec, into config: Config) throws -> Config {
        var c = config
        var rest = spec
        for e in entries { try e.readFirst?(&rest, &c) }
        var p = Parameters(rest)
        var completions: [Completion] = []
        for e in entries {
            if let done = try e.read(&p, &c) { completions.append(done) }
        }
        try p.finish()
        for done in completions { try done(&c) }
        return c
    }

    /// The canonical spec: `name` with every entry written out, exactly, in table order.
    public func spec(_ name: String, _ config: Config) -> Spec {
        Spec(name: name, arguments: entries.map { Spec.Argument(key: $0.doc.name, value: $0.write(config)) })
    }
}
