// Deterministic, locale-free number and text formatting for SVG output.
//
// Nothing here uses `String(format:)`, `NumberFormatter` or the locale: coordinates are rounded to
// hundredths with integer arithmetic, and tick labels are built from exact decimals
// (`significand × 10^exponent`), so the same input always gives the same bytes on every platform.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exact decimal `significand × 10^exponent`, used for tick labels so that `0.1`, `0.2`, `0.3`
/// print as written rather than as the nearest binary double.
public struct Decimal10: Equatable, Sendable, CustomStringConvertible {
    public var significand: Int
    public var exponent: Int

    public init(_ significand: Int, e exponent: Int) {
        self.significand = significand
        self.exponent = exponent
    }

    /// The same number with trailing zeros of the significand moved into the exponent (0 stays `0e0`).
    public var normalized: Decimal10 {
        if significand == 0 { return Decimal10(0, e: 0) }
        var n = significand, e = exponent
        while n % 10 == 0 { n /= 10; e += 1 }
        return Decimal10(n, e: e)
    }

    /// The nearest double (exact for the decimals a tick locator produces, up to double rounding).
    public var doubleValue: Double {
        if exponent >= 0 { return Double(significand) * pow10(exponent) }
        return Double(significand) / pow10(-exponent)
    }

    /// Positional notation: `0.05`, `2.5`, `1200`, `-3`.
    public var plain: String {
        let d = normalized
        if d.significand == 0 { return "0" }
        let negative = d.significand < 0
        var digits = String(d.significand.magnitude)
        if d.exponent >= 0 {
            digits += String(repeating: "0", count: d.exponent)
        } else {
            let decimals = -d.exponent
            if digits.count <= decimals {
                digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return negative ? "-" + digits : digits
    }

    /// Scientific notation without a plus sign or leading zeros: `1e-3`, `2.5e4`, `-1e300`.
    public var scientific: String {
        let d = normalized
        if d.significand == 0 { return "0" }
        let negative = d.significand < 0
        var digits = String(d.significand.magnitude)
        let power = d.exponent + digits.count - 1
        if digits.count > 1 { digits.insert(".", at: digits.index(after: digits.startIndex)) }
        return (negative ? "-" : "") + digits + "e" + String(power)
    }

    /// Order of magnitude of the leading digit (`floor(log10(|x|))`); 0 for zero.
    public var magnitude: Int {
        let d = normalized
        if d.significand == 0 { return 0 }
        return d.exponent + String(d.significand.magnitude).count - 1
    }

    /// Plain for magnitudes in `plainRange` (default 0.01 ..< 10 000), scientific otherwise.
    public func compact(plainMagnitudes plainRange: ClosedRange<Int> = -2...3) -> String {
        significand == 0 || plainRange.contains(magnitude) ? plain : scientific
    }

    public var description: String { compact() }

    /// `value` rounded to `digits` significant digits (nil for NaN or infinity).
    public static func rounding(_ value: Double, significantDigits digits: Int) -> Decimal10? {
        guard value.isFinite else { return nil }
        if value == 0 { return Decimal10(0, e: 0) }
        let digits = max(1, min(digits, 15))
        var e = Int((abs(value)).log10Floor) - digits + 1
        var n = (scaled(value, byPowerOfTen: -e)).rounded()
        if abs(n) >= pow10(digits) { e += 1; n = (scaled(value, byPowerOfTen: -e)).rounded() }
        return Decimal10(Int(n), e: e).normalized
    }

    /// `value` rounded to `decimals` places after the point (nil for NaN, infinity or overflow).
    public static func rounding(_ value: Double, decimals: Int) -> Decimal10? {
        guard value.isFinite else { return nil }
        let n = scaled(value, byPowerOfTen: decimals).rounded()
        guard abs(n) < 9e15 else { return nil }
        return Decimal10(Int(n), e: -decimals).normalized
    }
}

/// 10^n as a double; exact for 0 ≤ n ≤ 22, correctly rounded for the rest of the finite range.
func pow10(_ n: Int) -> Double {
    if n < 0 { return 1 / pow10(-n) }
    if n > 308 { return .infinity }
    var result = 1.0, base = 10.0, k = n
    // Exact powers up to 1e22; beyond that use repeated squaring of an exact power (tiny error).
    if n <= 22 {
        for _ in 0..<n { result *= 10 }
        return result
    }
    while k > 0 {
        if k & 1 == 1 { result *= base }
        base *= base
        k >>= 1
    }
    return result
}

private func scaled(_ x: Double, byPowerOfTen n: Int) -> Double {
    // Multiply or divide by an exact power of ten when possible, for correct rounding.
    if n >= 0 { return n <= 22 ? x * pow10(n) : x * pow10(22) * pow10(n - 22) }
    return -n <= 22 ? x / pow10(-n) : x / pow10(22) / pow10(-n - 22)
}

extension Double {
    /// floor(log10(self)) for positive finite values, robust to log10 rounding near powers of ten.
    var log10Floor: Double {
        var k = (self.log10Value).rounded(.down)
        // log10 can be off by one ulp at exact powers of ten; correct with a comparison.
        if k + 1 <= 308, k + 1 >= -323, pow10(Int(k + 1)) <= self { k += 1 }
        if k >= -307, k <= 308, pow10(Int(k)) > self { k -= 1 }
        return k
    }

    var log10Value: Double { log10(self) }
}


/// Formats an SVG coordinate or length: at most two decimals, no trailing zeros, never `-0`,
/// never `nan`/`inf` (non-finite input prints as `0`; callers must not pass it). Magnitudes are
/// clamped to ±1e6 so stray values stay printable.
func fmt(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let clamped = Swift.min(Swift.max(x, -1e6), 1e6)
    let hundredths = Int((clamped * 100).rounded())
    if hundredths == 0 { return "0" }
    return Decimal10(hundredths, e: -2).plain
}

/// Escapes text for XML character data and attribute values, and drops control characters that
/// XML 1.0 forbids.
func xmlEscape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for scalar in s.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\t", "\n", "\r": out += " "
        default:
            if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// A rough width of `text` in a sans-serif font at `fontSize` px (Helvetica/Arial-like metrics),
/// used for layout: margins, legend boxes, label collision checks. Deliberately a little generous.
/// Bold runs about 10–13 % wider in DejaVu Sans (measured with rsvg-convert); `bold` adds 14 %.
func textWidth(_ text: String, fontSize: Double, bold: Bool = false) -> Double {
    var em = 0.0
    for ch in text.unicodeScalars {
        switch ch {
        case "i", "j", "l", ".", ",", ":", ";", "'", "|", "!", "I", "(", ")", "[", "]", "f", "t", "r", " ":
            em += 0.32
        case "m", "w", "M", "W", "@", "%":
            em += 0.88
        case "A"..."Z", "&", "=", "+", "<", ">", "~", "×", "—":
            em += 0.68
        case "0"..."9", "a"..."z", "-", "_", "?", "$", "#", "*", "/", "^":
            em += 0.57
        default:
            em += ch.value < 0x80 ? 0.57 : 0.75
        }
    }
    // 1.08: DejaVu Sans (librsvg's sans-serif on Linux) runs wider than Helvetica/Arial.
    return em * fontSize * 1.08 * (bold ? 1.14 : 1)
}
