import Foundation

/// Small, dependency-free SVG charts: lines and heatmaps for simulation reports, bars for
/// study reports. Every text goes through ``HTMLText/HTMLText.escape(_:)``.
public enum SVGChart {

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                          "#bcbd22", "#17becf"]

    /// The opening of a chart with axes: the SVG element, a white ground, the title, and the x
    /// and y axis lines of a plot area `plotW` × `plotH` at (`left`, `top`).
    static func frame(title: String, width: Double, height: Double, left: Double, top: Double, plotW: Double,
                      plotH: Double) -> String {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(left)\" y=\"24\" font-size=\"16\">\(HTMLText.escape(title))</text>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" stroke=\"black\"/>\n"
        return svg
    }

    /// Lines over an x axis of equal steps (weeks, days), one per series, with a legend.
    public static func lines(title: String, xLabel: String, yLabel: String, series: [(name: String, values: [Double])]) -> String {
        let width = 900.0, height = 420.0, left = 60.0, right = 220.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let count = series.map(\.values.count).max() ?? 0
        let maxY = max(1, series.flatMap(\.values).max() ?? 1)
        var svg = frame(title: title, width: width, height: height, left: left, top: top, plotW: plotW, plotH: plotH)
        for tick in 0...4 {
            let value = maxY * Double(tick) / 4
            let y = top + plotH - plotH * Double(tick) / 4
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(String(format: "%g", (value * 10).rounded() / 10))</text>\n"
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotW)\" y2=\"\(y)\" stroke=\"#ddd\"/>\n"
        }
        svg += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(HTMLText.escape(xLabel))</text>\n"
        svg += "<text x=\"14\" y=\"\(top + plotH / 2)\" transform=\"rotate(-90 14 \(top + plotH / 2))\" text-anchor=\"middle\">\(HTMLText.escape(yLabel))</text>\n"
        for (i, line) in series.enumerated() {
            let color = palette[i % palette.count]
            let points = line.values.enumerated().map { x, y in
                String(format: "%.1f,%.1f", left + plotW * Double(x) / Double(max(1, count - 1)), top + plotH - plotH * y / maxY)
            }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points)\"/>\n"
            let ly = top + 14 * Double(i)
            svg += "<rect x=\"\(left + plotW + 12)\" y=\"\(ly)\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(left + plotW + 26)\" y=\"\(ly + 9)\">\(HTMLText.escape(line.name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A heatmap of rows × columns with values 0…1 (utilisation), white to dark red.
    public static func heatmap(title: String, rows: [(name: String, values: [Double])], columnLabel: String) -> String {
        let cell = 8.0, left = 170.0, top = 40.0
        let columns = rows.map(\.values.count).max() ?? 0
        let width = left + Double(columns) * cell + 20, height = top + Double(rows.count) * cell + 40
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"7\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"10\" y=\"24\" font-size=\"14\">\(HTMLText.escape(title))</text>\n"
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * cell
            svg += "<text x=\"\(left - 4)\" y=\"\(y + cell - 1)\" text-anchor=\"end\">\(HTMLText.escape(row.name))</text>"
            for (c, value) in row.values.enumerated() {
                let v = min(1, max(0, value))
                let shade = Int(255 * (1 - v))
                svg += "<rect x=\"\(left + Double(c) * cell)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"rgb(255,\(shade),\(shade))\"><title>\(HTMLText.escape(row.name)) \(columnLabel) \(c): \(Int((value * 100).rounded())) %</title></rect>"
            }
            svg += "\n"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 12)\" font-size=\"11\">\(HTMLText.escape(columnLabel)) → (white 0 %, red 100 %)</text>\n"
        return svg + "</svg>\n"
    }

    /// Horizontal bars, one per `(label, value)`, with dashed lines at the baseline and target values.
    public static func bars(title: String, bars: [(String, Double)], baseline: Double?, target: Double?) -> String {
        let labelWidth = 230.0, plotWidth = 330.0, barHeight = 16.0, gap = 4.0, top = 40.0
        let height = top + Double(bars.count) * (barHeight + gap) + 24
        let top0 = max(bars.map(\.1).max() ?? 0, target ?? 0, baseline ?? 0)
        let scale = top0 > 0 ? plotWidth / (top0 * 1.08) : 0
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + plotWidth + 80))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        svg += "<text x=\"4\" y=\"15\" font-size=\"13\" font-weight=\"bold\">\(HTMLText.escape(title))</text>"
        for (i, (label, value)) in bars.enumerated() {
            let y = top + Double(i) * (barHeight + gap)
            let shown = label.count > 36 ? String(label.prefix(35)) + "…" : label
            svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Int(y + 12))\" text-anchor=\"end\">\(HTMLText.escape(shown))</text>"
            svg += String(format: "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\" fill=\"#4a78b5\"/>",
                          labelWidth, y, max(0, value * scale), barHeight)
            svg += String(format: "<text x=\"%.1f\" y=\"%.0f\">%@</text>", labelWidth + max(0, value * scale) + 4, y + 12,
                          NumberText.grouped(value, digits: abs(value) < 10 ? 3 : 0))
        }
        let bottom = top + Double(bars.count) * (barHeight + gap)
        for (value, colour, name) in [(baseline, "#555", "baseline"), (target, "#c0392b", "target")] {
            guard let value else { continue }
            let x = labelWidth + value * scale
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"%@\" stroke-dasharray=\"4 3\"/>",
                          x, top - 4, x, bottom, colour)
            let labelY = name == "target" ? bottom + 14 : top - 8
            svg += String(format: "<text x=\"%.1f\" y=\"%.0f\" fill=\"%@\" text-anchor=\"middle\">%@</text>", x, labelY, colour, name)
        }
        return svg + "</svg>"
    }

    /// Points over a numeric x axis, one colour per series, each series' points joined in x
    /// order when `joined`; a dashed horizontal line at `reference` (a criterion) when given.
    public static func scatter(title: String, xLabel: String, yLabel: String,
                               series: [(name: String, points: [(x: Double, y: Double)], joined: Bool)],
                               reference: (y: Double, label: String)? = nil) -> String {
        let width = 760.0, height = 420.0, left = 60.0, right = 200.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) } + (reference.map { [$0.y] } ?? [])
        let minX = xs.min() ?? 0, maxX = max((xs.max() ?? 1), minX + 1e-9)
        let maxY = max(ys.max() ?? 1, 1e-9), minY = min(0, ys.min() ?? 0)
        func px(_ x: Double) -> Double { left + plotW * (x - minX) / (maxX - minX) }
        func py(_ y: Double) -> Double { top + plotH - plotH * (y - minY) / (maxY - minY) }
        var svg = frame(title: title, width: width, height: height, left: left, top: top, plotW: plotW, plotH: plotH)
        for tick in 0...4 {
            let fraction = Double(tick) / 4
            let y = minY + (maxY - minY) * fraction, x = minX + (maxX - minX) * fraction
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>\n", left - 6, py(y) + 4, String(format: "%g", (y * 1000).rounded() / 1000))
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, py(y), left + plotW, py(y))
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>\n", px(x), top + plotH + 16, String(format: "%g", (x * 1000).rounded() / 1000))
        }
        svg += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(HTMLText.escape(xLabel))</text>\n"
        svg += "<text x=\"14\" y=\"\(top + plotH / 2)\" transform=\"rotate(-90 14 \(top + plotH / 2))\" text-anchor=\"middle\">\(HTMLText.escape(yLabel))</text>\n"
        if let reference {
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>", left, py(reference.y), left + plotW, py(reference.y))
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" fill=\"#c0392b\">%@</text>\n", left + plotW + 4, py(reference.y) + 4, HTMLText.escape(reference.label))
        }
        for (i, line) in series.enumerated() {
            let color = palette[i % palette.count]
            if line.joined {
                let points = line.points.sorted { $0.x < $1.x }.map { String(format: "%.1f,%.1f", px($0.x), py($0.y)) }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points)\"/>\n"
            }
            for point in line.points {
                svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\"/>", px(point.x), py(point.y), color)
            }
            let ly = top + 20 + 14 * Double(i)
            svg += "\n<rect x=\"\(left + plotW + 12)\" y=\"\(ly)\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(left + plotW + 26)\" y=\"\(ly + 9)\">\(HTMLText.escape(line.name))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
