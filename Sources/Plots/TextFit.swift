// A check that every piece of text in an SVG written by this module fits its drawing: the text's
// extent, estimated with the same `textWidth` the layouts use, lies inside the viewBox of the
// (innermost) <svg> element that holds it. Used by tests of charts and report figures.

public enum TextFit {
    /// One text element that sticks out of its drawing.
    public struct Overflow: Sendable, Equatable, CustomStringConvertible {
        public var text: String
        /// The estimated extent along the text's direction, and the drawing's size along it.
        public var from: Double
        public var to: Double
        public var limit: Double
        public var description: String { "\"\(text)\" spans \(fmt(from))…\(fmt(to)) of 0…\(fmt(limit))" }
    }

    /// The text elements of `svg` whose estimated extent leaves their drawing (none when all fit).
    /// Horizontal text is checked along x; text rotated by −90° (a y-axis title) along y.
    public static func overflows(in svg: String) -> [Overflow] {
        var out: [Overflow] = []
        var sizes: [(w: Double, h: Double)] = []
        var rest = Substring(svg)
        while let open = rest.firstIndex(of: "<") {
            rest = rest[open...]
            guard let close = rest.firstIndex(of: ">") else { break }
            let tag = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("svg ") || tag == "svg" {
                sizes.append((attribute("width", tag) ?? 0, attribute("height", tag) ?? 0))
            } else if tag == "/svg" {
                _ = sizes.popLast()
            } else if tag.hasPrefix("text ") || tag == "text", let size = sizes.last {
                guard let end = rest.firstRange(of: "</text>") else { break }
                let content = unescape(String(rest[..<end.lowerBound]))
                rest = rest[end.upperBound...]
                let fontSize = attribute("font-size", tag) ?? 12
                let bold = stringAttribute("font-weight", tag) == "bold"
                let w = textWidth(content, fontSize: fontSize, bold: bold)
                let rotated = stringAttribute("transform", tag)?.hasPrefix("rotate(-90") == true
                let anchor = stringAttribute("text-anchor", tag) ?? "start"
                let at = rotated ? (size.h - (attribute("y", tag) ?? 0)) : (attribute("x", tag) ?? 0)
                let limit = rotated ? size.h : size.w
                let from = anchor == "middle" ? at - w / 2 : anchor == "end" ? at - w : at
                if from < -0.5 || from + w > limit + 0.5 {
                    out.append(Overflow(text: content, from: from, to: from + w, limit: limit))
                }
            }
        }
        return out
    }

    private static func stringAttribute(_ name: String, _ tag: Substring) -> String? {
        guard let r = tag.firstRange(of: " \(name)=\"") else { return nil }
        let after = tag[r.upperBound...]
        guard let q = after.firstIndex(of: "\"") else { return nil }
        return String(after[..<q])
    }

    private static func attribute(_ name: String, _ tag: Substring) -> Double? {
        stringAttribute(name, tag).flatMap(Double.init)
    }

    private static func unescape(_ s: String) -> String {
        s.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&apos;", with: "'").replacing("&amp;", with: "&")
    }
}
