import Testing
@testable import Optimizers
import Specs

/// The optimizers whose parameters are one declarative `ParameterTable`: it is their catalog, it
/// reads every parameter, and it writes the spec that reads back to the same optimizer.
@Suite struct ParameterTableTests {
    /// Each tabled optimizer's catalog parameters and its table's.
    static let tabled: [(name: String, catalog: [ParameterDoc], table: [ParameterDoc])] = [
        ("sgd", SGD.catalog.parameters, SGD.parameters.docs),
        ("adagrad", Adagrad.catalog.parameters, Adagrad.parameters.docs),
        ("rmsprop", RMSprop.catalog.parameters, RMSprop.parameters.docs),
        ("adam", Adam.catalog.parameters, Adam.parameters.docs),
        ("adamw", AdamW.catalog.parameters, AdamW.parameters.docs),
        ("adamax", Adamax.catalog.parameters, Adamax.parameters.docs),
        ("adadelta", Adadelta.catalog.parameters, Adadelta.parameters.docs),
        ("lion", Lion.catalog.parameters, Lion.parameters.docs),
        ("nadam", NAdam.catalog.parameters, NAdam.parameters.docs),
        ("radam", RAdam.catalog.parameters, RAdam.parameters.docs),
        ("sgd_schedulefree", SGDScheduleFree.catalog.parameters, SGDScheduleFree.parameters.docs),
        ("adamw_schedulefree", AdamWScheduleFree.catalog.parameters, AdamWScheduleFree.parameters.docs),
        ("radam_schedulefree", RAdamScheduleFree.catalog.parameters, RAdamScheduleFree.parameters.docs),
        ("polyak", Polyak.catalog.parameters, Polyak.parameters.docs),
        ("dadapt_sgd", DAdaptSGD.catalog.parameters, DAdaptSGD.parameters.docs),
        ("dadapt_adam", DAdaptAdam.catalog.parameters, DAdaptAdam.parameters.docs),
        ("prodigy", Prodigy.catalog.parameters, Prodigy.parameters.docs),
        ("mechanic", Mechanic.catalog.parameters, Mechanic.parameters.docs),
        ("dog", DoG.catalog.parameters, DoG.parameters.docs),
        ("ldog", LDoG.catalog.parameters, LDoG.parameters.docs),
        ("dowg", DoWG.catalog.parameters, DoWG.parameters.docs),
        ("cocob", COCOB.catalog.parameters, COCOB.parameters.docs),
        ("sgd_hd", SGDHD.catalog.parameters, SGDHD.parameters.docs),
        ("adam_hd", AdamHD.catalog.parameters, AdamHD.parameters.docs),
        ("sls", SLS.catalog.parameters, SLS.parameters.docs),
    ]

    /// Every registered optimizer declares its parameters in a table.
    @Test func everyOptimizerIsTabled() {
        #expect(Self.tabled.map(\.name).sorted() == OptimizerRegistry.names.sorted())
    }

    @Test func theTableIsTheCatalog() {
        for t in Self.tabled {
            #expect(t.catalog.map(\.name) == t.table.map(\.name), "\(t.name)")
            #expect(t.catalog.map(\.defaultValue) == t.table.map(\.defaultValue), "\(t.name)")
            #expect(t.catalog.map(\.summary) == t.table.map(\.summary), "\(t.name)")
        }
    }

    @Test(arguments: [
        "sgd(momentum=0.5, dampening=0.25, nesterov=false, weight_decay=0.125, maximize=true)",
        "adagrad(lr_decay=0.5, weight_decay=0.25, initial_accumulator_value=0.125, eps=1e-06)",
        "rmsprop(alpha=0.5, eps=0.001, weight_decay=0.25, momentum=0.125, centered=true)",
        "adam(betas=0.5;0.75, eps=0.001, weight_decay=0.25, amsgrad=true)",
        "adamw(betas=0.5;0.75, eps=0.001, weight_decay=0.25, amsgrad=true)",
        "adamax(betas=0.5;0.75, eps=0.001, weight_decay=0.25)",
        "adadelta(rho=0.5, eps=0.001, weight_decay=0.25)",
        "lion(betas=0.5;0.75, weight_decay=0.25)",
        "nadam(betas=0.5;0.75, eps=0.001, weight_decay=0.25, momentum_decay=0.125, decoupled_weight_decay=true)",
        "radam(betas=0.5;0.75, eps=0.001, weight_decay=0.25, decoupled_weight_decay=true)",
        "sgd_schedulefree(momentum=0.5, weight_decay=0.25, r=0.125, weight_lr_power=3, warmup_steps=7)",
        "adamw_schedulefree(betas=0.5;0.75, eps=0.001, weight_decay=0.25, r=0.125, weight_lr_power=3, warmup_steps=7)",
        "radam_schedulefree(betas=0.5;0.75, eps=0.001, weight_decay=0.25, r=0.125, weight_lr_power=3, silent_sgd_phase=false)",
        "polyak(max_lr=0.5, c=0.25, eps=0.001)",
        "dadapt_sgd(momentum=0.5, weight_decay=0.25, d0=0.001, growth_rate=1.5)",
        "dadapt_adam(betas=0.5;0.75, eps=0.001, weight_decay=0.25, decouple=true, use_bias_correction=true, d0=0.125, growth_rate=1.5)",
        "prodigy(betas=0.5;0.75, beta3=0.5, eps=0.001, weight_decay=0.25, decouple=false, use_bias_correction=true, "
            + "safeguard_warmup=true, d0=0.125, d_coef=2, growth_rate=1.5, slice_p=3)",
        "mechanic(base=adam(betas=0.5;0.75, eps=0.001, weight_decay=0.25, amsgrad=true), s_decay=0.5, betas=0.5;0.25, "
            + "s_init=0.001, eps=0.125, store_delta=true)",
        "dog(reps_rel=0.5, eps=0.001, weight_decay=0.25, init_eta=0.125)",
        "ldog(reps_rel=0.5, eps=0.001, weight_decay=0.25, init_eta=0.125, block_size=3)",
        "dowg(init_estim_sq_dist=0.5, eps=0.001, weight_decay=0.25)",
        "cocob(alpha=50, eps=0.001, weight_decay=0.25)",
        "sgd_hd(hypergrad_lr=0.5, momentum=0.5, dampening=0.25, nesterov=false, weight_decay=0.25)",
        "adam_hd(hypergrad_lr=0.5, betas=0.5;0.75, eps=0.001, weight_decay=0.25)",
        "sls(n_batches_per_epoch=7, init_step_size=0.5, c=0.25, beta_b=0.5, gamma=3, beta_f=4, reset_option=2, "
            + "eta_max=5, bound_step_size=false, line_search_fn=goldstein)",
    ])
    func everyParameterOffItsDefaultIsReadAndWrittenBack(_ text: String) throws {
        // Every value differs from its default, so a parameter the table dropped, misread or
        // wrote under another name changes the text.
        let o = try OptimizerRegistry.make(Spec(parsing: text))
        #expect(o.spec.description == text)
        #expect(try OptimizerRegistry.make(Spec(parsing: o.spec.description)).spec == o.spec)
    }

    @Test func readsIntoTheRightProperties() throws {
        let s = try SGD(spec: Spec(parsing: "sgd(momentum=0.5, dampening=0.25, weight_decay=0.125, maximize=true)"))
        #expect(s.momentum == 0.5 && s.dampening == 0.25 && !s.nesterov && s.weightDecay == 0.125 && s.maximize)
        let a = try Adam(spec: Spec(parsing: "adam(betas=0.5;0.75, eps=0.001)"))
        #expect(a.beta1 == 0.5 && a.beta2 == 0.75 && a.eps == 0.001 && a.weightDecay == 0 && !a.amsgrad)
        let r = try RMSprop(spec: Spec(name: "rmsprop"))
        #expect(r.alpha == 0.99 && r.eps == 1e-8 && r.weightDecay == 0 && r.momentum == 0 && !r.centered)
        let g = try Adagrad(spec: Spec(name: "adagrad"))
        #expect(g.lrDecay == 0 && g.weightDecay == 0 && g.initialAccumulatorValue == 0 && g.eps == 1e-10)
        #expect(try AdamW(spec: Spec(name: "adamw")).weightDecay == 0.01)
    }

    // Each entry kind on its own, in a table of a test configuration `t(...)`.

    /// The message `table.read` throws for `text`, or nil if it reads.
    static func error<C>(_ table: ParameterTable<C>, _ text: String, _ start: C) -> String? {
        do {
            _ = try table.read(Spec(parsing: text), into: start)
            return nil
        } catch {
            return "\(error)"
        }
    }

    struct Counts { var steps = -1 }
    static let counts = ParameterTable<Counts>([
        .integer("steps", \.steps, default: "3", .nonNegative, "a count"),
    ])

    @Test func integerEntry() throws {
        #expect(try Self.counts.read(Spec(name: "t"), into: Counts()).steps == 3)
        let c = try Self.counts.read(Spec(parsing: "t(steps=7)"), into: Counts())
        #expect(c.steps == 7)
        #expect(Self.counts.spec("t", c).description == "t(steps=7)")
        #expect(Self.counts.docs.map(\.defaultValue) == ["3"])
        #expect(Self.error(Self.counts, "t(steps=2.5)", Counts()) == "t: parameter 'steps' must be a whole number in [0, 1000000000], got '2.5'")
        #expect(Self.error(Self.counts, "t(steps=-1)", Counts()) == "t: parameter 'steps' must be a whole number in [0, 1000000000], got -1")
    }

    struct Caps { var cap: Double? = 42 }
    static let caps = ParameterTable<Caps>([
        .optional("cap", \.cap, .positive, "a cap, or none"),
    ])

    @Test func optionalEntry() throws {
        #expect(Self.caps.docs.map(\.defaultValue) == ["none"])
        let absent = try Self.caps.read(Spec(name: "t"), into: Caps())
        #expect(absent.cap == nil)
        #expect(Self.caps.spec("t", absent).description == "t(cap=none)")
        #expect(try Self.caps.read(Spec(parsing: "t(cap=none)"), into: Caps()).cap == nil)
        let given = try Self.caps.read(Spec(parsing: "t(cap=0.5)"), into: Caps())
        #expect(given.cap == 0.5)
        #expect(Self.caps.spec("t", given).description == "t(cap=0.5)")
        #expect(Self.error(Self.caps, "t(cap=0)", Caps()) == "t: parameter 'cap' must be > 0, got 0.0")
        #expect(Self.error(Self.caps, "t(cap=auto)", Caps()) == "t: parameter 'cap' must be a number, got 'auto'")
        #expect(Self.error(Self.caps, "t(cap=none;none)", Caps()) == "t: parameter 'cap' must be a number, got 'none;none'")
    }

    enum Mode: String, CaseIterable, Sendable { case fast, slow }
    struct Modes { var mode = Mode.slow }
    static let modes = ParameterTable<Modes>([
        .choice("mode", \.mode, default: .fast, "fast or slow"),
    ])

    @Test func choiceEntry() throws {
        #expect(Self.modes.docs.map(\.defaultValue) == ["fast"])
        #expect(try Self.modes.read(Spec(name: "t"), into: Modes()).mode == .fast)
        let slow = try Self.modes.read(Spec(parsing: "t(mode=slow)"), into: Modes())
        #expect(slow.mode == .slow)
        #expect(Self.modes.spec("t", slow).description == "t(mode=slow)")
        #expect(Self.error(Self.modes, "t(mode=Fast)", Modes()) == "t: parameter 'mode' must be one of fast, slow, got 'Fast'")
        #expect(Self.error(Self.modes, "t(mode=1)", Modes()) == "t: parameter 'mode' must be one of fast, slow, got '1'")
    }

    struct Scales { var scales: [Double] = [] }
    static let scales = ParameterTable<Scales>([
        .numbers("scales", \.scales, default: "0.5;0.25;0.125", .unitOpenAbove, "one rate per scale"),
    ])

    @Test func numbersEntry() throws {
        let bare = try Self.scales.read(Spec(name: "t"), into: Scales())
        #expect(bare.scales == [0.5, 0.25, 0.125])
        #expect(Self.scales.spec("t", bare).description == "t(scales=0.5;0.25;0.125)")
        let one = try Self.scales.read(Spec(parsing: "t(scales=0.75)"), into: Scales())
        #expect(one.scales == [0.75])
        #expect(Self.scales.spec("t", one).arguments[0].value == .list([.exact(0.75)]))
        #expect(Self.error(Self.scales, "t(scales=0.5;1)", Scales()) == "t: parameter 'scales' must be in [0, 1), got 1.0")
        #expect(Self.error(Self.scales, "t(scales=0.5;x)", Scales())
            == "t: parameter 'scales' must be a list of numbers separated by ';', got '0.5;x'")
    }

    struct Growth { var rate = 0.0, steps = 0 }
    static let growth = ParameterTable<Growth>([
        .integer("steps", \.steps, default: "0", .nonNegative, "read in table order"),
        .numberOrInfinity("rate", \.rate, default: "inf", .atLeast(1), "a bound, or inf"),
    ])

    @Test func numberOrInfinityEntry() throws {
        let bare = try Self.growth.read(Spec(name: "t"), into: Growth())
        #expect(bare.rate == .infinity)
        #expect(Self.growth.spec("t", bare).description == "t(steps=0, rate=inf)")
        for text in ["inf", "Infinity", "+inf"] {
            #expect(try Self.growth.read(Spec(parsing: "t(rate=\(text))"), into: Growth()).rate == .infinity, "\(text)")
        }
        #expect(try Self.growth.read(Spec(parsing: "t(rate=1.5)"), into: Growth()).rate == 1.5)
        #expect(Self.error(Self.growth, "t(rate=-inf)", Growth()) == "t: parameter 'rate' must be >= 1, got -inf")
        #expect(Self.error(Self.growth, "t(rate=0.5)", Growth()) == "t: parameter 'rate' must be >= 1, got 0.5")
        #expect(Self.error(Self.growth, "t(rate=nan)", Growth()) == "t: parameter 'rate' must be >= 1, got nan")
        // Read before the other entries, and still a known parameter.
        #expect(Self.error(Self.growth, "t(steps=-1, rate=0)", Growth()) == "t: parameter 'rate' must be >= 1, got 0.0")
        #expect(Self.error(Self.growth, "t(rate=inf, bogus=1)", Growth()) == "t: unknown parameter 'bogus'; allowed: rate, steps")
    }

    struct Tuner {
        var base: any Optimizer = try! Lion(spec: Spec(name: "lion"))
        var decay = 0.0
    }
    static let tuner = ParameterTable<Tuner>([
        .nested("base", \.base, default: "lion", make: { try OptimizerRegistry.make($0) }, spec: { $0.spec }, "the base optimizer"),
        .number("decay", \.decay, default: "0", .nonNegative, "a decay"),
    ])

    @Test func nestedEntry() throws {
        let bare = try Self.tuner.read(Spec(name: "t"), into: Tuner())
        #expect(bare.base is Lion)
        #expect(Self.tuner.spec("t", bare).description == "t(base=lion(betas=0.9;0.99, weight_decay=0), decay=0)")
        let adam = try Self.tuner.read(Spec(parsing: "t(base=adam(eps=0.5))"), into: Tuner())
        #expect((adam.base as? Adam)?.eps == 0.5)
        #expect(Self.tuner.spec("t", adam).description == "t(base=adam(betas=0.9;0.999, eps=0.5, weight_decay=0, amsgrad=false), decay=0)")
        #expect(Self.error(Self.tuner, "t(base=adam(eps=0))", Tuner()) == "adam: parameter 'eps' must be > 0, got 0.0")
        #expect(Self.error(Self.tuner, "t(base=1)", Tuner()) == "t: parameter 'base' must be a spec such as cosine(T_max=100), got '1'")
        // The nested spec is made last: the outer spec's own errors come first.
        #expect(Self.error(Self.tuner, "t(base=adam(eps=0), decay=-1)", Tuner()) == "t: parameter 'decay' must be >= 0, got -1.0")
        #expect(Self.error(Self.tuner, "t(base=adam(eps=0), bogus=1)", Tuner()) == "t: unknown parameter 'bogus'; allowed: base, decay")
    }

    struct Outer { var inner = Growth(), label = Mode.fast }
    static let outer = ParameterTable<Outer>(growth.embedded(in: \.inner) + [
        .choice("label", \.label, default: .slow, "its own"),
    ])

    @Test func embeddedEntries() throws {
        #expect(Self.outer.docs.map(\.name) == ["steps", "rate", "label"])
        let o = try Self.outer.read(Spec(parsing: "u(rate=2, steps=4, label=fast)"), into: Outer())
        #expect(o.inner.rate == 2 && o.inner.steps == 4 && o.label == .fast)
        #expect(Self.outer.spec("u", o).description == "u(steps=4, rate=2, label=fast)")
        #expect(Self.outer.spec("u", try Self.outer.read(Spec(name: "u"), into: Outer())).description == "u(steps=0, rate=inf, label=slow)")
        #expect(Self.error(Self.outer, "u(rate=0)", Outer()) == "u: parameter 'rate' must be >= 1, got 0.0")
        #expect(Self.error(Self.outer, "u(size=1)", Outer()) == "u: unknown parameter 'size'; allowed: label, rate, steps")
    }
}
