/// Reads a spec's parameters by name, with defaults, ranges and one-line errors.
///
/// Every method and problem reads its spec through this, so that an unknown parameter, a wrong
/// type or an out-of-range value is reported the same way everywhere:
/// `adam: parameter 'eps' must be > 0, got -1`.
public struct Parameters {
    public let spec: Spec
    private var used: Set<String> = []

    public init(_ spec: Spec) { self.spec = spec }

    /// Throws unless every given parameter was read: catches misspellings such as `gama=0.1`.
    public func finish(allowed: [String]? = nil) throws {
        for arg in spec.arguments where !used.contains(arg.key) {
            let known = (allowed ?? used.sorted())
            throw SpecUsageError("\(spec.name): unknown parameter '\(arg.key)'"
                + (known.isEmpty ? "; it takes no parameters" : "; allowed: \(known.sorted().joined(separator: ", "))"))
        }
    }

    private mutating func take(_ key: String) -> SpecValue? {
        used.insert(key)
        return spec[key]
    }

    /// A real number, checked against `range`.
    public mutating func double(_ key: String, default value: Double? = nil, _ range: ValueRange = .any) throws -> Double {
        guard let raw = take(key) else {
            guard let value else { throw SpecUsageError("\(spec.name): parameter '\(key)' is required (\(range.phrase))") }
            return value
        }
        guard case .number(let x, _) = raw else {
            throw SpecUsageError("\(spec.name): parameter '\(key)' must be a number, got '\(raw)'")
        }
        try range.check(x, name: "\(spec.name): parameter '\(key)'")
        return x
    }

    /// An optional real number (absent means nil).
    public mutating func optionalDouble(_ key: String, _ range: ValueRange = .any) throws -> Double? {
        guard spec[key] != nil else { _ = take(key); return nil }
        return try double(key, range)
    }

    /// The largest whole-number parameter anything accepts (a length, a count, a dimension):
    /// larger values are refused at parse time, before any conversion to `Int` or allocation.
    /// A parameter may document a smaller bound of its own.
    public static let maxWholeNumber = 1_000_000_000

    /// A whole number, checked against `range` and against `maxWholeNumber` in magnitude.
    public mutating func int(_ key: String, default value: Int? = nil, _ range: ValueRange = .any) throws -> Int {
        let bounded = range.wholeNumbers
        guard let raw = take(key) else {
            guard let value else { throw SpecUsageError("\(spec.name): parameter '\(key)' is required (a whole number \(bounded.phrase))") }
            return value
        }
        return try whole(raw, raw, key: key, bounded)
    }

    /// `item` read as a whole number in `range` (already bounded), or a one-line error showing `raw`.
    private func whole(_ item: SpecValue, _ raw: SpecValue, key: String, _ range: ValueRange) throws -> Int {
        guard case .number(let x, _) = item, x.isFinite, x == x.rounded() else {
            throw SpecUsageError("\(spec.name): parameter '\(key)' must be a whole number \(range.phrase), got '\(raw)'")
        }
        try range.check(x, name: "\(spec.name): parameter '\(key)'", wholeNumber: true)
        return Int(x)
    }

    /// A boolean: `true`/`false` (also `1`/`0`).
    public mutating func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let raw = take(key) else { return value }
        switch raw.description.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw SpecUsageError("\(spec.name): parameter '\(key)' must be true or false, got '\(raw)'")
        }
    }

    /// One word out of `choices`.
    public mutating func choice(_ key: String, default value: String, _ choices: [String]) throws -> String {
        guard let raw = take(key) else { return value }
        guard case .word(let w) = raw, choices.contains(w) else {
            throw SpecUsageError("\(spec.name): parameter '\(key)' must be one of \(choices.joined(separator: ", ")), got '\(raw)'")
        }
        return w
    }

    /// A list of real numbers (a single number is a one-item list).
    public mutating func doubles(_ key: String, default value: [Double]? = nil, count: Int? = nil, _ range: ValueRange = .any) throws -> [Double] {
        guard let raw = take(key) else {
            guard let value else { throw SpecUsageError("\(spec.name): parameter '\(key)' is required (a list such as 1;2)") }
            return value
        }
        var out: [Double] = []
        for item in raw.items {
            guard case .number(let x, _) = item else {
                throw SpecUsageError("\(spec.name): parameter '\(key)' must be a list of numbers separated by ';', got '\(raw)'")
            }
            try range.check(x, name: "\(spec.name): parameter '\(key)'")
            out.append(x)
        }
        if let count, out.count != count {
            throw SpecUsageError("\(spec.name): parameter '\(key)' must have \(count) values separated by ';', got '\(raw)'")
        }
        return out
    }

    /// A list of whole numbers, each checked against `range` and `maxWholeNumber`.
    public mutating func ints(_ key: String, default value: [Int]? = nil, _ range: ValueRange = .any) throws -> [Int] {
        guard let raw = take(key) else {
            guard let value else { throw SpecUsageError("\(spec.name): parameter '\(key)' is required (a list such as 1;2)") }
            return value
        }
        let bounded = range.wholeNumbers
        return try raw.items.map { try whole($0, raw, key: key, bounded) }
    }

    /// A nested spec, e.g. `then=cosine(T_max=900)`.
    public mutating func spec(_ key: String, default value: Spec? = nil) throws -> Spec {
        guard let raw = take(key) else {
            guard let value else { throw SpecUsageError("\(spec.name): parameter '\(key)' is required (a spec such as cosine(T_max=100))") }
            return value
        }
        guard let s = raw.asSpec else {
            throw SpecUsageError("\(spec.name): parameter '\(key)' must be a spec such as cosine(T_max=100), got '\(raw)'")
        }
        return s
    }

    /// A list of nested specs separated by ';'.
    public mutating func specs(_ key: String) throws -> [Spec] {
        guard let raw = take(key) else {
            throw SpecUsageError("\(spec.name): parameter '\(key)' is required (specs separated by ';')")
        }
        return try raw.items.map { item in
            guard let s = item.asSpec else {
                throw SpecUsageError("\(spec.name): parameter '\(key)' must list specs separated by ';', got '\(item)'")
            }
            return s
        }
    }
}

/// The values a numeric parameter may take, with a phrase for error messages.
public struct ValueRange: Sendable {
    public var lower: Double?
    public var lowerOpen: Bool
    public var upper: Double?
    public var upperOpen: Bool

    public static let any = ValueRange(lower: nil, lowerOpen: false, upper: nil, upperOpen: false)
    public static let positive = ValueRange(lower: 0, lowerOpen: true, upper: nil, upperOpen: false)
    public static let nonNegative = ValueRange(lower: 0, lowerOpen: false, upper: nil, upperOpen: false)
    public static let unit = ValueRange(lower: 0, lowerOpen: false, upper: 1, upperOpen: false)
    /// [0, 1): the range of a moment coefficient such as beta1.
    public static let unitOpenAbove = ValueRange(lower: 0, lowerOpen: false, upper: 1, upperOpen: true)
    /// (0, 1]: the range of a multiplicative decay such as gamma.
    public static let unitOpenBelow = ValueRange(lower: 0, lowerOpen: true, upper: 1, upperOpen: false)
    public static func atLeast(_ x: Double) -> ValueRange { ValueRange(lower: x, lowerOpen: false, upper: nil, upperOpen: false) }
    public static func greaterThan(_ x: Double) -> ValueRange { ValueRange(lower: x, lowerOpen: true, upper: nil, upperOpen: false) }
    public static func closed(_ a: Double, _ b: Double) -> ValueRange { ValueRange(lower: a, lowerOpen: false, upper: b, upperOpen: false) }

    public var phrase: String {
        switch (lower, upper) {
        case (nil, nil): return "a finite number"
        case (let a?, nil): return (lowerOpen ? "> " : ">= ") + short(a)
        case (nil, let b?): return (upperOpen ? "< " : "<= ") + short(b)
        case (let a?, let b?): return "in " + (lowerOpen ? "(" : "[") + short(a) + ", " + short(b) + (upperOpen ? ")" : "]")
        }
    }

    private func short(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : x.description
    }

    /// This range intersected with [−maxWholeNumber, maxWholeNumber]: what a whole-number
    /// parameter may take.
    public var wholeNumbers: ValueRange {
        let m = Double(Parameters.maxWholeNumber)
        var r = self
        if r.upper.map({ $0 > m }) ?? true { r.upper = m; r.upperOpen = false }
        if r.lower.map({ $0 < -m }) ?? true { r.lower = -m; r.lowerOpen = false }
        return r
    }

    public func check(_ x: Double, name: String, wholeNumber: Bool = false) throws {
        var ok = x.isFinite
        if let a = lower { ok = ok && (lowerOpen ? x > a : x >= a) }
        if let b = upper { ok = ok && (upperOpen ? x < b : x <= b) }
        if !ok { throw SpecUsageError("\(name) must be \(wholeNumber ? "a whole number " : "")\(phrase), got \(wholeNumber ? short(x) : x.description)") }
    }
}

/// A well-formed spec that names something unknown or gives a bad value: one line.
public struct SpecUsageError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ message: String) { description = message }
}
