import Specs

/// Clips the gradient's global ℓ2 norm to `max_norm`: g ← g · min(1, max_norm / (‖g‖ + 1e-6)),
/// as `torch.nn.utils.clip_grad_norm_` (norm_type=2), including its 1e-6 in the denominator.
public struct ClipNorm: StatelessTransform {
    public static let catalog = CatalogEntry(
        name: "clip_norm",
        summary: "scale g so that ‖g‖₂ ≤ max_norm (torch.nn.utils.clip_grad_norm_)",
        parameters: [ParameterDoc("max_norm", "1", "largest allowed ℓ2 norm (> 0)")],
        reference: "torch.nn.utils.clip_grad_norm_; Pascanu et al. 2013")

    public let maxNorm: Double
    public var spec: Spec { Spec(name: "clip_norm", arguments: [.init(key: "max_norm", value: .number(maxNorm, text: maxNorm.description))]) }

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        maxNorm = try p.double("max_norm", default: 1, .positive)
        try p.finish()
    }

    public func apply(to g: UnsafeMutableBufferPointer<Double>) {
        let norm = euclideanNorm(g)
        let coef = maxNorm / (norm + 1e-6)
        if coef < 1 { for i in g.indices { g[i] *= coef } }
    }
}

/// Clamps each component to [−clip_value, clip_value], as `torch.nn.utils.clip_grad_value_`.
public struct ClipValue: StatelessTransform {
    public static let catalog = CatalogEntry(
        name: "clip_value",
        summary: "clamp every component of g to [−clip_value, clip_value] (torch.nn.utils.clip_grad_value_)",
        parameters: [ParameterDoc("clip_value", "1", "largest allowed magnitude per component (> 0)")],
        reference: "torch.nn.utils.clip_grad_value_")

    public let clipValue: Double
    public var spec: Spec { Spec(name: "clip_value", arguments: [.init(key: "clip_value", value: .number(clipValue, text: clipValue.description))]) }

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        clipValue = try p.double("clip_value", default: 1, .positive)
        try p.finish()
    }

    public func apply(to g: UnsafeMutableBufferPointer<Double>) {
        let c = clipValue
        for i in g.indices { g[i] = min(max(g[i], -c), c) }
    }
}

/// Normalises the gradient to unit ℓ2 norm: g ← g / (‖g‖ + eps) (normalised gradient descent,
/// seed 001). A zero gradient stays zero.
public struct Normalize: StatelessTransform {
    public static let catalog = CatalogEntry(
        name: "normalize",
        summary: "g ← g / (‖g‖₂ + eps): unit-norm steps (normalised gradient descent)",
        parameters: [ParameterDoc("eps", "0", "added to the norm (≥ 0); a zero gradient is left zero")],
        reference: "normalised gradient descent (Nesterov 1984; Hazan, Levy & Shalev-Shwartz 2015)")

    public let eps: Double
    public var spec: Spec { Spec(name: "normalize", arguments: [.init(key: "eps", value: .number(eps, text: eps.description))]) }

    public init(spec: Spec) throws {
        var p = Parameters(spec)
        eps = try p.double("eps", default: 0, .nonNegative)
        try p.finish()
    }

    public func apply(to g: UnsafeMutableBufferPointer<Double>) {
        let norm = euclideanNorm(g)
        let denominator = norm + eps
        guard denominator > 0 else { return }
        for i in g.indices { g[i] /= denominator }
    }
}

/// Every transform by spec name, and the parser of a chain: `clip_norm(max_norm=1);normalize`
/// (items separated by `;` — or a `chain(transforms=…)` spec — applied left to right).
public enum TransformRegistry {
    public static let all: [any GradientTransform.Type] = [
        ClipNorm.self,
        ClipValue.self,
        Normalize.self,
    ]

    public static func make(_ spec: Spec) throws -> any GradientTransform {
        guard let type = all.first(where: { $0.catalog.name == spec.name }) else {
            throw SpecUsageError("unknown transform '\(spec.name)'; known: \(all.map { $0.catalog.name }.joined(separator: ", ")), none")
        }
        return try type.init(spec: spec)
    }

    /// A chain from specs; `none` (or an empty list) is the identity.
    public static func chain(_ specs: [Spec]) throws -> TransformChain {
        TransformChain(try specs.filter { $0.name != "none" }.map(make))
    }
}
