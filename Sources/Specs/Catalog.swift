/// What `lrbench list` prints for one problem, optimizer, schedule or transform.
public struct CatalogEntry: Sendable {
    public var name: String
    public var summary: String
    public var parameters: [ParameterDoc]
    /// The reference the definition follows (a paper, or the PyTorch class).
    public var reference: String

    public init(name: String, summary: String, parameters: [ParameterDoc] = [], reference: String = "") {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.reference = reference
    }

    /// `name(p=default, ...)`: the spec with every default written out.
    public var signature: String {
        parameters.isEmpty ? name : name + "(" + parameters.map { "\($0.name)=\($0.defaultValue)" }.joined(separator: ", ") + ")"
    }
}

public struct ParameterDoc: Sendable {
    public var name: String
    public var defaultValue: String
    public var summary: String

    public init(_ name: String, _ defaultValue: String, _ summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
    }
}
