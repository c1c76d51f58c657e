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
    ]

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
}
