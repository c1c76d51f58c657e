// Line charts, the model: series, axes, legend placement, reference lines, and the chart
// that holds them. Layout (LineChartLayout.swift) computes the pixel geometry from it; the
// SVG (LineChartSVG.swift) draws only what the layout computed.

/// How a series connects its points.
public enum Interpolation: String, Sendable, Equatable {
    /// Straight segments between points.
    case linear
    /// Steps: the value holds until the next x, then jumps ("steps-post"; right-continuous, as
    /// an ECDF or a performance profile).
    case steps
}

/// A shaded range behind a series (min–max over seeds, or a quantile range), aligned with x.
public struct Band: Sendable, Equatable {
    public var lower: [Double]
    public var upper: [Double]
    public init(lower: [Double], upper: [Double]) {
        self.lower = lower
        self.upper = upper
    }
}

/// One line of a chart.
public struct Series: Sendable, Equatable {
    public var label: String
    public var x: [Double]
    public var y: [Double]
    public var band: Band?
    /// Colour; nil takes `Palette.color(index)`.
    public var color: Color?
    /// Dash pattern; nil takes `Palette.dash(index)`.
    public var dash: LineDash?
    /// Markers at data points: nil draws none; `Palette.marker(index)` is a good default.
    public var marker: MarkerShape?
    /// Draw a marker every `markerEvery` points (nil: about 20 markers per series).
    public var markerEvery: Int?
    public var interpolation: Interpolation
    public var lineWidth: Double
    /// Loose points drawn in the series' colour without a line, small and half-transparent
    /// (e.g. each seed's value beside the median line). Part of the series: no legend entry.
    public var points: (x: [Double], y: [Double])
    /// Indices into x/y of points to emphasize with a ring (e.g. the chosen rate).
    public var emphasized: [Int]

    public init(_ label: String, x: [Double], y: [Double], band: Band? = nil,
                color: Color? = nil, dash: LineDash? = nil, marker: MarkerShape? = nil,
                markerEvery: Int? = nil, interpolation: Interpolation = .linear, lineWidth: Double = 2,
                points: (x: [Double], y: [Double]) = ([], []), emphasized: [Int] = []) {
        self.points = points
        self.emphasized = emphasized
        self.label = label
        self.x = x
        self.y = y
        self.band = band
        self.color = color
        self.dash = dash
        self.marker = marker
        self.markerEvery = markerEvery
        self.interpolation = interpolation
        self.lineWidth = lineWidth
    }

    /// A series drawn in a given style (colour, dash, marker).
    public init(_ label: String, x: [Double], y: [Double], band: Band? = nil, style: SeriesStyle,
                markerEvery: Int? = nil, interpolation: Interpolation = .linear, lineWidth: Double = 2,
                points: (x: [Double], y: [Double]) = ([], []), emphasized: [Int] = []) {
        self.init(label, x: x, y: y, band: band, color: style.color, dash: style.dash, marker: style.marker,
                  markerEvery: markerEvery, interpolation: interpolation, lineWidth: lineWidth, points: points, emphasized: emphasized)
    }

    public static func == (a: Series, b: Series) -> Bool {
        a.label == b.label && a.x == b.x && a.y == b.y && a.band == b.band && a.color == b.color && a.dash == b.dash
            && a.marker == b.marker && a.markerEvery == b.markerEvery && a.interpolation == b.interpolation
            && a.lineWidth == b.lineWidth && a.points.x == b.points.x && a.points.y == b.points.y && a.emphasized == b.emphasized
    }

    /// The style it is drawn in when it is series number `index` of its chart.
    public func style(index: Int) -> SeriesStyle {
        SeriesStyle(color: color ?? Palette.color(index), dash: dash ?? Palette.dash(index), marker: marker)
    }

    /// Start of the trailing block of NaN/±∞ y values when the series ends in one (the run
    /// diverged), else nil. A NaN in the middle followed by finite values is only a gap.
    public static func divergenceIndex(_ s: Series) -> Int? {
        let n = Swift.min(s.x.count, s.y.count)
        guard n > 0, !s.y[n - 1].isFinite else { return nil }
        var i = n - 1
        while i > 0 && !s.y[i - 1].isFinite { i -= 1 }
        return i
    }

    /// A series whose x values are 0, 1, 2, … (e.g. steps).
    public init(_ label: String, y: [Double], band: Band? = nil, interpolation: Interpolation = .linear) {
        self.init(label, x: (0..<y.count).map(Double.init), y: y, band: band, interpolation: interpolation)
    }
}

/// An axis request: title, kind, optional fixed ends (data units).
public struct Axis: Sendable, Equatable {
    public var title: String
    public var kind: ScaleKind
    public var lower: Double?
    public var upper: Double?
    public init(_ title: String = "", kind: ScaleKind = .linear, lower: Double? = nil, upper: Double? = nil) {
        self.title = title
        self.kind = kind
        self.lower = lower
        self.upper = upper
    }
    public static func linear(_ title: String = "", lower: Double? = nil, upper: Double? = nil) -> Axis {
        Axis(title, kind: .linear, lower: lower, upper: upper)
    }
    public static func log(_ title: String = "", lower: Double? = nil, upper: Double? = nil) -> Axis {
        Axis(title, kind: .log10, lower: lower, upper: upper)
    }
}

public enum Corner: String, Sendable, Equatable, CaseIterable {
    case topRight, topLeft, bottomLeft, bottomRight
}

/// Where the legend goes. `.auto` picks the inside corner whose box covers no drawn data
/// (trying top-right, top-left, bottom-left, bottom-right), else outside on the right when the
/// labels are short enough, else below the plot in columns.
public enum LegendPlacement: Sendable, Equatable {
    case auto
    case none
    case inside(Corner)
    case right
    case below
}


/// A straight line across the plot at a fixed value, with a label: a target (horizontal) or a
/// chosen value of x (vertical).
public struct ReferenceLine: Sendable, Equatable {
    public enum Orientation: String, Sendable, Equatable { case horizontal, vertical }
    public var orientation: Orientation
    public var value: Double
    public var label: String
    public var color: Color
    public init(_ orientation: Orientation, at value: Double, label: String, color: Color = Color(hex: "#222222")) {
        self.orientation = orientation
        self.value = value
        self.label = label
        self.color = color
    }
    /// A horizontal line at y = `value`.
    public static func y(_ value: Double, label: String) -> ReferenceLine { ReferenceLine(.horizontal, at: value, label: label) }
    /// A vertical line at x = `value`.
    public static func x(_ value: Double, label: String) -> ReferenceLine { ReferenceLine(.vertical, at: value, label: label) }
}

public struct LineChart: Sendable, Equatable {
    public var title: String
    public var x: Axis
    public var y: Axis
    public var series: [Series]
    public var legend: LegendPlacement
    public var width: Double
    public var height: Double
    /// Extra footnotes printed under the chart.
    public var notes: [String]
    /// Prefix for ids in the SVG (clip path), for pages that inline several charts.
    public var idPrefix: String
    /// Labelled lines at fixed values (a target, a chosen rate).
    public var references: [ReferenceLine]

    /// The most series one chart shows: the distinct colour and dash pairs of the palette.
    public static var maxSeries: Int { Palette.styleCount }

    public init(title: String = "", x: Axis = .linear(), y: Axis = .linear(), series: [Series] = [],
                legend: LegendPlacement = .auto, width: Double = 800, height: Double = 480,
                notes: [String] = [], idPrefix: String = "lrbench", references: [ReferenceLine] = []) {
        self.references = references
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.legend = legend
        self.width = width
        self.height = height
        self.notes = notes
        self.idPrefix = idPrefix
    }

    /// Why the series cannot share one chart, or nil when they can: more than `maxSeries`, or
    /// two series drawn alike (the same colour, dash and marker).
    public func seriesProblem() -> String? {
        if series.count > Self.maxSeries {
            return "\(series.count) series, but a chart tells apart at most \(Self.maxSeries) (colour × dash pairs)"
        }
        var seen: [SeriesStyle: Int] = [:]
        for (i, s) in series.enumerated() {
            let style = s.style(index: i)
            if let j = seen[style] {
                return "series \(j + 1) (\(series[j].label)) and \(i + 1) (\(s.label)) have the same colour, dash and marker"
            }
            seen[style] = i
        }
        return nil
    }
}
