/// The entry kinds schedules and gradient transforms need beyond the optimizers' (issue 12):
/// required values (numbers, whole numbers, words), lists of whole numbers (milestones), values
/// whose absence means something (`max_lr=lr0`), defaults computed from another entry, and child
/// specs of composites. Each reads through `Parameters`, so the one-line errors are its own.
extension ParameterTable.Entry {
    /// A real number in `range` with no default: `lrbench list` shows `required`.
    public static func requiredNumber(_ name: String, _ key: WritableKeyPath<Config, Double> & Sendable,
                                      _ range: ValueRange = .any, _ summary: String) -> Self {
        Self(doc: ParameterDoc(name, "required", summary),
             read: { p, c in c[keyPath: key] = try p.double(name, range) },
             write: { c in .exact(c[keyPath: key]) })
    }

    /// A real number in `range` whose default is computed from the entries read before it
    /// (warmup's `start_factor = 1/(steps+1)`); `shown` is that default as `lrbench list` shows it.
    public static func derivedNumber(_ name: String, _ key: WritableKeyPath<Config, Double> & Sendable, shown: String,
                                     default value: @escaping @Sendable (Config) -> Double,
                                     _ range: ValueRange = .any, _ summary: String) -> Self {
        Self(doc: ParameterDoc(name, shown, summary),
             read: { p, c in c[keyPath: key] = try p.double(name, default: value(c), range) },
             write: { c in .exact(c[keyPath: key]) })
    }

    /// A real number whose allowed range depends on another parameter of the spec as given
    /// (plateau's `threshold` is < 1 only when `threshold_mode=rel`).
    public static func dependentNumber(_ name: String, _ key: WritableKeyPath<Config, Double> & Sendable, default defaultText: String,
                                       range: @escaping @Sendable (Spec) -> ValueRange, _ summary: String) -> Self {
        guard let value = Double(defaultText) else { preconditionFailure("\(name): default '\(defaultText)' is not a number") }
        return Self(doc: ParameterDoc(name, defaultText, summary),
                    read: { p, c in c[keyPath: key] = try p.double(name, default: value, range(p.spec)) },
                    write: { c in .exact(c[keyPath: key]) })
    }

    /// A real number, or absent (nil) when not given: then the method uses what `shown` says
    /// (`lr0`, `none`). With `word`, that word is also accepted and means absent
    /// (`loss_adaptive(min_loss=best)`). An absent value is written as `word`, or left out.
    public static func optionalNumber(_ name: String, _ key: WritableKeyPath<Config, Double?> & Sendable, shown: String,
                                      word: String? = nil, _ range: ValueRange = .any, _ summary: String) -> Self {
        Self(doc: ParameterDoc(name, shown, summary),
             read: { p, c in
                 if let word, case .word? = p.spec[name] {
                     _ = try p.choice(name, default: word, [word])
                     c[keyPath: key] = nil
                 } else {
                     c[keyPath: key] = try p.optionalDouble(name, range)
                 }
             },
             write: { c in c[keyPath: key].map(SpecValue.exact) ?? word.map(SpecValue.word) ?? .absent })
    }

    /// A whole number in `range` (and within `Parameters.maxWholeNumber`) with no default: a
    /// length, a count or an index (`integer` when it has one). A budget-relative length
    /// (`budget/10`) is resolved before the method reads its spec, so it arrives as a number.
    public static func requiredInteger(_ name: String, _ key: WritableKeyPath<Config, Int> & Sendable,
                                       _ range: ValueRange = .any, _ summary: String) -> Self {
        Self(doc: ParameterDoc(name, "required", summary),
             read: { p, c in c[keyPath: key] = try p.int(name, range) },
             write: { c in .exact(Double(c[keyPath: key])) })
    }

    /// A whole number, or absent (nil) when not given, for a default that depends on other
    /// parameters (`shown`: cyclic's `step_size_down=step_size_up`). An absent value is left out.
    public static func optionalWholeNumber(_ name: String, _ key: WritableKeyPath<Config, Int?> & Sendable, shown: String,
                                           _ range: ValueRange = .any, _ summary: String) -> Self {
        Self(doc: ParameterDoc(name, shown, summary),
             read: { p, c in
                 // Read even when absent, so the unknown-parameter message lists it as allowed.
                 let given = p.spec[name] != nil
                 let x = try p.int(name, default: 0, range)
                 c[keyPath: key] = given ? x : nil
             },
             write: { c in c[keyPath: key].map { .exact(Double($0)) } ?? .absent })
    }

    /// Whole numbers separated by ';' (milestones, boundaries), each in `range`; nil `default`
    /// makes it required. `shown` overrides the listed default (sequential's milestones may be
    /// left out for one child but are listed as `required`). An empty list is left out.
    public static func wholeNumbers(_ name: String, _ key: WritableKeyPath<Config, [Int]> & Sendable, default value: [Int]?,
                                    shown: String? = nil, _ range: ValueRange = .any, _ summary: String) -> Self {
        Self(doc: ParameterDoc(name, shown ?? value.map { $0.map(String.init).joined(separator: ";") } ?? "required", summary),
             read: { p, c in c[keyPath: key] = try p.ints(name, default: value, range) },
             write: { c in c[keyPath: key].isEmpty ? .absent : .items(c[keyPath: key].map { .exact(Double($0)) }) })
    }

    /// Required real numbers separated by ';', each in `range`, as many as the whole numbers at
    /// `countOf` read before them (optax's `scales`, one per boundary).
    public static func requiredNumbers(_ name: String, _ key: WritableKeyPath<Config, [Double]> & Sendable,
                                       countOf: KeyPath<Config, [Int]> & Sendable, _ range: ValueRange = .any,
                                       _ summary: String) -> Self {
        Self(doc: ParameterDoc(name, "required", summary),
             read: { p, c in c[keyPath: key] = try p.doubles(name, count: c[keyPath: countOf].count, range) },
             write: { c in .items(c[keyPath: key].map(SpecValue.exact)) })
    }

    /// One word out of `Value`'s cases (their raw values, in declaration order) with no default
    /// (`choice` when it has one): absent, it is `is required (linear or cosine)`.
    public static func requiredChoice<Value: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ key: WritableKeyPath<Config, Value> & Sendable, _ summary: String
    ) -> Self where Value.RawValue == String {
        let words = Value.allCases.map(\.rawValue)
        let phrase = words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words.last!
        return Self(doc: ParameterDoc(name, "required", summary),
                    read: { p, c in
                        guard p.spec[name] != nil else {
                            throw SpecUsageError("\(p.spec.name): parameter '\(name)' is required (\(phrase))")
                        }
                        c[keyPath: key] = Value(rawValue: try p.choice(name, default: "", words))!
                    },
                    write: { c in .word(c[keyPath: key].rawValue) })
    }

    /// A child spec (`then=cosine(T_max=90)`), read as a spec: the method builds the child once
    /// every parameter was read, so its own errors come first. nil `default` makes it required.
    public static func childSpec(_ name: String, _ key: WritableKeyPath<Config, Spec> & Sendable, default value: Spec?,
                                 _ summary: String) -> Self {
        Self(doc: ParameterDoc(name, value?.description ?? "required", summary),
             read: { p, c in c[keyPath: key] = try p.spec(name, default: value) },
             write: { c in .nested(c[keyPath: key]) })
    }

    /// Required child specs separated by ';' (`schedules=linear(total_iters=10);cosine(T_max=90)`).
    public static func childSpecs(_ name: String, _ key: WritableKeyPath<Config, [Spec]> & Sendable, _ summary: String) -> Self {
        Self(doc: ParameterDoc(name, "required", summary),
             read: { p, c in c[keyPath: key] = try p.specs(name) },
             write: { c in .items(c[keyPath: key].map(SpecValue.nested)) })
    }

    /// A real number in `range` written in Swift's `description` (`1.0`, `1e-08`), not
    /// `SpecValue.exact`: the gradient transforms' specs were first written so, and run ids hash them.
    public static func describedNumber(_ name: String, _ key: WritableKeyPath<Config, Double> & Sendable, default defaultText: String,
                                       _ range: ValueRange = .any, _ summary: String) -> Self {
        guard let value = Double(defaultText) else { preconditionFailure("\(name): default '\(defaultText)' is not a number") }
        return Self(doc: ParameterDoc(name, defaultText, summary),
                    read: { p, c in c[keyPath: key] = try p.double(name, default: value, range) },
                    write: { c in .number(c[keyPath: key], text: c[keyPath: key].description) })
    }
}

extension SpecValue {
    /// What an entry writes for a value left out of the spec: an empty list, which no spec
    /// text parses to. `ParameterTable.writtenSpec` drops it.
    static let absent = SpecValue.list([])
}

extension ParameterTable {
    /// The spec written from `config`, in table order, leaving out the entries whose value is
    /// absent (an optional not given, an empty list): what a schedule built in code writes, so
    /// that it parses back to the same schedule.
    public func writtenSpec(_ name: String, _ config: Config) -> Spec {
        Spec(name: name, arguments: entries.compactMap { e in
            let v = e.write(config)
            return v == .absent ? nil : Spec.Argument(key: e.doc.name, value: v)
        })
    }
}
