// Horizontal bar charts with a category label per bar, e.g. "time per step relative to SGD".

/// One bar.
public struct Bar: Sendable, Equatable {
    public var label: String
    public var value: Double
    /// Colour; nil takes `Palette.color(0)`.
    public var color: Color?
    public init(_ label: String, _ value: Double, color: Color? = nil) {
        self.label = label
        self.value = value
        self.color = color
    }
}

/// Pixel geometry of a bar chart.
public struct BarChartLayout: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var label: String
        /// The bar rectangle, nil when the value cannot be drawn (NaN, ±∞, ≤ 0 on a log axis).
        public var bar: Rect?
        public var valueText: String
        /// Start (left end, baseline) of the printed value.
        public var valueAnchor: Point
        public var color: Color
    }
    public var width: Double
    public var height: Double
    public var titleLines: [String]
    /// The title's font size: `Style.titleFont` unless a long title had to shrink.
    public var titleFontSize: Double
    public var plot: Rect
    public var scale: Scale
    public var rows: [Row]
    /// x pixel of the reference line, if any.
    public var reference: Double?
    public var notes: [String]
}

/// Horizontal bars, top to bottom in the given order. Bars start at 0 on a linear axis; on a log
/// axis they start at `reference` when given (so bars point left for "faster than the reference"
/// and right for "slower"), else at the left edge.
public struct BarChart: Sendable, Equatable {
    public var title: String
    public var axis: Axis
    public var bars: [Bar]
    /// A dashed vertical line at this value (e.g. 1 for "relative to SGD").
    public var reference: Double?
    public var referenceLabel: String
    /// Significant digits of the value printed at the end of each bar.
    public var valueDigits: Int
    /// Appended to each printed value, e.g. "×".
    public var valueSuffix: String
    public var width: Double
    /// Height in px; nil sizes the chart to the number of bars.
    public var height: Double?
    public var notes: [String]

    public init(title: String = "", axis: Axis = .linear(), bars: [Bar] = [], reference: Double? = nil,
                referenceLabel: String = "", valueDigits: Int = 3, valueSuffix: String = "",
                width: Double = 800, height: Double? = nil, notes: [String] = []) {
        self.title = title
        self.axis = axis
        self.bars = bars
        self.reference = reference
        self.referenceLabel = referenceLabel
        self.valueDigits = valueDigits
        self.valueSuffix = valueSuffix
        self.width = width
        self.height = height
        self.notes = notes
    }

    public func layout() -> BarChartLayout {
        let width = width.isFinite ? Swift.max(width, 300) : 800
        let rowH = 28.0
        var values = bars.map(\.value)
        if let r = reference, r.isFinite { values.append(r) }
        if axis.kind == .linear { values.append(0) }
        let scale = Scale.fit(values, kind: axis.kind, lower: axis.lower, upper: axis.upper)
        var notes: [String] = []
        let dropped = bars.filter { axis.kind == .log10 && $0.value.isFinite && $0.value <= 0 }.count
        if dropped > 0 { notes.append("\(dropped) \(dropped == 1 ? "value" : "values") ≤ 0 not shown (log axis).") }
        notes += self.notes

        let titleLayout = TitleLayout(title, maxWidth: width - 40)
        let titleLines = titleLayout.lines
        let labels = bars.map { truncate($0.label, maxWidth: width * 0.38, fontSize: Style.tickFont) }
        let valueTexts = bars.map { bar -> String in
            guard let d = Decimal10.rounding(bar.value, significantDigits: valueDigits) else { return "n/a" }
            return d.compact(plainMagnitudes: -3...5) + valueSuffix
        }
        let labelW = labels.map { textWidth($0, fontSize: Style.tickFont) }.max() ?? 0
        let valueW = valueTexts.map { textWidth($0, fontSize: Style.tickFont) }.max() ?? 0
        let top = 14 + titleLayout.height + (referenceLabel.isEmpty ? 0 : 16)
        let left = 12 + labelW + 10
        let right = Swift.max(18, valueW + 14)
        let bottom = 10 + 20 + (axis.title.isEmpty ? 0 : 22) + Double(notes.count) * 17
        let plotH = Swift.max(rowH, Double(Swift.max(bars.count, 1)) * rowH)
        let height = height.map { $0.isFinite ? Swift.max($0, top + bottom + rowH) : top + plotH + bottom } ?? (top + plotH + bottom)
        let plot = Rect(x: left, y: top, width: Swift.max(60, width - left - right), height: height - top - bottom)
        let rowPitch = plot.height / Double(Swift.max(bars.count, 1))

        func px(_ v: Double) -> Double? { scale.pixel(v, from: plot.x, to: plot.maxX) }
        let baseValue: Double? = axis.kind == .linear ? 0 : reference
        let base = Swift.min(Swift.max(baseValue.flatMap(px) ?? plot.x, plot.x), plot.maxX)
        var rows: [BarChartLayout.Row] = []
        for (i, bar) in bars.enumerated() {
            let yMid = plot.y + (Double(i) + 0.5) * rowPitch
            let thickness = Swift.min(18, rowPitch * 0.7)
            let color = bar.color ?? Palette.color(0)
            if let end0 = px(bar.value) {
                let end = Swift.min(Swift.max(end0, plot.x), plot.maxX)
                let rect = Rect(x: Swift.min(base, end), y: yMid - thickness / 2, width: abs(end - base), height: thickness)
                // Value text outside the bar's end; for bars pointing left, just right of the base.
                let rightward = end >= base
                let anchor = rightward ? Point(end + 5, yMid + 4) : Point(base + 5, yMid + 4)
                rows.append(.init(label: labels[i], bar: rect, valueText: valueTexts[i], valueAnchor: anchor, color: color))
            } else {
                rows.append(.init(label: labels[i], bar: nil, valueText: valueTexts[i], valueAnchor: Point(base + 5, yMid + 4),
                                  color: color))
            }
        }
        let refX = reference.flatMap(px).flatMap { $0 >= plot.x - 0.01 && $0 <= plot.maxX + 0.01 ? $0 : nil }
        return BarChartLayout(width: width, height: height, titleLines: titleLines, titleFontSize: titleLayout.fontSize, plot: plot, scale: scale,
                              rows: rows, reference: refX, notes: notes)
    }

    public func svg() -> String {
        let L = layout()
        var w = SVGWriter(width: L.width, height: L.height, title: title)
        let plot = L.plot
        TitleLayout(lines: L.titleLines, fontSize: L.titleFontSize).draw(&w, centre: L.width / 2)
        let empty = bars.isEmpty
        let ticks = empty ? [] : L.scale.ticks
        func xPix(_ t: Tick) -> Double { plot.x + L.scale.fraction(transformed: t.position) * plot.width }
        w.raw("<g stroke=\"\(Style.gridColor)\" stroke-width=\"1\">\n")
        for t in ticks where t.isMajor {
            let X = xPix(t)
            w.raw("<line x1=\"\(fmt(X))\" y1=\"\(fmt(plot.y))\" x2=\"\(fmt(X))\" y2=\"\(fmt(plot.maxY))\"/>\n")
        }
        w.raw("</g>\n")
        for row in L.rows {
            if let r = row.bar { w.rect(r, fill: row.color.hex) }
            w.textElement(row.label, at: Point(plot.x - 8, row.valueAnchor.y), size: Style.tickFont, anchor: .end)
            w.textElement(row.valueText, at: row.valueAnchor, size: Style.tickFont)
        }
        if let X = L.reference {
            w.line(Point(X, plot.y - 4), Point(X, plot.maxY), stroke: "#222222", width: 1.5, extra: " stroke-dasharray=\"5 3\"")
            if !referenceLabel.isEmpty {
                w.textElement(referenceLabel, at: Point(X, plot.y - 8), size: Style.tickFont, anchor: .middle)
            }
        }
        // Axis line and ticks at the bottom.
        w.line(Point(plot.x, plot.maxY), Point(plot.maxX, plot.maxY), stroke: Style.axisColor)
        w.line(Point(plot.x, plot.y), Point(plot.x, plot.maxY), stroke: Style.axisColor)
        w.raw("<g stroke=\"\(Style.axisColor)\" stroke-width=\"1\">\n")
        for t in ticks {
            let X = xPix(t)
            w.raw("<line x1=\"\(fmt(X))\" y1=\"\(fmt(plot.maxY))\" x2=\"\(fmt(X))\" y2=\"\(fmt(plot.maxY + (t.isMajor ? 5 : 3)))\"/>\n")
        }
        w.raw("</g>\n")
        let major = ticks.filter(\.isMajor)
        let keep = thinning(major.map { (xPix($0), textWidth($0.label!, fontSize: Style.tickFont) + 8) })
        for (k, t) in major.enumerated() where k % keep == 0 {
            w.textElement(t.label!, at: Point(xPix(t), plot.maxY + 19), size: Style.tickFont, anchor: .middle)
        }
        if !axis.title.isEmpty {
            w.textElement(axis.title, at: Point(plot.x + plot.width / 2, plot.maxY + 40), size: Style.axisTitleFont, anchor: .middle)
        }
        if empty {
            w.textElement("no data", at: Point(plot.x + plot.width / 2, plot.y + plot.height / 2 + 6), size: 16,
                          anchor: .middle, color: Style.noteColor)
        }
        for (k, note) in L.notes.enumerated() {
            let y0 = L.height - Double(L.notes.count - k) * 17 + 5
            w.textElement(truncate(note, maxWidth: L.width - 24, fontSize: Style.noteFont), at: Point(12, y0),
                          size: Style.noteFont, color: Style.noteColor)
        }
        return w.finish()
    }
}
