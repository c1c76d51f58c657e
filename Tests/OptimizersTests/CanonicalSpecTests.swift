import Testing
import Optimizers
import Specs

/// Every registered optimizer's canonical spec, pinned as text: run ids hash it, so a change to
/// how a method reads or writes its parameters must not change a single character. Recorded
/// from the hand-written parsers and spec writers before the optimizers moved to
/// `ParameterTable`: each method at its defaults, then with one value off its default.
@Suite struct CanonicalSpecTests {
    static let pinned: [(given: String, canonical: String)] = [
        ("sgd",
         "sgd(momentum=0, dampening=0, nesterov=false, weight_decay=0, maximize=false)"),
        ("sgd(momentum=0.9)",
         "sgd(momentum=0.9, dampening=0, nesterov=false, weight_decay=0, maximize=false)"),
        ("adagrad",
         "adagrad(lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)"),
        ("adagrad(lr_decay=0.01)",
         "adagrad(lr_decay=0.01, weight_decay=0, initial_accumulator_value=0, eps=1e-10)"),
        ("rmsprop",
         "rmsprop(alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=false)"),
        ("rmsprop(centered=true)",
         "rmsprop(alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=true)"),
        ("adadelta",
         "adadelta(rho=0.9, eps=1e-06, weight_decay=0)"),
        ("adadelta(rho=0.95)",
         "adadelta(rho=0.95, eps=1e-06, weight_decay=0)"),
        ("adam",
         "adam(betas=0.9;0.999, eps=1e-08, weight_decay=0, amsgrad=false)"),
        ("adam(amsgrad=true)",
         "adam(betas=0.9;0.999, eps=1e-08, weight_decay=0, amsgrad=true)"),
        ("adamw",
         "adamw(betas=0.9;0.999, eps=1e-08, weight_decay=0.01, amsgrad=false)"),
        ("adamw(weight_decay=0.1)",
         "adamw(betas=0.9;0.999, eps=1e-08, weight_decay=0.1, amsgrad=false)"),
        ("adamax",
         "adamax(betas=0.9;0.999, eps=1e-08, weight_decay=0)"),
        ("adamax(betas=0.8;0.99)",
         "adamax(betas=0.8;0.99, eps=1e-08, weight_decay=0)"),
        ("nadam",
         "nadam(betas=0.9;0.999, eps=1e-08, weight_decay=0, momentum_decay=0.004, decoupled_weight_decay=false)"),
        ("nadam(momentum_decay=0.001)",
         "nadam(betas=0.9;0.999, eps=1e-08, weight_decay=0, momentum_decay=0.001, decoupled_weight_decay=false)"),
        ("radam",
         "radam(betas=0.9;0.999, eps=1e-08, weight_decay=0, decoupled_weight_decay=false)"),
        ("radam(decoupled_weight_decay=true)",
         "radam(betas=0.9;0.999, eps=1e-08, weight_decay=0, decoupled_weight_decay=true)"),
        ("lion",
         "lion(betas=0.9;0.99, weight_decay=0)"),
        ("lion(weight_decay=0.5)",
         "lion(betas=0.9;0.99, weight_decay=0.5)"),
        ("sgd_schedulefree",
         "sgd_schedulefree(momentum=0.9, weight_decay=0, r=0, weight_lr_power=2, warmup_steps=0)"),
        ("sgd_schedulefree(warmup_steps=100)",
         "sgd_schedulefree(momentum=0.9, weight_decay=0, r=0, weight_lr_power=2, warmup_steps=100)"),
        ("adamw_schedulefree",
         "adamw_schedulefree(betas=0.9;0.999, eps=1e-08, weight_decay=0, r=0, weight_lr_power=2, warmup_steps=0)"),
        ("adamw_schedulefree(warmup_steps=5)",
         "adamw_schedulefree(betas=0.9;0.999, eps=1e-08, weight_decay=0, r=0, weight_lr_power=2, warmup_steps=5)"),
        ("polyak",
         "polyak(max_lr=1, c=1, eps=1e-12)"),
        ("polyak(c=0.5)",
         "polyak(max_lr=1, c=0.5, eps=1e-12)"),
        ("dadapt_sgd",
         "dadapt_sgd(momentum=0, weight_decay=0, d0=1e-06, growth_rate=inf)"),
        ("dadapt_sgd(growth_rate=1.02)",
         "dadapt_sgd(momentum=0, weight_decay=0, d0=1e-06, growth_rate=1.02)"),
        ("dadapt_adam",
         "dadapt_adam(betas=0.9;0.999, eps=1e-08, weight_decay=0, decouple=false, use_bias_correction=false, d0=1e-06, growth_rate=inf)"),
        ("dadapt_adam(growth_rate=2)",
         "dadapt_adam(betas=0.9;0.999, eps=1e-08, weight_decay=0, decouple=false, use_bias_correction=false, d0=1e-06, growth_rate=2)"),
        ("prodigy",
         "prodigy(betas=0.9;0.999, beta3=none, eps=1e-08, weight_decay=0, decouple=true, use_bias_correction=false, safeguard_warmup=false, d0=1e-06, d_coef=1, growth_rate=inf, slice_p=1)"),
        ("prodigy(beta3=0.99)",
         "prodigy(betas=0.9;0.999, beta3=0.99, eps=1e-08, weight_decay=0, decouple=true, use_bias_correction=false, safeguard_warmup=false, d0=1e-06, d_coef=1, growth_rate=inf, slice_p=1)"),
        ("prodigy(growth_rate=Infinity)",
         "prodigy(betas=0.9;0.999, beta3=none, eps=1e-08, weight_decay=0, decouple=true, use_bias_correction=false, safeguard_warmup=false, d0=1e-06, d_coef=1, growth_rate=inf, slice_p=1)"),
        ("mechanic",
         "mechanic(base=sgd(momentum=0, dampening=0, nesterov=false, weight_decay=0, maximize=false), s_decay=0.01, betas=0.9;0.99;0.999;0.9999;0.99999;0.999999, s_init=1e-08, eps=1e-08, store_delta=false)"),
        ("mechanic(base=adam(betas=0.9;0.99))",
         "mechanic(base=adam(betas=0.9;0.99, eps=1e-08, weight_decay=0, amsgrad=false), s_decay=0.01, betas=0.9;0.99;0.999;0.9999;0.99999;0.999999, s_init=1e-08, eps=1e-08, store_delta=false)"),
        ("mechanic(betas=0.99)",
         "mechanic(base=sgd(momentum=0, dampening=0, nesterov=false, weight_decay=0, maximize=false), s_decay=0.01, betas=0.99, s_init=1e-08, eps=1e-08, store_delta=false)"),
        ("radam_schedulefree",
         "radam_schedulefree(betas=0.9;0.999, eps=1e-08, weight_decay=0, r=0, weight_lr_power=2, silent_sgd_phase=true)"),
        ("radam_schedulefree(silent_sgd_phase=false)",
         "radam_schedulefree(betas=0.9;0.999, eps=1e-08, weight_decay=0, r=0, weight_lr_power=2, silent_sgd_phase=false)"),
        ("dog",
         "dog(reps_rel=1e-06, eps=1e-08, weight_decay=0, init_eta=none)"),
        ("dog(init_eta=0.001)",
         "dog(reps_rel=1e-06, eps=1e-08, weight_decay=0, init_eta=0.001)"),
        ("ldog",
         "ldog(reps_rel=1e-06, eps=1e-08, weight_decay=0, init_eta=none, block_size=1)"),
        ("ldog(block_size=4)",
         "ldog(reps_rel=1e-06, eps=1e-08, weight_decay=0, init_eta=none, block_size=4)"),
        ("ldog(init_eta=none)",
         "ldog(reps_rel=1e-06, eps=1e-08, weight_decay=0, init_eta=none, block_size=1)"),
        ("dowg",
         "dowg(init_estim_sq_dist=none, eps=0.0001, weight_decay=0)"),
        ("dowg(init_estim_sq_dist=0.25)",
         "dowg(init_estim_sq_dist=0.25, eps=0.0001, weight_decay=0)"),
        ("cocob",
         "cocob(alpha=100, eps=1e-08, weight_decay=0)"),
        ("cocob(alpha=50)",
         "cocob(alpha=50, eps=1e-08, weight_decay=0)"),
        ("sgd_hd",
         "sgd_hd(hypergrad_lr=1e-06, momentum=0, dampening=0, nesterov=false, weight_decay=0)"),
        ("sgd_hd(hypergrad_lr=1e-7)",
         "sgd_hd(hypergrad_lr=1e-07, momentum=0, dampening=0, nesterov=false, weight_decay=0)"),
        ("adam_hd",
         "adam_hd(hypergrad_lr=1e-08, betas=0.9;0.999, eps=1e-08, weight_decay=0)"),
        ("adam_hd(hypergrad_lr=1e-9)",
         "adam_hd(hypergrad_lr=1e-09, betas=0.9;0.999, eps=1e-08, weight_decay=0)"),
        ("sls",
         "sls(n_batches_per_epoch=500, init_step_size=1, c=0.1, beta_b=0.9, gamma=2, beta_f=2, reset_option=1, eta_max=10, bound_step_size=true, line_search_fn=armijo)"),
        ("sls(line_search_fn=goldstein)",
         "sls(n_batches_per_epoch=500, init_step_size=1, c=0.1, beta_b=0.9, gamma=2, beta_f=2, reset_option=1, eta_max=10, bound_step_size=true, line_search_fn=goldstein)")
    ]

    @Test func everyRegisteredOptimizerIsPinned() {
        let pinnedNames = Set(Self.pinned.map { $0.given.prefix { $0 != "(" } }.map(String.init))
        #expect(pinnedNames == Set(OptimizerRegistry.names))
        for name in OptimizerRegistry.names {
            #expect(Self.pinned.contains { $0.given == name }, "\(name) at its defaults")
            #expect(Self.pinned.contains { $0.given.hasPrefix(name + "(") }, "\(name) off its defaults")
        }
    }

    @Test(arguments: pinned.map(\.given))
    func theCanonicalSpecIsUnchanged(_ given: String) throws {
        let canonical = try #require(Self.pinned.first { $0.given == given }).canonical
        let optimizer = try OptimizerRegistry.make(Spec(parsing: given))
        #expect(optimizer.spec.description == canonical)
        // The canonical text reads back to the same optimizer.
        #expect(try OptimizerRegistry.make(Spec(parsing: canonical)).spec.description == canonical)
    }
}
