// Numbers for reading: 3 significant digits, ∞ for a censored value, "—" for none. Built on Plots'
// exact decimals, so the text never depends on the locale or the platform.

import Foundation
import Plots

enum Fmt {
    static let none = "—"

    /// 3 significant digits: `0.0123`, `1.5e-7`, `250`, `1.23e5`.
    static func sig(_ x: Double, _ digits: Int = 3) -> String {
        if x.isNaN { return none }
        if x.isInfinite { return x > 0 ? "∞" : "−∞" }
        guard let d = Decimal10.rounding(x, significantDigits: digits) else { return none }
        return d.compact(plainMagnitudes: -3...4)
    }

    /// Steps: a whole number (medians and quartiles are rounded), ∞ when censored.
    static func steps(_ x: Double) -> String {
        if x.isNaN { return none }
        if x.isInfinite { return "∞" }
        return String(Int(x.rounded()))
    }

    /// A ratio with two decimals below 10 (`1.00`, `0.87`), else 3 significant digits.
    static func ratio(_ x: Double) -> String {
        if x.isNaN { return none }
        if x.isInfinite { return "∞" }
        if x >= 9.995 || x < 0.005 { return sig(x) }
        return fixed(x, 2)
    }

    /// x with exactly `decimals` digits after the point.
    static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard let d = Decimal10.rounding(x, decimals: decimals) else { return sig(x) }
        var text = d.plain
        if decimals > 0 {
            if !text.contains(".") { text += "." }
            let have = text.count - 1 - text.distance(from: text.startIndex, to: text.firstIndex(of: ".")!)
            text += String(repeating: "0", count: max(0, decimals - have))
        }
        return text
    }

    /// A duration per step with a unit: `715 ns`, `1.62 µs`, `3.1 ms`.
    static func perStep(_ s: Double) -> String {
        if !s.isFinite || s <= 0 { return none }
        if s < 1e-6 { return sig(s * 1e9) + " ns" }
        if s < 1e-3 { return sig(s * 1e6) + " µs" }
        if s < 1 { return sig(s * 1e3) + " ms" }
        return sig(s) + " s"
    }

    /// A wall-clock total: `42 s`, `3 min 05 s`, `1 h 02 min`.
    static func duration(_ s: Double) -> String {
        if !s.isFinite || s < 0 { return "unknown" }
        let t = Int(s.rounded())
        if t < 60 { return "\(t) s" }
        if t < 3600 { return "\(t / 60) min \(pad2(t % 60)) s" }
        return "\(t / 3600) h \(pad2(t / 60 % 60)) min"
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func percent(_ x: Double) -> String {
        if x.isNaN { return none }
        return String(Int((x * 100).rounded())) + "%"
    }

    /// `1.52 (2 ∞)`: a geometric mean with its failures.
    static func geo(_ g: GeometricMean, ratio: Bool = true) -> String {
        let v = g.count > 0 ? (ratio ? Fmt.ratio(g.value) : sig(g.value)) : none
        return g.failures > 0 ? "\(v) (\(g.failures) ∞)" : v
    }

    /// Text safe inside a Markdown table cell, as code.
    static func code(_ s: String) -> String { "`" + s.replacingOccurrences(of: "`", with: "'") + "`" }

    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    /// A file-name-safe slug: `quadratic-dim-50-cond-1000`.
    static func slug(_ s: String, max: Int = 48) -> String {
        var out = ""
        var dash = false
        for ch in s.lowercased().unicodeScalars {
            if ("a"..."z").contains(ch) || ("0"..."9").contains(ch) {
                out.unicodeScalars.append(ch); dash = false
            } else if ch == "." {
                out += "p"; dash = false
            } else if !dash && !out.isEmpty {
                out += "-"; dash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(max))
    }
}

/// A Markdown table: header, alignment, rows.
struct Table {
    enum Align { case left, right, center }
    var header: [String]
    var align: [Align]
    var rows: [[String]] = []

    init(_ header: [String], _ align: [Align]? = nil) {
        self.header = header
        self.align = align ?? header.map { _ in .left }
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    var markdown: String {
        var out = "| " + header.map(Fmt.cell).joined(separator: " | ") + " |\n"
        out += "|" + align.map { a -> String in
            switch a { case .left: return ":---"; case .right: return "---:"; case .center: return ":---:" }
        }.joined(separator: "|") + "|\n"
        for r in rows { out += "| " + r.map(Fmt.cell).joined(separator: " | ") + " |\n" }
        return out
    }
}
