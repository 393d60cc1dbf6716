import Foundation

/// Small, dependency-free SVG charts for simulation reports.
public enum SVGChart {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                          "#bcbd22", "#17becf"]

    /// Lines over an x axis of equal steps (weeks, days), one per series, with a legend.
    public static func lines(title: String, xLabel: String, yLabel: String, series: [(name: String, values: [Double])]) -> String {
        let width = 900.0, height = 420.0, left = 60.0, right = 220.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let count = series.map(\.values.count).max() ?? 0
        let maxY = max(1, series.flatMap(\.values).max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(left)\" y=\"24\" font-size=\"16\">\(escape(title))</text>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" stroke=\"black\"/>\n"
        for tick in 0...4 {
            let value = maxY * Double(tick) / 4
            let y = top + plotH - plotH * Double(tick) / 4
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(String(format: "%g", (value * 10).rounded() / 10))</text>\n"
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotW)\" y2=\"\(y)\" stroke=\"#ddd\"/>\n"
        }
        svg += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        svg += "<text x=\"14\" y=\"\(top + plotH / 2)\" transform=\"rotate(-90 14 \(top + plotH / 2))\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for (i, line) in series.enumerated() {
            let color = palette[i % palette.count]
            let points = line.values.enumerated().map { x, y in
                String(format: "%.1f,%.1f", left + plotW * Double(x) / Double(max(1, count - 1)), top + plotH - plotH * y / maxY)
            }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points)\"/>\n"
            let ly = top + 14 * Double(i)
            svg += "<rect x=\"\(left + plotW + 12)\" y=\"\(ly)\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(left + plotW + 26)\" y=\"\(ly + 9)\">\(escape(line.name))</text>\n"
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
        svg += "<text x=\"10\" y=\"24\" font-size=\"14\">\(escape(title))</text>\n"
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * cell
            svg += "<text x=\"\(left - 4)\" y=\"\(y + cell - 1)\" text-anchor=\"end\">\(escape(row.name))</text>"
            for (c, value) in row.values.enumerated() {
                let v = min(1, max(0, value))
                let shade = Int(255 * (1 - v))
                svg += "<rect x=\"\(left + Double(c) * cell)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"rgb(255,\(shade),\(shade))\"><title>\(escape(row.name)) \(columnLabel) \(c): \(Int((value * 100).rounded())) %</title></rect>"
            }
            svg += "\n"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 12)\" font-size=\"11\">\(escape(columnLabel)) → (white 0 %, red 100 %)</text>\n"
        return svg + "</svg>\n"
    }
}
