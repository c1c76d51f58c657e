// Line charts: several series, optional bands, markers, dashes, steps, log or linear axes,
// and a legend placed where it covers no data. Compute first (`layout()`), render second (`svg()`).

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

/// Pixel geometry of one series, in drawing order.
public struct SeriesGeometry: Sendable, Equatable {
    public var label: String
    public var color: Color
    public var dash: LineDash
    public var marker: MarkerShape?
    public var lineWidth: Double
    public var hasBand: Bool
    /// Polylines: one per unbroken run of plottable points (a NaN, ∞ or log-of-≤0 breaks it).
    public var runs: [[Point]]
    /// Closed band polygons (upper edge forward, lower edge back).
    public var bands: [[Point]]
    public var markers: [Point]
    /// Last plottable point before a NaN/∞ y value (a diverged run), marked with ×.
    public var divergences: [Point]
    /// Number of drawable points.
    public var pointCount: Int
    /// The loose points (`Series.points`) that can be drawn.
    public var points: [Point] = []
    /// Emphasized points (`Series.emphasized`), drawn with a ring.
    public var emphasized: [Point] = []
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

/// Where a reference line and its label are drawn.
public struct ReferenceGeometry: Sendable, Equatable {
    public var line: ReferenceLine
    public var from: Point
    public var to: Point
    /// Baseline start of the label (drawn with text-anchor end for horizontal lines, start for vertical ones).
    public var labelAt: Point
    public var labelText: String
}

/// Where the legend ended up.
public struct LegendLayout: Sendable, Equatable {
    public enum Position: Sendable, Equatable { case inside(Corner), right, below }
    public var position: Position
    public var frame: Rect
    public var columns: Int
    public var labels: [String]
}

/// Everything `svg()` draws, computed before drawing.
public struct ChartLayout: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public var titleLines: [String]
    /// The title's font size: `Style.titleFont` unless a long title had to shrink.
    public var titleFontSize: Double
    public var plot: Rect
    public var xScale: Scale
    public var yScale: Scale
    public var series: [SeriesGeometry]
    public var legend: LegendLayout?
    public var notes: [String]
    public var isEmpty: Bool
    /// Reference lines inside the plot (those outside the axis range are left out, with a note).
    public var references: [ReferenceGeometry] = []
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

    // MARK: Layout

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

    /// Fitted scales from every drawable value (lines, bands, loose points, reference lines),
    /// with the number of values dropped from each log axis.
    func fitScales() -> (x: Scale, y: Scale, droppedX: Int, droppedY: Int, isEmpty: Bool) {
        var xs: [Double] = [], ys: [Double] = []
        var droppedX = 0, droppedY = 0
        for s in series {
            let n = Swift.min(s.x.count, s.y.count)
            for i in 0..<n {
                let xv = s.x[i], yv = s.y[i]
                guard xv.isFinite else { continue }
                if !yv.isFinite { continue }
                if x.kind == .log10 && xv <= 0 { droppedX += 1; continue }
                if y.kind == .log10 && yv <= 0 { droppedY += 1; continue }
                xs.append(xv); ys.append(yv)
                if let b = s.band, i < b.lower.count, i < b.upper.count {
                    for v in [b.lower[i], b.upper[i]] where v.isFinite && (y.kind == .linear || v > 0) {
                        ys.append(v)
                    }
                }
            }
            for (xv, yv) in zip(s.points.x, s.points.y) where xv.isFinite && yv.isFinite {
                if x.kind == .log10 && xv <= 0 { droppedX += 1; continue }
                if y.kind == .log10 && yv <= 0 { droppedY += 1; continue }
                xs.append(xv); ys.append(yv)
            }
        }
        let isEmpty = xs.isEmpty
        if !isEmpty {
            for r in references where r.value.isFinite {
                switch r.orientation {
                case .horizontal: if y.kind == .linear || r.value > 0 { ys.append(r.value) }
                case .vertical: if x.kind == .linear || r.value > 0 { xs.append(r.value) }
                }
            }
        }
        return (Scale.fit(xs, kind: x.kind, lower: x.lower, upper: x.upper),
                Scale.fit(ys, kind: y.kind, lower: y.lower, upper: y.upper), droppedX, droppedY, isEmpty)
    }

    /// The chart split into panels that each satisfy `seriesProblem() == nil`, on the axes of the
    /// whole chart: each series goes, in order, into the first panel with room and no series
    /// drawn alike. A chart without a problem is its own single panel.
    public func panels() -> [LineChart] {
        guard seriesProblem() != nil else { return [self] }
        var groups: [[Series]] = []
        for (i, s) in series.enumerated() {
            let style = s.style(index: i)
            var fixed = s
            fixed.color = style.color; fixed.dash = style.dash
            if let k = groups.firstIndex(where: { g in g.count < Self.maxSeries && !g.contains { $0.style(index: 0) == style } }) {
                groups[k].append(fixed)
            } else {
                groups.append([fixed])
            }
        }
        let fit = fitScales()
        return groups.enumerated().map { k, g in
            var panel = self
            panel.series = g
            panel.title = title.isEmpty ? "panel \(k + 1) of \(groups.count)" : "\(title) (panel \(k + 1) of \(groups.count))"
            panel.idPrefix = "\(idPrefix)-panel\(k + 1)"
            if !fit.isEmpty {
                panel.x.lower = x.lower ?? fit.x.domain.lowerBound; panel.x.upper = x.upper ?? fit.x.domain.upperBound
                panel.y.lower = y.lower ?? fit.y.domain.lowerBound; panel.y.upper = y.upper ?? fit.y.domain.upperBound
            }
            return panel
        }
    }

    /// The layout of a chart whose series can share it (`seriesProblem() == nil`; `svg()` splits
    /// the others into `panels()`).
    public func layout() -> ChartLayout {
        if let problem = seriesProblem() { preconditionFailure("LineChart \"\(title)\": \(problem); use panels()") }
        let width = width.isFinite ? Swift.max(width, 200) : 800
        let height = height.isFinite ? Swift.max(height, 150) : 480

        // 1. Scales from every drawable value.
        let (xScale, yScale, droppedX, droppedY, isEmpty) = fitScales()

        // 2. Notes.
        var notes: [String] = []
        if droppedY > 0 { notes.append("\(droppedY) \(droppedY == 1 ? "value" : "values") ≤ 0 not shown (log y axis).") }
        if droppedX > 0 { notes.append("\(droppedX) \(droppedX == 1 ? "point" : "points") with x ≤ 0 not shown (log x axis).") }
        let diverged = series.contains { s in
            Series.divergenceIndex(s).map { tail in
                (0..<tail).contains { xScale.transform(s.x[$0]) != nil && yScale.transform(s.y[$0]) != nil }
            } ?? false
        }
        if diverged && !isEmpty { notes.insert("× marks the last finite value of a run that diverged.", at: 0) }
        let hidden = references.filter { !isEmpty && Self.referenceFraction($0, xScale, yScale) == nil }
        if !hidden.isEmpty {
            notes.append("Not shown (outside the axes): " + hidden.map { $0.label.isEmpty ? fmt($0.value) : $0.label }.joined(separator: "; ") + ".")
        }
        notes += self.notes

        // 3. Margins without an outside legend.
        let titleLayout = TitleLayout(title, maxWidth: width - 40)
        let titleLines = titleLayout.lines
        let yLabelWidth = isEmpty ? 0 : yScale.labels.map { textWidth($0, fontSize: Style.tickFont) }.max() ?? 0
        let lastXLabel = isEmpty ? 0 : textWidth(xScale.majorTicks.last?.label ?? "", fontSize: Style.tickFont)
        let top = 14 + titleLayout.height
        let left = 12 + (y.title.isEmpty ? 0 : 22) + yLabelWidth + 9
        var right = Swift.max(18, lastXLabel / 2 + 8)
        let notesHeight = Double(notes.count) * 17
        var bottom = 10 + 20 + (x.title.isEmpty ? 0 : 22) + notesHeight

        func plotRect() -> Rect {
            Rect(x: left, y: top, width: Swift.max(60, width - left - right), height: Swift.max(60, height - top - bottom))
        }
        var plot = plotRect()
        var geometry = series.enumerated().map { i, s in seriesGeometry(s, index: i, xScale: xScale, yScale: yScale, plot: plot) }
        var refs = isEmpty ? [] : referenceGeometry(xScale: xScale, yScale: yScale, plot: plot)

        // 4. Legend.
        var legendLayout: LegendLayout? = nil
        let entries = series.enumerated().map { i, s in
            (s.label.isEmpty ? "series \(i + 1)" : s.label) + (geometry[i].pointCount == 0 && !isEmpty ? " (no data)" : "")
        }
        if !series.isEmpty && !isEmpty && legend != .none {
            let rowH = 18.0, pad = 8.0, swatch = 30.0
            let textW = entries.map { textWidth($0, fontSize: Style.legendFont) }.max() ?? 0
            let boxW = pad + swatch + 6 + textW + pad
            let boxH = pad + Double(entries.count) * rowH + pad - 4
            func insideFrame(_ c: Corner) -> Rect {
                let inset = 8.0
                let x0 = (c == .topLeft || c == .bottomLeft) ? plot.x + inset : plot.maxX - inset - boxW
                let y0 = (c == .topLeft || c == .topRight) ? plot.y + inset : plot.maxY - inset - boxH
                return Rect(x: x0, y: y0, width: boxW, height: boxH)
            }
            var chosen: LegendLayout.Position? = nil
            switch legend {
            case .inside(let c): chosen = .inside(c)
            case .right: chosen = .right
            case .below: chosen = .below
            case .auto, .none:
                if boxW <= plot.width * 0.5 && boxH <= plot.height * 0.6 {
                    let costs = Corner.allCases.map { coverage(insideFrame($0).insetBy(-4), geometry, refs) }
                    if let best = costs.indices.min(by: { costs[$0] < costs[$1] }), costs[best] == 0 {
                        chosen = .inside(Corner.allCases[best])
                    }
                }
                // Outside on the right only when every entry fits beside the plot; else below.
                if chosen == nil { chosen = boxW <= 250 && boxH <= height - top - 10 ? .right : .below }
            }
            switch chosen! {
            case .inside(let c):
                legendLayout = LegendLayout(position: .inside(c), frame: insideFrame(c), columns: 1, labels: entries)
            case .right:
                let maxText = 250 - pad - swatch - 6 - pad
                let labels = entries.map { truncate($0, maxWidth: maxText, fontSize: Style.legendFont) }
                let w = Swift.min(boxW, 250)
                right = w + 18
                plot = plotRect()
                let h = Swift.min(boxH, height - top - 10)
                legendLayout = LegendLayout(position: .right, frame: Rect(x: width - w - 8, y: top, width: w, height: h),
                                            columns: 1, labels: labels)
            case .below:
                let available = width - 24
                let colW = Swift.min(boxW - 2 * pad + 16, available)
                let columns = Swift.max(1, Swift.min(entries.count, Int(available / colW)))
                let rows = (entries.count + columns - 1) / columns
                let h = Double(rows) * rowH + 8
                let labels = entries.map { truncate($0, maxWidth: colW - swatch - 6 - 16 + 0.01, fontSize: Style.legendFont) }
                bottom += h + 6
                plot = plotRect()
                let y0 = height - notesHeight - h - 8
                let totalW = Double(columns) * colW
                legendLayout = LegendLayout(position: .below,
                                            frame: Rect(x: Swift.max(12, (width - totalW) / 2), y: y0, width: totalW, height: h),
                                            columns: columns, labels: labels)
            }
            if legendLayout?.position == .right || legendLayout?.position == .below {
                // The plot shrank to make room: recompute pixel geometry.
                geometry = series.enumerated().map { i, s in seriesGeometry(s, index: i, xScale: xScale, yScale: yScale, plot: plot) }
                refs = referenceGeometry(xScale: xScale, yScale: yScale, plot: plot)
            }
        }
        if isEmpty { notes.removeAll { $0.contains("not shown") } }
        return ChartLayout(width: width, height: height, titleLines: titleLines, titleFontSize: titleLayout.fontSize, plot: plot, xScale: xScale,
                           yScale: yScale, series: geometry, legend: legendLayout, notes: notes, isEmpty: isEmpty,
                           references: refs)
    }

    /// Where a reference line falls as a fraction of its axis, nil when it is not drawable or
    /// outside the axis range.
    static func referenceFraction(_ r: ReferenceLine, _ xScale: Scale, _ yScale: Scale) -> Double? {
        guard let f = (r.orientation == .horizontal ? yScale : xScale).fraction(r.value), f >= -1e-9, f <= 1 + 1e-9 else { return nil }
        return f
    }

    /// Pixel geometry of the drawable reference lines. A horizontal line's label sits at the
    /// right end above the line (below it near the top); a vertical line's at the top, right of
    /// the line (left of it near the right edge). Labels are shortened to fit the plot.
    func referenceGeometry(xScale: Scale, yScale: Scale, plot: Rect) -> [ReferenceGeometry] {
        references.compactMap { r in
            guard let f = Self.referenceFraction(r, xScale, yScale) else { return nil }
            let text = truncate(r.label, maxWidth: plot.width - 16, fontSize: Style.tickFont)
            let w = textWidth(text, fontSize: Style.tickFont)
            switch r.orientation {
            case .horizontal:
                let Y = plot.maxY - f * plot.height
                let above = Y - 5 - Style.tickFont >= plot.y
                return ReferenceGeometry(line: r, from: Point(plot.x, Y), to: Point(plot.maxX, Y),
                                         labelAt: Point(plot.maxX - 6 - w, above ? Y - 5 : Y + 15), labelText: text)
            case .vertical:
                let X = plot.x + f * plot.width
                let right = X + 4 + w <= plot.maxX - 2
                return ReferenceGeometry(line: r, from: Point(X, plot.maxY), to: Point(X, plot.y),
                                         labelAt: Point(right ? X + 4 : X - 4 - w, plot.y + 15), labelText: text)
            }
        }
    }

    /// Pixel geometry of one series.
    func seriesGeometry(_ s: Series, index: Int, xScale: Scale, yScale: Scale, plot: Rect) -> SeriesGeometry {
        let n = Swift.min(s.x.count, s.y.count)
        func px(_ v: Double) -> Double? { xScale.pixel(v, from: plot.x, to: plot.maxX) }
        func py(_ v: Double) -> Double? { yScale.pixel(v, from: plot.maxY, to: plot.y) }
        let stepped = s.interpolation == .steps
        func expand(_ pts: [Point]) -> [Point] {
            guard stepped, pts.count > 1 else { return pts }
            var out: [Point] = [pts[0]]
            for p in pts.dropFirst() {
                out.append(Point(p.x, out[out.count - 1].y))
                out.append(p)
            }
            return out
        }

        var runs: [[Point]] = [], current: [Point] = []
        var all: [Point] = []
        for i in 0..<n {
            if let X = px(s.x[i]), let Y = py(s.y[i]) {
                let p = Point(X, Y)
                current.append(p); all.append(p)
            } else if !current.isEmpty {
                runs.append(expand(current)); current = []
            }
        }
        if !current.isEmpty { runs.append(expand(current)) }
        // A run that ends in NaN/±∞ diverged: mark its last plottable point before that tail.
        var divergences: [Point] = []
        if let tail = Series.divergenceIndex(s), let i = (0..<tail).last(where: { px(s.x[$0]) != nil && py(s.y[$0]) != nil }) {
            divergences.append(Point(px(s.x[i])!, py(s.y[i])!))
        }

        var bands: [[Point]] = []
        if let b = s.band {
            let m = Swift.min(n, b.lower.count, b.upper.count)
            // Band edge rule: NaN breaks; +∞ goes to the top, −∞ (and ≤ 0 on log) to the bottom.
            // (Points whose y is NaN or ±∞ break the band too: the run diverged there.)
            func edge(_ v: Double) -> Double? {
                if v.isNaN { return nil }
                if v == .infinity { return plot.y }
                if v == -.infinity { return plot.maxY }
                return py(v) ?? plot.maxY
            }
            var upper: [Point] = [], lower: [Point] = []
            func flush() {
                if upper.count >= 2 {
                    let u = expand(upper), l = expand(lower)
                    bands.append(u + l.reversed())
                }
                upper = []; lower = []
            }
            for i in 0..<m {
                // The band stops where the run diverged (y NaN or ±∞).
                if s.y[i].isFinite, let X = px(s.x[i]), let U = edge(b.upper[i]), let L = edge(b.lower[i]) {
                    let top = Swift.min(Swift.max(U, plot.y - 2), plot.maxY + 2)
                    let bot = Swift.min(Swift.max(L, plot.y - 2), plot.maxY + 2)
                    upper.append(Point(X, top)); lower.append(Point(X, bot))
                } else {
                    flush()
                }
            }
            flush()
        }

        var markers: [Point] = []
        if s.marker != nil, !all.isEmpty {
            let every = Swift.max(1, s.markerEvery ?? (all.count + 19) / 20)
            for (k, p) in all.enumerated() where k % every == 0 || k == all.count - 1 { markers.append(p) }
        }
        let loose = zip(s.points.x, s.points.y).compactMap { xv, yv in px(xv).flatMap { X in py(yv).map { Point(X, $0) } } }
        let emphasized = s.emphasized.compactMap { i in
            i >= 0 && i < n ? px(s.x[i]).flatMap { X in py(s.y[i]).map { Point(X, $0) } } : nil
        }
        return SeriesGeometry(label: s.label, color: s.color ?? Palette.color(index), dash: s.dash ?? Palette.dash(index),
                              marker: s.marker, lineWidth: s.lineWidth.isFinite ? Swift.max(0.5, Swift.min(s.lineWidth, 8)) : 2,
                              hasBand: s.band != nil, runs: runs, bands: bands, markers: markers,
                              divergences: divergences, pointCount: all.count, points: loose, emphasized: emphasized)
    }

    /// How much drawn data falls in `box`: line samples every ~3 px count 1, band samples 0.25.
    func coverage(_ box: Rect, _ geometry: [SeriesGeometry], _ refs: [ReferenceGeometry] = []) -> Double {
        var cost = 0.0
        for r in refs {
            let label = Rect(x: r.labelAt.x, y: r.labelAt.y - Style.tickFont, width: textWidth(r.labelText, fontSize: Style.tickFont),
                             height: Style.tickFont + 3)
            if box.intersects(label) { cost += 10 }
            for k in 0...100 {
                let t = Double(k) / 100
                if box.contains(Point(r.from.x + t * (r.to.x - r.from.x), r.from.y + t * (r.to.y - r.from.y))) { cost += 1 }
            }
        }
        for g in geometry {
            for run in g.runs {
                if run.count == 1, box.contains(run[0]) { cost += 1 }
                for (a, b) in zip(run, run.dropFirst()) {
                    let len = Swift.max(abs(b.x - a.x), abs(b.y - a.y))
                    let steps = Swift.min(2000, Swift.max(1, Int((len / 3).rounded(.up))))
                    for k in 0...steps {
                        let t = Double(k) / Double(steps)
                        if box.contains(Point(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))) { cost += 1 }
                    }
                }
            }
            for p in g.markers + g.divergences + g.points + g.emphasized where box.contains(p) { cost += 1 }
            for poly in g.bands {
                let half = poly.count / 2
                for k in 0..<half {
                    let u = poly[k], l = poly[poly.count - 1 - k]
                    let len = abs(l.y - u.y)
                    let steps = Swift.min(500, Swift.max(1, Int((len / 4).rounded(.up))))
                    for j in 0...steps {
                        let t = Double(j) / Double(steps)
                        if box.contains(Point(u.x, u.y + t * (l.y - u.y))) { cost += 0.25 }
                    }
                }
            }
        }
        return cost
    }

    // MARK: Rendering

    /// The chart as a standalone SVG document.
    /// A chart whose series cannot share one plot (`seriesProblem()`) is drawn as its `panels()`
    /// stacked in one document.
    public func svg() -> String {
        let parts = panels()
        if parts.count == 1 { return render(layout()) }
        let h = height.isFinite ? Swift.max(height, 150) : 480
        let w = width.isFinite ? Swift.max(width, 200) : 800
        var out = SVGWriter(width: w, height: h * Double(parts.count), title: title)
        for (k, p) in parts.enumerated() {
            let inner = p.svg()
            let prefix = "<svg xmlns=\"http://www.w3.org/2000/svg\" "
            out.raw("<svg x=\"0\" y=\"\(fmt(h * Double(k)))\" " + inner.dropFirst(prefix.count))
        }
        return out.finish()
    }

    func render(_ L: ChartLayout) -> String {
        var w = SVGWriter(width: L.width, height: L.height, title: title)
        let plot = L.plot

        // Title.
        TitleLayout(lines: L.titleLines, fontSize: L.titleFontSize).draw(&w, centre: L.width / 2)

        // Grid and ticks.
        let xTicks = L.isEmpty ? [] : L.xScale.ticks
        let yTicks = L.isEmpty ? [] : L.yScale.ticks
        func xPix(_ t: Tick) -> Double { plot.x + L.xScale.fraction(transformed: t.position) * plot.width }
        func yPix(_ t: Tick) -> Double { plot.maxY - L.yScale.fraction(transformed: t.position) * plot.height }
        w.raw("<g stroke=\"\(Style.gridColor)\" stroke-width=\"1\">\n")
        for t in xTicks where t.isMajor {
            let X = xPix(t)
            if X > plot.x + 0.5 && X < plot.maxX - 0.5 { w.raw("<line x1=\"\(fmt(X))\" y1=\"\(fmt(plot.y))\" x2=\"\(fmt(X))\" y2=\"\(fmt(plot.maxY))\"/>\n") }
        }
        for t in yTicks where t.isMajor {
            let Y = yPix(t)
            if Y > plot.y + 0.5 && Y < plot.maxY - 0.5 { w.raw("<line x1=\"\(fmt(plot.x))\" y1=\"\(fmt(Y))\" x2=\"\(fmt(plot.maxX))\" y2=\"\(fmt(Y))\"/>\n") }
        }
        w.raw("</g>\n")

        // Data, clipped to the plot area (with a small margin so lines on the edge stay whole).
        let safePrefix = String(idPrefix.unicodeScalars.filter { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }.map(Character.init))
        let clipID = (safePrefix.first?.isLetter == true ? safePrefix : "p" + safePrefix) + "-plot-area"
        let clip = plot.insetBy(-4)
        w.raw("<defs><clipPath id=\"\(clipID)\"><rect x=\"\(fmt(clip.x))\" y=\"\(fmt(clip.y))\" width=\"\(fmt(clip.width))\" height=\"\(fmt(clip.height))\"/></clipPath></defs>\n")
        w.raw("<g clip-path=\"url(#\(clipID))\">\n")
        for (i, g) in L.series.enumerated() {
            for poly in g.bands {
                w.raw("<path class=\"band s\(i)\" d=\"\(pathData(poly, minStep: 0.5, close: true))\" fill=\"\(g.color.hex)\" fill-opacity=\"\(Style.bandOpacity)\" stroke=\"none\"/>\n")
            }
        }
        for (i, g) in L.series.enumerated() {
            let dash = g.dash.dashArray(width: g.lineWidth).map { " stroke-dasharray=\"\($0)\"" } ?? ""
            for run in g.runs {
                if run.count == 1 {
                    w.raw("<circle class=\"line s\(i)\" cx=\"\(fmt(run[0].x))\" cy=\"\(fmt(run[0].y))\" r=\"\(fmt(g.lineWidth * 1.25))\" fill=\"\(g.color.hex)\"/>\n")
                } else {
                    w.raw("<path class=\"line s\(i)\" d=\"\(pathData(run))\" fill=\"none\" stroke=\"\(g.color.hex)\" stroke-width=\"\(fmt(g.lineWidth))\" stroke-linejoin=\"round\" stroke-linecap=\"round\"\(dash)/>\n")
                }
            }
        }
        w.raw("</g>\n")
        // Markers are not clipped (a marker on the frame stays whole) but only drawn inside it.
        let inside = plot.insetBy(-0.5)
        for g in L.series {
            if let shape = g.marker {
                for p in g.markers where inside.contains(p) { w.raw(markerElement(shape, at: p, size: 8, color: g.color.hex)) }
            }
            for p in g.divergences where inside.contains(p) { w.raw(markerElement(.cross, at: p, size: 10, color: g.color.hex)) }
        }
        // Loose points (per seed), then rings around the emphasized points.
        for g in L.series where !g.points.isEmpty {
            for p in g.points where inside.contains(p) {
                w.raw(markerElement(g.marker ?? .circle, at: p, size: 5.5, color: g.color.hex, opacity: 0.55))
            }
        }
        for g in L.series {
            for p in g.emphasized where inside.contains(p) { w.raw(markerElement(.ring, at: p, size: 17, color: g.color.hex)) }
        }

        // Reference lines and their labels.
        for r in L.references {
            w.line(r.from, r.to, stroke: r.line.color.hex, width: 1.4, extra: " stroke-dasharray=\"7 4\" class=\"reference\"")
            if !r.labelText.isEmpty {
                let box = Rect(x: r.labelAt.x - 2, y: r.labelAt.y - Style.tickFont + 1, width: textWidth(r.labelText, fontSize: Style.tickFont) + 4,
                               height: Style.tickFont + 3)
                w.rect(box, fill: "#FFFFFF", extra: " fill-opacity=\"0.8\"")
                w.textElement(r.labelText, at: r.labelAt, size: Style.tickFont, color: r.line.color.hex)
            }
        }

        // Frame and tick marks.
        w.rect(plot, fill: "none", stroke: Style.axisColor, extra: " stroke-width=\"1\"")
        w.raw("<g stroke=\"\(Style.axisColor)\" stroke-width=\"1\">\n")
        for t in xTicks {
            let X = xPix(t), len = t.isMajor ? 5.0 : 3.0
            guard X >= plot.x - 0.01 && X <= plot.maxX + 0.01 else { continue }
            w.raw("<line x1=\"\(fmt(X))\" y1=\"\(fmt(plot.maxY))\" x2=\"\(fmt(X))\" y2=\"\(fmt(plot.maxY + len))\"/>\n")
        }
        for t in yTicks {
            let Y = yPix(t), len = t.isMajor ? 5.0 : 3.0
            guard Y >= plot.y - 0.01 && Y <= plot.maxY + 0.01 else { continue }
            w.raw("<line x1=\"\(fmt(plot.x - len))\" y1=\"\(fmt(Y))\" x2=\"\(fmt(plot.x))\" y2=\"\(fmt(Y))\"/>\n")
        }
        w.raw("</g>\n")

        // Tick labels, thinned so they never overlap.
        let xMajor = xTicks.filter(\.isMajor)
        let xKeep = thinning(xMajor.map { (xPix($0), textWidth($0.label!, fontSize: Style.tickFont) + 8) })
        for (k, t) in xMajor.enumerated() where k % xKeep == 0 {
            w.textElement(t.label!, at: Point(xPix(t), plot.maxY + 19), size: Style.tickFont, anchor: .middle)
        }
        let yMajor = yTicks.filter(\.isMajor)
        let yKeep = thinning(yMajor.map { (yPix($0), Style.tickFont + 3) })
        for (k, t) in yMajor.enumerated() where k % yKeep == 0 {
            w.textElement(t.label!, at: Point(plot.x - 8, yPix(t) + 4), size: Style.tickFont, anchor: .end)
        }

        // Axis titles.
        if !x.title.isEmpty {
            w.textElement(truncate(x.title, maxWidth: plot.width, fontSize: Style.axisTitleFont),
                          at: Point(plot.x + plot.width / 2, plot.maxY + 40), size: Style.axisTitleFont, anchor: .middle)
        }
        if !y.title.isEmpty {
            w.textElement(truncate(y.title, maxWidth: plot.height, fontSize: Style.axisTitleFont),
                          at: Point(12 + 13, plot.y + plot.height / 2), size: Style.axisTitleFont, anchor: .middle, rotate: true)
        }

        if L.isEmpty {
            w.textElement("no data", at: Point(plot.x + plot.width / 2, plot.y + plot.height / 2 + 6), size: 16,
                          anchor: .middle, color: Style.noteColor)
        }

        // Legend.
        if let lg = L.legend {
            drawLegend(&w, lg, L.series)
        }

        // Notes.
        for (k, note) in L.notes.enumerated() {
            let y0 = L.height - Double(L.notes.count - k) * 17 + 5
            w.textElement(truncate(note, maxWidth: L.width - 24, fontSize: Style.noteFont), at: Point(12, y0),
                          size: Style.noteFont, color: Style.noteColor)
        }
        return w.finish()
    }

    private func drawLegend(_ w: inout SVGWriter, _ lg: LegendLayout, _ series: [SeriesGeometry]) {
        let pad = 8.0, rowH = 18.0, swatch = 30.0
        let boxed = lg.position != .below
        if boxed {
            w.rect(lg.frame, fill: "#FFFFFF", stroke: "#BBBBBB", extra: " fill-opacity=\"0.92\" rx=\"3\"")
        }
        let rows = (series.count + lg.columns - 1) / lg.columns
        let colW = lg.frame.width / Double(lg.columns)
        for (i, g) in series.enumerated() {
            let col = i / rows, row = i % rows
            let x0 = lg.frame.x + Double(col) * colW + (boxed ? pad : 8)
            let yMid = lg.frame.y + (boxed ? pad : 4) + Double(row) * rowH + rowH / 2 - 2
            if yMid > lg.frame.maxY { break }
            if g.hasBand {
                w.rect(Rect(x: x0, y: yMid - 6, width: swatch, height: 12), fill: g.color.hex,
                       extra: " fill-opacity=\"\(Style.bandOpacity)\"")
            }
            let dash = g.dash.dashArray(width: g.lineWidth).map { " stroke-dasharray=\"\($0)\"" } ?? ""
            w.line(Point(x0, yMid), Point(x0 + swatch, yMid), stroke: g.color.hex, width: g.lineWidth, extra: dash)
            if let m = g.marker { w.raw(markerElement(m, at: Point(x0 + swatch / 2, yMid), size: 8, color: g.color.hex)) }
            let label = i < lg.labels.count ? lg.labels[i] : g.label
            w.textElement(label, at: Point(x0 + swatch + 6, yMid + 4), size: Style.legendFont)
        }
    }
}

/// The smallest k such that keeping every k-th label leaves no overlaps; `items` are
/// (centre, extent) pairs along the axis.
func thinning(_ items: [(center: Double, extent: Double)]) -> Int {
    guard items.count > 1 else { return 1 }
    for k in 1..<items.count {
        var ok = true
        var previous: (center: Double, extent: Double)? = nil
        for (j, item) in items.enumerated() where j % k == 0 {
            if let p = previous, abs(item.center - p.center) < (item.extent + p.extent) / 2 { ok = false; break }
            previous = item
        }
        if ok { return k }
    }
    return items.count
}
