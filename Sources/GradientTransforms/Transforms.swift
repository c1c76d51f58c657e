import Specs

/// Clips the gradient's global ℓ2 norm to `max_norm`: g ← g · min(1, max_norm / (‖g‖ + 1e-6)),
/// as `torch.nn.utils.clip_grad_norm_` (norm_type=2), including its 1e-6 in the denominator.
public struct ClipNorm: StatelessTransform {
    public static let catalog = CatalogEntry(
        name: "clip_norm",
        summary: "scale g so that ‖g‖₂ ≤ max_norm (torch.nn.utils.clip_grad_norm_)",
        parameters: parameters.docs,
        reference: "torch.nn.utils.clip_grad_norm_; Pascanu et al. 2013")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<ClipNorm>([
        .describedNumber("max_norm", \.maxNorm, default: "1", .positive, "largest allowed ℓ2 norm (> 0)"),
    ])

    public private(set) var maxNorm = 0.0
    public var spec: Spec { Self.parameters.spec(Self.catalog.name, self) }

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
    }

    public func apply(to g: UnsafeMutableBufferPointer<Double>) { clip(g) }
    /// Float32: the norm and the coefficient in float64, the coefficient rounded to Float once.
    public func apply(to g: UnsafeMutableBufferPointer<Float>) { clip(g) }

    @inline(__always) func clip<S: BinaryFloatingPoint>(_ g: UnsafeMutableBufferPointer<S>) {
        let norm = euclideanNorm(g)
        let coef = maxNorm / (norm + 1e-6)
        if coef < 1 { let c = S(coef); for i in g.indices { g[i] *= c } }
    }
}

/// Clamps each component to [−clip_value, clip_value], as `torch.nn.utils.clip_grad_value_`.
public struct ClipValue: StatelessTransform {
    public static let catalog = CatalogEntry(
        name: "clip_value",
        summary: "clamp every component of g to [−clip_value, clip_value] (torch.nn.utils.clip_grad_value_)",
        parameters: parameters.docs,
        reference: "torch.nn.utils.clip_grad_value_")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<ClipValue>([
        .describedNumber("clip_value", \.clipValue, default: "1", .positive, "largest allowed magnitude per component (> 0)"),
    ])

    public private(set) var clipValue = 0.0
    public var spec: Spec { Self.parameters.spec(Self.catalog.name, self) }

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
    }

    public func apply(to g: UnsafeMutableBufferPointer<Double>) { clamp(g) }
    /// Float32: clip_value rounded to Float.
    public func apply(to g: UnsafeMutableBufferPointer<Float>) { clamp(g) }

    @inline(__always) func clamp<S: BinaryFloatingPoint>(_ g: UnsafeMutableBufferPointer<S>) {
        let c = S(clipValue)
        for i in g.indices { g[i] = min(max(g[i], -c), c) }
    }
}

/// Normalises the gradient to unit ℓ2 norm: g ← g / (‖g‖ + eps) (normalised gradient descent,
/// seed 001). A zero gradient stays zero.
public struct Normalize: StatelessTransform {
    public static let catalog = CatalogEntry(
        name: "normalize",
        summary: "g ← g / (‖g‖₂ + eps): unit-norm steps (normalised gradient descent)",
        parameters: parameters.docs,
        reference: "normalised gradient descent (Nesterov 1984; Hazan, Levy & Shalev-Shwartz 2015)")

    /// The parameters, declared once: parsing, the catalog and `spec` come from here.
    static let parameters = ParameterTable<Normalize>([
        .describedNumber("eps", \.eps, default: "0", .nonNegative, "added to the norm (≥ 0); a zero gradient is left zero"),
    ])

    public private(set) var eps = 0.0
    public var spec: Spec { Self.parameters.spec(Self.catalog.name, self) }

    public init(spec: Spec) throws {
        self = try Self.parameters.read(spec, into: self)
    }

    public func apply(to g: UnsafeMutableBufferPointer<Double>) { normalize(g) }
    /// Float32: the norm in float64, the denominator rounded to Float once.
    public func apply(to g: UnsafeMutableBufferPointer<Float>) { normalize(g) }

    @inline(__always) func normalize<S: BinaryFloatingPoint>(_ g: UnsafeMutableBufferPointer<S>) {
        let norm = euclideanNorm(g)
        let d = S(norm + eps)
        guard d > 0 else { return }
        for i in g.indices { g[i] /= d }
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
