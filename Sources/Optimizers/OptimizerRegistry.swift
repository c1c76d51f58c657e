import Specs

/// Every optimizer, by spec name.
public enum OptimizerRegistry {
    public static let all: [any Optimizer.Type] = [
        SGD.self,
        Adagrad.self,
        RMSprop.self,
        Adadelta.self,
        Adam.self,
        AdamW.self,
        Adamax.self,
        NAdam.self,
        RAdam.self,
        Lion.self,
        SGDScheduleFree.self,
        AdamWScheduleFree.self,
        Polyak.self,
        DAdaptSGD.self,
        DAdaptAdam.self,
        Prodigy.self,
        Mechanic.self,
        RAdamScheduleFree.self,
        DoG.self, LDoG.self, DoWG.self, COCOB.self, SGDHD.self, AdamHD.self,
        SLS.self,
    ]

    /// The spec names, in registry order.
    public static var names: [String] { all.map { $0.catalog.name } }

    /// The type named `name`, if any.
    public static func type(named name: String) -> (any Optimizer.Type)? {
        all.first { $0.catalog.name == name }
    }

    /// Looks up spec.name; unknown name -> SpecUsageError("unknown optimizer 'x'; known: a, b, ...")
    public static func make(_ spec: Spec) throws -> any Optimizer {
        guard let type = type(named: spec.name) else {
            throw SpecUsageError("unknown optimizer '\(spec.name)'; known: \(names.joined(separator: ", "))")
        }
        return try type.init(spec: spec)
    }
}
