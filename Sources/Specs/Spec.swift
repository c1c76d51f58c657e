/// A method or problem named with its parameters: `adam(betas=0.9;0.999, eps=1e-8)`.
///
/// The syntax, shared by the command line and sweep files:
///
///     spec  := name [ "(" [ key "=" value { "," key "=" value } ] ")" ]
///     value := item { ";" item }          (a list when it has more than one item)
///     item  := spec | number | word       (a word may be an expression such as `budget/10`)
///
/// `;` separates list items so that a spec needs no quoting inside YAML flow lists and reads
/// the same in a shell (where it must be quoted anyway for the parentheses).
public struct Spec: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var arguments: [Argument]

    public struct Argument: Hashable, Sendable {
        public var key: String
        public var value: SpecValue
        /// Column (0-based) of the key in the text it was parsed from, for error messages.
        public var column: Int

        public init(key: String, value: SpecValue, column: Int = 0) {
            self.key = key
            self.value = value
            self.column = column
        }

        public static func == (a: Argument, b: Argument) -> Bool { a.key == b.key && a.value == b.value }
        public func hash(into h: inout Hasher) { h.combine(key); h.combine(value) }
    }

    public init(name: String, arguments: [Argument] = []) {
        self.name = name
        self.arguments = arguments
    }

    /// The value given for `key`, if any.
    public subscript(key: String) -> SpecValue? {
        arguments.first(where: { $0.key == key })?.value
    }

    /// The canonical text: `name(k=v, ...)`, or just `name` without arguments.
    public var description: String {
        arguments.isEmpty
            ? name
            : name + "(" + arguments.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
    }

    /// Parses `text`, throwing a `SpecError` that points at the offending column.
    public init(parsing text: String) throws {
        var parser = SpecParser(text: text)
        self = try parser.parseTop()
    }
}

/// A parameter value: a number, a word, a nested spec, or a list of those.
public indirect enum SpecValue: Hashable, Sendable, CustomStringConvertible {
    case number(Double, text: String)
    case word(String)
    case spec(Spec)
    case list([SpecValue])

    public var description: String {
        switch self {
        case .number(_, let text): return text
        case .word(let w): return w
        case .spec(let s): return s.description
        case .list(let items): return items.map(\.description).joined(separator: ";")
        }
    }

    /// The items of a list, or the value itself as a one-item list.
    public var items: [SpecValue] {
        if case .list(let items) = self { return items }
        return [self]
    }

    /// The value read as a nested spec (a bare word is a spec without arguments).
    public var asSpec: Spec? {
        switch self {
        case .spec(let s): return s
        case .word(let w): return Spec(name: w)
        default: return nil
        }
    }
}

/// A malformed spec, with the column (0-based) where it goes wrong.
public struct SpecError: Error, CustomStringConvertible, Equatable {
    public var text: String
    public var column: Int
    public var message: String

    public init(text: String, column: Int, message: String) {
        self.text = text
        self.column = column
        self.message = message
    }

    /// One line naming the place, then the text with a caret under it.
    public var description: String {
        "malformed spec '\(text)' at column \(column + 1): \(message)\n  \(text)\n  "
            + String(repeating: " ", count: max(0, column)) + "^"
    }
}

struct SpecParser {
    let text: String
    let chars: [Character]
    var pos = 0

    init(text: String) {
        self.text = text
        self.chars = Array(text)
    }

    mutating func parseTop() throws -> Spec {
        skipSpace()
        let spec = try parseSpec()
        skipSpace()
        if pos < chars.count {
            throw fail("unexpected '\(chars[pos])' after the spec")
        }
        return spec
    }

    func fail(_ message: String, at column: Int? = nil) -> SpecError {
        SpecError(text: text, column: column ?? pos, message: message)
    }

    mutating func skipSpace() {
        while pos < chars.count, chars[pos].isWhitespace { pos += 1 }
    }

    static func isNameChar(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "-"
    }

    mutating func parseName() throws -> String {
        let start = pos
        while pos < chars.count, Self.isNameChar(chars[pos]) { pos += 1 }
        if start == pos {
            throw fail(pos < chars.count ? "expected a name, found '\(chars[pos])'" : "expected a name")
        }
        guard chars[start].isLetter || chars[start] == "_" else {
            throw fail("a name starts with a letter", at: start)
        }
        return String(chars[start..<pos])
    }

    mutating func parseSpec() throws -> Spec {
        let name = try parseName()
        skipSpace()
        guard pos < chars.count, chars[pos] == "(" else { return Spec(name: name) }
        pos += 1
        skipSpace()
        var args: [Spec.Argument] = []
        if pos < chars.count, chars[pos] == ")" {
            pos += 1
            return Spec(name: name, arguments: args)
        }
        while true {
            skipSpace()
            let keyColumn = pos
            let key = try parseName()
            if args.contains(where: { $0.key == key }) {
                throw fail("parameter '\(key)' is given twice", at: keyColumn)
            }
            skipSpace()
            guard pos < chars.count, chars[pos] == "=" else {
                throw fail("expected '=' after '\(key)'")
            }
            pos += 1
            skipSpace()
            let value = try parseValue()
            args.append(Spec.Argument(key: key, value: value, column: keyColumn))
            skipSpace()
            guard pos < chars.count else { throw fail("missing ')' to close '\(name)('") }
            if chars[pos] == "," { pos += 1; continue }
            if chars[pos] == ")" { pos += 1; break }
            throw fail("expected ',' or ')', found '\(chars[pos])'")
        }
        return Spec(name: name, arguments: args)
    }

    mutating func parseValue() throws -> SpecValue {
        var items = [try parseItem()]
        skipSpace()
        while pos < chars.count, chars[pos] == ";" {
            pos += 1
            skipSpace()
            items.append(try parseItem())
            skipSpace()
        }
        return items.count == 1 ? items[0] : .list(items)
    }

    mutating func parseItem() throws -> SpecValue {
        let start = pos
        while pos < chars.count, !"(),;=".contains(chars[pos]), !chars[pos].isWhitespace { pos += 1 }
        if start == pos {
            throw fail(pos < chars.count ? "expected a value, found '\(chars[pos])'" : "expected a value")
        }
        let token = String(chars[start..<pos])
        skipSpace()
        if pos < chars.count, chars[pos] == "(" {
            pos = start
            return .spec(try parseSpec())
        }
        if let number = Double(token), number.isFinite || token.lowercased().contains("inf") {
            return .number(number, text: token)
        }
        if let number = Double(token), number.isInfinite {
            throw fail("the number '\(token)' is out of range (a double holds magnitudes up to 1.7976931348623157e308)", at: start)
        }
        if token.lowercased() == "nan" { return .number(.nan, text: token) }
        return .word(token)
    }
}
