import Testing
import Optimizers
import Specs

/// The message `make` throws for `text`, or nil if it parses.
func specError(_ text: String) -> String? {
    do {
        _ = try OptimizerRegistry.make(try Spec(parsing: text))
        return nil
    } catch let error as SpecUsageError {
        return error.description
    } catch {
        return "unexpected \(error)"
    }
}

@Suite struct OptimizerSpecTests {
    @Test func registryKnowsEveryOptimizer() throws {
        let expected = ["sgd", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "adamax", "nadam", "radam",
                        "lion", "sgd_schedulefree", "adamw_schedulefree", "polyak",
                        "dadapt_sgd", "dadapt_adam", "prodigy", "mechanic", "radam_schedulefree",
                        "dog", "ldog", "dowg", "cocob", "sgd_hd", "adam_hd", "sls"]
        #expect(OptimizerRegistry.names == expected)
        #expect(Set(OptimizerRegistry.names).count == OptimizerRegistry.all.count)
        for name in expected {
            let optimizer = try OptimizerRegistry.make(Spec(name: name))
            #expect(type(of: optimizer).catalog.name == name)
            #expect(optimizer.spec.name == name)
        }
    }

    @Test func unknownOptimizer() {
        #expect(specError("adamm") == "unknown optimizer 'adamm'; known: sgd, adagrad, rmsprop, adadelta, adam, "
            + "adamw, adamax, nadam, radam, lion, sgd_schedulefree, adamw_schedulefree, polyak, "
            + "dadapt_sgd, dadapt_adam, prodigy, mechanic, radam_schedulefree, dog, ldog, dowg, cocob, sgd_hd, adam_hd, sls")
    }

    @Test func defaultLearningRatesAreTheReferences() throws {
        let expected: [String: Double] = [
            "sgd": 1e-3, "adagrad": 1e-2, "rmsprop": 1e-2, "adadelta": 1.0, "adam": 1e-3, "adamw": 1e-3,
            "adamax": 2e-3, "nadam": 2e-3, "radam": 1e-3, "lion": 1e-4, "sgd_schedulefree": 1.0,
            "adamw_schedulefree": 0.0025, "polyak": 1.0,
            "dadapt_sgd": 1.0, "dadapt_adam": 1.0, "prodigy": 1.0, "mechanic": 1e-3, "radam_schedulefree": 0.0025,
            "dog": 1.0, "ldog": 1.0, "dowg": 1.0, "cocob": 1.0, "sgd_hd": 1e-3, "adam_hd": 1e-3, "sls": 1.0,
        ]
        for type in OptimizerRegistry.all {
            let optimizer = try type.init(spec: Spec(name: type.catalog.name))
            #expect(optimizer.defaultLearningRate == expected[type.catalog.name], "\(type.catalog.name)")
        }
    }

    /// The catalog's documented defaults are the code's defaults, and `spec` writes every
    /// parameter out and parses back to itself.
    @Test func catalogDefaultsAndSpecRoundTrip() throws {
        for type in OptimizerRegistry.all {
            let name = type.catalog.name
            let bare = try type.init(spec: Spec(name: name))
            let fromSignature = try type.init(spec: Spec(parsing: type.catalog.signature))
            #expect(bare.spec == fromSignature.spec, "\(name): catalog defaults \(type.catalog.signature) vs \(bare.spec)")
            #expect(bare.spec.arguments.map(\.key) == type.catalog.parameters.map(\.name), "\(name)")
            let reparsed = try type.init(spec: Spec(parsing: bare.spec.description))
            #expect(reparsed.spec == bare.spec, "\(name)")
            #expect(!type.catalog.reference.isEmpty && !type.catalog.summary.isEmpty)
        }
        #expect(try OptimizerRegistry.make(Spec(parsing: "adam(betas=0.8;0.9, amsgrad=true)")).spec.description
            == "adam(betas=0.8;0.9, eps=1e-08, weight_decay=0, amsgrad=true)")
    }

    @Test func unknownParameterIsRejected() {
        #expect(specError("adam(beta=0.9)")
            == "adam: unknown parameter 'beta'; allowed: amsgrad, betas, eps, weight_decay")
        #expect(specError("sgd(lr=0.1)")
            == "sgd: unknown parameter 'lr'; allowed: dampening, maximize, momentum, nesterov, weight_decay")
        for type in OptimizerRegistry.all {
            let message = specError("\(type.catalog.name)(bogus=1)")
            #expect(message?.hasPrefix("\(type.catalog.name): unknown parameter 'bogus'") == true, "\(message ?? "nil")")
        }
    }

    @Test func betasOutOfRange() {
        #expect(specError("adam(betas=0.9;1)") == "adam: parameter 'betas' must be in [0, 1), got 1.0")
        #expect(specError("nadam(betas=-0.1;0.999)") == "nadam: parameter 'betas' must be in [0, 1), got -0.1")
        #expect(specError("adamw(betas=0.9)") == "adamw: parameter 'betas' must have 2 values separated by ';', got '0.9'")
        #expect(specError("lion(betas=0.9;nan)") == "lion: parameter 'betas' must be in [0, 1), got nan")
        for name in ["adam", "adamw", "adamax", "nadam", "radam", "lion", "adamw_schedulefree"] {
            #expect(specError("\(name)(betas=0.9;1.5)") != nil, "\(name)")
        }
    }

    @Test func nesterovNeedsMomentumWithoutDampening() {
        #expect(specError("sgd(nesterov=true)")
            == "sgd: nesterov=true requires momentum > 0 and dampening = 0, got momentum=0.0, dampening=0.0")
        #expect(specError("sgd(nesterov=true, momentum=0.9, dampening=0.1)")
            == "sgd: nesterov=true requires momentum > 0 and dampening = 0, got momentum=0.9, dampening=0.1")
        #expect(specError("sgd(nesterov=true, momentum=0.9)") == nil)
    }

    @Test func badValuesAreRejected() {
        #expect(specError("adam(eps=0)") == "adam: parameter 'eps' must be > 0, got 0.0")
        #expect(specError("adam(eps=-1e-8)") == "adam: parameter 'eps' must be > 0, got -1e-08")
        #expect(specError("adagrad(eps=nan)") == "adagrad: parameter 'eps' must be > 0, got nan")
        #expect(specError("sgd(momentum=-0.1)") == "sgd: parameter 'momentum' must be in [0, 1), got -0.1")
        #expect(specError("sgd(weight_decay=-1)") == "sgd: parameter 'weight_decay' must be >= 0, got -1.0")
        #expect(specError("sgd(nesterov=maybe)") == "sgd: parameter 'nesterov' must be true or false, got 'maybe'")
        #expect(specError("rmsprop(alpha=1.5)") == "rmsprop: parameter 'alpha' must be in [0, 1], got 1.5")
        #expect(specError("adadelta(rho=2)") == "adadelta: parameter 'rho' must be in [0, 1], got 2.0")
        #expect(specError("adagrad(lr_decay=-1)") == "adagrad: parameter 'lr_decay' must be >= 0, got -1.0")
        #expect(specError("nadam(momentum_decay=-1)") == "nadam: parameter 'momentum_decay' must be >= 0, got -1.0")
        #expect(specError("sgd_schedulefree(momentum=0)")
            == "sgd_schedulefree: parameter 'momentum' must be in (0, 1), got 0.0")
        #expect(specError("sgd_schedulefree(momentum=1)")
            == "sgd_schedulefree: parameter 'momentum' must be in [0, 1), got 1.0")
        #expect(specError("adamw_schedulefree(warmup_steps=2.5)")
            == "adamw_schedulefree: parameter 'warmup_steps' must be a whole number in [0, 1000000000], got '2.5'")
        #expect(specError("adamw_schedulefree(warmup_steps=-1)")
            == "adamw_schedulefree: parameter 'warmup_steps' must be a whole number in [0, 1000000000], got -1")
        #expect(specError("polyak(max_lr=0)") == "polyak: parameter 'max_lr' must be > 0, got 0.0")
        #expect(specError("polyak(c=-1)") == "polyak: parameter 'c' must be > 0, got -1.0")
        #expect(specError("polyak(eps=0)") == "polyak: parameter 'eps' must be > 0, got 0.0")
        // Every message is one line.
        for text in ["adam(eps=0)", "sgd(nesterov=true)", "lion(betas=1;1)", "adamm", "rmsprop(x=1)"] {
            #expect(specError(text)?.contains("\n") == false)
        }
    }
}
