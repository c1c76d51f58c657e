// A tiny SVG writer: elements are appended as text in the order they are drawn. Every number
// goes through `fmt` and every piece of text through `xmlEscape`.

/// A point in pixel coordinates (y grows downwards, as in SVG).
public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle in pixel coordinates.
public struct Rect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public func contains(_ p: Point) -> Bool { p.x >= x && p.x <= maxX && p.y >= y && p.y <= maxY }
    public func insetBy(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
    public func intersects(_ r: Rect) -> Bool { x < r.maxX && r.x < maxX && y < r.maxY && r.y < maxY }
}

/// Font sizes and colours shared by the charts.
enum Style {
    static let tickFont = 12.0
    static let axisTitleFont = 13.0
    static let titleFont = 16.0
    static let legendFont = 12.0
    static let noteFont = 12.0
    static let textColor = "#222222"
    static let axisColor = "#444444"
    static let gridColor = "#E3E3E3"
    static let noteColor = "#555555"
    static let bandOpacity = "0.18"
}

struct SVGWriter {
    private(set) var text = ""
    let width: Double
    let height: Double

    init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" "
        text += "viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        if !title.isEmpty { text += "<title>\(xmlEscape(title))</title>\n" }
        text += "<rect x=\"0\" y=\"0\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" fill=\"#FFFFFF\"/>\n"
    }

    mutating func raw(_ s: String) { text += s }

    mutating func line(_ a: Point, _ b: Point, stroke: String, width: Double = 1, extra: String = "") {
        text += "<line x1=\"\(fmt(a.x))\" y1=\"\(fmt(a.y))\" x2=\"\(fmt(b.x))\" y2=\"\(fmt(b.y))\" "
        text += "stroke=\"\(stroke)\" stroke-width=\"\(fmt(width))\"\(extra)/>\n"
    }

    mutating func rect(_ r: Rect, fill: String, stroke: String? = nil, extra: String = "") {
        text += "<rect x=\"\(fmt(r.x))\" y=\"\(fmt(r.y))\" width=\"\(fmt(Swift.max(0, r.width)))\" height=\"\(fmt(Swift.max(0, r.height)))\" fill=\"\(fill)\""
        if let stroke { text += " stroke=\"\(stroke)\"" }
        text += "\(extra)/>\n"
    }

    enum Anchor: String { case start, middle, end }

    mutating func textElement(_ s: String, at p: Point, size: Double, anchor: Anchor = .start,
                              color: String = Style.textColor, rotate: Bool = false, weight: String? = nil) {
        text += "<text x=\"\(fmt(p.x))\" y=\"\(fmt(p.y))\" font-size=\"\(fmt(size))\""
        if anchor != .start { text += " text-anchor=\"\(anchor.rawValue)\"" }
        if let weight { text += " font-weight=\"\(weight)\"" }
        text += " fill=\"\(color)\""
        if rotate { text += " transform=\"rotate(-90 \(fmt(p.x)) \(fmt(p.y)))\"" }
        text += ">\(xmlEscape(s))</text>\n"
    }

    mutating func finish() -> String {
        text += "</svg>\n"
        return text
    }
}

/// Path data `M x y L x y …` for a polyline, dropping points closer than `minStep` px to the
/// previously kept one (always keeping the last), which keeps long runs small in the file.
func pathData(_ points: [Point], minStep: Double = 0.5, close: Bool = false) -> String {
    guard let first = points.first else { return "" }
    var d = "M\(fmt(first.x)) \(fmt(first.y))"
    var last = first
    for (i, p) in points.enumerated().dropFirst() {
        let isLast = i == points.count - 1
        if !isLast && abs(p.x - last.x) < minStep && abs(p.y - last.y) < minStep { continue }
        d += "L\(fmt(p.x)) \(fmt(p.y))"
        last = p
    }
    if close { d += "Z" }
    return d
}

/// Marker outline as an SVG element string centred at `p`. Filled shapes have a white edge;
/// `open…` shapes are the same outlines filled white; `.ring` is a large hollow circle drawn
/// around a point to emphasize it.
func markerElement(_ shape: MarkerShape, at p: Point, size s: Double, color: String, opacity: Double = 1) -> String {
    let x = p.x, y = p.y, h = s / 2
    let alpha = opacity < 1 ? " fill-opacity=\"\(fmt(opacity))\" stroke-opacity=\"\(fmt(opacity))\"" : ""
    let open: Bool
    let base: MarkerShape
    switch shape {
    case .openCircle: (open, base) = (true, .circle)
    case .openSquare: (open, base) = (true, .square)
    case .openTriangle: (open, base) = (true, .triangle)
    case .openDiamond: (open, base) = (true, .diamond)
    case .openTriangleDown: (open, base) = (true, .triangleDown)
    case .openStar: (open, base) = (true, .star)
    case .openPentagon: (open, base) = (true, .pentagon)
    default: (open, base) = (false, shape)
    }
    let fill = open ? "fill=\"#FFFFFF\" stroke=\"\(color)\" stroke-width=\"1.6\"\(alpha)"
                    : "fill=\"\(color)\" stroke=\"#FFFFFF\" stroke-width=\"0.8\"\(alpha)"
    func poly(_ pts: [(Double, Double)]) -> String {
        "<path d=\"" + pathData(pts.map { Point(x + $0.0, y + $0.1) }, minStep: 0, close: true) + "\" \(fill)/>\n"
    }
    switch base {
    case .ring:
        return "<circle class=\"emphasis\" cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"\(fmt(h))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.2\"/>\n"
    case .circle:
        return "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"\(fmt(h))\" \(fill)/>\n"
    case .square:
        return poly([(-h * 0.9, -h * 0.9), (h * 0.9, -h * 0.9), (h * 0.9, h * 0.9), (-h * 0.9, h * 0.9)])
    case .triangle:
        return poly([(0, -h * 1.1), (h * 1.05, h * 0.8), (-h * 1.05, h * 0.8)])
    case .triangleDown:
        return poly([(0, h * 1.1), (h * 1.05, -h * 0.8), (-h * 1.05, -h * 0.8)])
    case .diamond:
        return poly([(0, -h * 1.2), (h * 1.0, 0), (0, h * 1.2), (-h * 1.0, 0)])
    case .plus, .cross:
        let a = h * 1.1
        let d = base == .plus
            ? "M\(fmt(x - a)) \(fmt(y))L\(fmt(x + a)) \(fmt(y))M\(fmt(x)) \(fmt(y - a))L\(fmt(x)) \(fmt(y + a))"
            : "M\(fmt(x - a)) \(fmt(y - a))L\(fmt(x + a)) \(fmt(y + a))M\(fmt(x - a)) \(fmt(y + a))L\(fmt(x + a)) \(fmt(y - a))"
        return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(alpha)/>\n"
    case .star:
        var pts: [(Double, Double)] = []
        for k in 0..<10 {
            let r = k % 2 == 0 ? h * 1.3 : h * 0.55
            let angle = Double.pi / 2 + Double(k) * Double.pi / 5
            pts.append((r * cosine(angle), -r * sine(angle)))
        }
        return poly(pts)
    case .pentagon:
        return poly((0..<5).map { k in
            let angle = Double.pi / 2 + Double(k) * 2 * Double.pi / 5
            return (h * 1.15 * cosine(angle), -h * 1.15 * sine(angle))
        })
    default:
        return ""
    }
}

/// Greedy word wrap to `maxWidth` px; words longer than a line are kept whole.
func wrap(_ text: String, maxWidth: Double, fontSize: Double, bold: Bool = false) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        let candidate = current.isEmpty ? String(word) : current + " " + word
        if textWidth(candidate, fontSize: fontSize, bold: bold) <= maxWidth || current.isEmpty {
            current = candidate
        } else {
            lines.append(current)
            current = String(word)
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// A chart title laid out to fit `maxWidth` px: wrapped at `Style.titleFont` into at most
/// three lines; when a line is still too wide (one long word) or more lines would be needed,
/// the font shrinks step by step down to 10 px, and a last resort truncates with "…".
struct TitleLayout: Sendable, Equatable {
    var lines: [String]
    var fontSize: Double
    var lineHeight: Double { (fontSize * 1.31).rounded() }

    init(_ title: String, maxWidth: Double) {
        var size = Style.titleFont
        while true {
            let lines = title.isEmpty ? [] : wrap(title, maxWidth: maxWidth, fontSize: size, bold: true)
            let fits = lines.allSatisfy { textWidth($0, fontSize: size, bold: true) <= maxWidth }
            if (fits && lines.count <= 3) || size <= 10 {
                self.lines = lines.prefix(3).enumerated().map { k, line in
                    k == 2 && lines.count > 3 ? truncate(line + " " + lines[3...].joined(separator: " "), maxWidth: maxWidth, fontSize: size, bold: true)
                        : truncate(line, maxWidth: maxWidth, fontSize: size, bold: true)
                }
                fontSize = size
                return
            }
            size -= 1
        }
    }

    init(lines: [String], fontSize: Double) {
        self.lines = lines
        self.fontSize = fontSize
    }

    /// Height taken at the top of a chart (0 without a title).
    var height: Double { lines.isEmpty ? 0 : Double(lines.count) * lineHeight + 6 }

    func draw(_ w: inout SVGWriter, centre: Double) {
        for (k, line) in lines.enumerated() {
            w.textElement(line, at: Point(centre, 14 + fontSize + Double(k) * lineHeight), size: fontSize,
                          anchor: .middle, weight: "bold")
        }
    }
}

/// `text` shortened with "…" to fit `maxWidth` px.
func truncate(_ text: String, maxWidth: Double, fontSize: Double, bold: Bool = false) -> String {
    if textWidth(text, fontSize: fontSize, bold: bold) <= maxWidth { return text }
    var chars = Array(text)
    while !chars.isEmpty && textWidth(String(chars) + "…", fontSize: fontSize, bold: bold) > maxWidth {
        chars.removeLast()
    }
    return String(chars) + "…"
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

private func cosine(_ x: Double) -> Double { cos(x) }
private func sine(_ x: Double) -> Double { sin(x) }
