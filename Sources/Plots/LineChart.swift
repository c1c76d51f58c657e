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

    public init(_ label: String, x: [Double], y: [Double], band: Band? = nil,
                color: Color? = nil, dash: LineDash? = nil, marker: MarkerShape? = nil,
                markerEvery: Int? = nil, interpolation: Interpolation = .linear, lineWidth: Double = 2) {
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
    public var plot: Rect
    public var xScale: Scale
    public var yScale: Scale
    public var series: [SeriesGeometry]
    public var legend: LegendLayout?
    public var notes: [String]
    public var isEmpty: Bool
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

    public init(title: String = "", x: Axis = .linear(), y: Axis = .linear(), series: [Series] = [],
                legend: LegendPlacement = .auto, width: Double = 800, height: Double = 480,
                notes: [String] = [], idPrefix: String = "lrbench") {
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

    public func layout() -> ChartLayout {
        let width = width.isFinite ? Swift.max(width, 200) : 800
        let height = height.isFinite ? Swift.max(height, 150) : 480

        // 1. Scales from every drawable value.
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
        }
        let xScale = Scale.fit(xs, kind: x.kind, lower: x.lower, upper: x.upper)
        let yScale = Scale.fit(ys, kind: y.kind, lower: y.lower, upper: y.upper)
        let isEmpty = xs.isEmpty

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
        notes += self.notes

        // 3. Margins without an outside legend.
        let titleLines = title.isEmpty ? [] : wrap(title, maxWidth: width - 40, fontSize: Style.titleFont)
        let yLabelWidth = isEmpty ? 0 : yScale.labels.map { textWidth($0, fontSize: Style.tickFont) }.max() ?? 0
        let lastXLabel = isEmpty ? 0 : textWidth(xScale.majorTicks.last?.label ?? "", fontSize: Style.tickFont)
        let top = 14 + Double(titleLines.count) * 21 + (titleLines.isEmpty ? 0 : 6)
        let left = 12 + (y.title.isEmpty ? 0 : 22) + yLabelWidth + 9
        var right = Swift.max(18, lastXLabel / 2 + 8)
        let notesHeight = Double(notes.count) * 17
        var bottom = 10 + 20 + (x.title.isEmpty ? 0 : 22) + notesHeight

        func plotRect() -> Rect {
            Rect(x: left, y: top, width: Swift.max(60, width - left - right), height: Swift.max(60, height - top - bottom))
        }
        var plot = plotRect()
        var geometry = series.enumerated().map { i, s in seriesGeometry(s, index: i, xScale: xScale, yScale: yScale, plot: plot) }

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
                    let costs = Corner.allCases.map { coverage(insideFrame($0).insetBy(-4), geometry) }
                    if let best = costs.indices.min(by: { costs[$0] < costs[$1] }), costs[best] == 0 {
                        chosen = .inside(Corner.allCases[best])
                    }
                }
                if chosen == nil { chosen = boxW <= 250 ? .right : .below }
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
                let labels = entries.map { truncate($0, maxWidth: colW - swatch - 6 - 16, fontSize: Style.legendFont) }
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
            }
        }
        if isEmpty { notes.removeAll { $0.contains("not shown") } }
        return ChartLayout(width: width, height: height, titleLines: titleLines, plot: plot, xScale: xScale,
                           yScale: yScale, series: geometry, legend: legendLayout, notes: notes, isEmpty: isEmpty)
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
        return SeriesGeometry(label: s.label, color: s.color ?? Palette.color(index), dash: s.dash ?? Palette.dash(index),
                              marker: s.marker, lineWidth: s.lineWidth.isFinite ? Swift.max(0.5, Swift.min(s.lineWidth, 8)) : 2,
                              hasBand: s.band != nil, runs: runs, bands: bands, markers: markers,
                              divergences: divergences, pointCount: all.count)
    }

    /// How much drawn data falls in `box`: line samples every ~3 px count 1, band samples 0.25.
    func coverage(_ box: Rect, _ geometry: [SeriesGeometry]) -> Double {
        var cost = 0.0
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
            for p in g.markers + g.divergences where box.contains(p) { cost += 1 }
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
    public func svg() -> String {
        render(layout())
    }

    func render(_ L: ChartLayout) -> String {
        var w = SVGWriter(width: L.width, height: L.height, title: title)
        let plot = L.plot

        // Title.
        for (k, line) in L.titleLines.enumerated() {
            w.textElement(line, at: Point(L.width / 2, 14 + 16 + Double(k) * 21), size: Style.titleFont,
                          anchor: .middle, weight: "bold")
        }

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
            w.textElement(x.title, at: Point(plot.x + plot.width / 2, plot.maxY + 40), size: Style.axisTitleFont, anchor: .middle)
        }
        if !y.title.isEmpty {
            w.textElement(y.title, at: Point(12 + 13, plot.y + plot.height / 2), size: Style.axisTitleFont, anchor: .middle, rotate: true)
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
