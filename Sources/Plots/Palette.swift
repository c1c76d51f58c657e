// Colours, dash patterns and markers, assigned deterministically by series index.
//
// The palette is Okabe & Ito's eight colours ("Color Universal Design", 2008), which stay
// distinguishable under the common forms of colour-vision deficiency. The order puts the
// colours with the best contrast on white first and yellow last. Series 0–7 are solid; 8–15
// reuse the colours dashed, 16–23 dotted, and so on: colour = i mod 8, dash = (i / 8) mod 3.

/// An sRGB colour written as `#RRGGBB`.
public struct Color: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var hex: String
    public init(hex: String) { self.hex = hex }
    public var description: String { hex }

    public static let black = Color(hex: "#000000")
    public static let white = Color(hex: "#FFFFFF")
    public static let grey = Color(hex: "#555555")
    public static let lightGrey = Color(hex: "#E6E6E6")
}

/// Stroke pattern of a line.
public enum LineDash: String, Sendable, Equatable, CaseIterable {
    case solid, dashed, dotted

    /// The SVG `stroke-dasharray` for a line of width `w`, nil for solid.
    func dashArray(width w: Double) -> String? {
        switch self {
        case .solid: return nil
        case .dashed: return "\(fmt(4 * w)) \(fmt(2.5 * w))"
        case .dotted: return "\(fmt(w)) \(fmt(1.8 * w))"
        }
    }
}

/// Marker drawn at data points. The `open…` shapes are outlines on white. `.cross` is kept for a
/// diverged run and `.ring` for an emphasized point (a chosen rate); the palette uses neither.
public enum MarkerShape: String, Sendable, Equatable, CaseIterable {
    case circle, square, triangle, diamond, triangleDown, plus, cross, star
    case pentagon, openCircle, openSquare, openTriangle, openDiamond, openTriangleDown, openStar, openPentagon, ring
}

/// Everything that tells one series from another: colour, dash pattern, marker.
public struct SeriesStyle: Sendable, Equatable, Hashable {
    public var color: Color
    public var dash: LineDash
    public var marker: MarkerShape?
    public init(color: Color, dash: LineDash, marker: MarkerShape?) {
        self.color = color
        self.dash = dash
        self.marker = marker
    }
}

public enum Palette {
    /// Okabe–Ito, ordered for contrast on white: blue, vermillion, bluish green, reddish purple,
    /// orange, sky blue, black, yellow.
    public static let okabeIto: [Color] = [
        Color(hex: "#0072B2"), // blue
        Color(hex: "#D55E00"), // vermillion
        Color(hex: "#009E73"), // bluish green
        Color(hex: "#CC79A7"), // reddish purple
        Color(hex: "#E69F00"), // orange
        Color(hex: "#56B4E9"), // sky blue
        Color(hex: "#000000"), // black
        Color(hex: "#F0E442"), // yellow
    ]

    /// Colour of series `index` (cycles every 8).
    public static func color(_ index: Int) -> Color {
        okabeIto[mod(index, okabeIto.count)]
    }

    /// Dash pattern of series `index`: solid for 0–7, dashed for 8–15, dotted for 16–23, …
    public static func dash(_ index: Int) -> LineDash {
        LineDash.allCases[mod(Swift.max(index, 0) / okabeIto.count, LineDash.allCases.count)]
    }

    /// Markers for series, in order; `.cross` is left out because a × marks a diverged run.
    public static let markers: [MarkerShape] = [.circle, .square, .triangle, .diamond, .triangleDown, .plus, .star]

    /// Marker of series `index` (cycles through `markers`, shifted by one for every group of
    /// eight so colour and marker pairs differ between groups).
    public static func marker(_ index: Int) -> MarkerShape {
        markers[mod(index + Swift.max(index, 0) / okabeIto.count, markers.count)]
    }

    /// Identity markers: the filled shapes and a pentagon, then the outlines (15 in all), so that
    /// up to 15 things of one kind (e.g. the schedules of a sweep) each keep a marker of their own.
    public static let identityMarkers: [MarkerShape] = markers + [.pentagon, .openCircle, .openSquare, .openTriangle, .openDiamond,
                                                                  .openTriangleDown, .openStar, .openPentagon]

    /// Distinct colour and dash pairs: 8 colours × 3 dashes. A chart shows at most this many
    /// series (`LineChart.maxSeries`).
    public static var styleCount: Int { okabeIto.count * LineDash.allCases.count }

    /// The style of the thing with stable index `index` (its place in the sweep file, not in a
    /// figure's series list): `color(index)`, `dash(index)` and `identityMarkers[index mod 15]`.
    /// Indices 0 ..< `styleCount` get distinct colour and dash pairs.
    public static func style(_ index: Int) -> SeriesStyle {
        SeriesStyle(color: color(index), dash: dash(index), marker: identityMarkers[mod(index, identityMarkers.count)])
    }

    private static func mod(_ a: Int, _ n: Int) -> Int { ((a % n) + n) % n }
}
