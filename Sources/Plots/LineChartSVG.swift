// Line charts, render second: the SVG document from a `ChartLayout` (`svg()`), a chart
// that cannot share one plot drawn as its stacked panels.

extension LineChart {
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
