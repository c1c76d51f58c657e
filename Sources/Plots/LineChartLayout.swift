// Line charts, compute first: scales, panels, series and reference geometry, notes, and a
// legend placed where it covers no data (`layout()`). Nothing here writes SVG.

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

extension LineChart {
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
}
