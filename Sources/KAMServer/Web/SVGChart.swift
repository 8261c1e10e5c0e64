import Foundation
import KAMCore

/// Charts drawn on the server as inline SVG: readable without JavaScript, with a title and a description for screen
/// readers (the pages also list the figures as text). Colours are presentation attributes, not `style`, so the page's
/// Content-Security-Policy (no inline style) holds. Every text placed in the SVG is escaped here.
enum SVGChart {
    struct Point: Sendable, Hashable {
        var label: String
        var value: Double
    }

    /// A line chart of `points` (oldest first) on a 0...`maximum` scale.
    static func line(_ points: [Point], maximum: Double = 100, id: String, title: String, description: String) -> String {
        let width = 480.0
        let height = 160.0
        let pad = 28.0
        var svg = header(width: width, height: height, id: id, title: title, description: description)
        svg += axes(width: width, height: height, pad: pad, maximum: maximum)
        guard !points.isEmpty else { return svg + "</svg>" }
        let step = points.count > 1 ? (width - 2 * pad) / Double(points.count - 1) : 0
        let coordinates = points.enumerated().map { index, point in
            (pad + Double(index) * step, height - pad - (min(max(point.value, 0), maximum) / maximum) * (height - 2 * pad))
        }
        svg += "<polyline fill=\"none\" stroke=\"#1d5fa8\" stroke-width=\"2\" points=\""
        svg += coordinates.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " ") + "\"/>"
        for ((x, y), point) in zip(coordinates, points) {
            svg += "<circle cx=\"\(format(x))\" cy=\"\(format(y))\" r=\"3\" fill=\"#1d5fa8\">"
            svg += "<title>\(escape(point.label)): \(format(point.value))</title></circle>"
        }
        if let first = points.first, let last = points.last {
            svg += label(first.label, x: pad, y: height - 8, anchor: "start")
            if points.count > 1 { svg += label(last.label, x: width - pad, y: height - 8, anchor: "end") }
        }
        return svg + "</svg>"
    }

    /// A bar chart of `points` on a 0...(largest value) scale, each bar labelled below.
    static func bars(_ points: [Point], unit: String = "", id: String, title: String, description: String) -> String {
        let width = 480.0
        let height = 180.0
        let pad = 28.0
        let maximum = max(points.map(\.value).max() ?? 0, 1e-9)
        var svg = header(width: width, height: height, id: id, title: title, description: description)
        svg += axes(width: width, height: height, pad: pad, maximum: maximum, unit: unit)
        guard !points.isEmpty else { return svg + "</svg>" }
        let slot = (width - 2 * pad) / Double(points.count)
        for (index, point) in points.enumerated() {
            let barHeight = (max(point.value, 0) / maximum) * (height - 2 * pad)
            let x = pad + Double(index) * slot + slot * 0.15
            svg += "<rect x=\"\(format(x))\" y=\"\(format(height - pad - barHeight))\" width=\"\(format(slot * 0.7))\" "
            svg += "height=\"\(format(barHeight))\" fill=\"#2f7d4f\"><title>\(escape(point.label)): "
            svg += "\(format(point.value))\(escape(unit))</title></rect>"
            if points.count <= 12 {
                svg += label(point.label, x: x + slot * 0.35, y: height - 8, anchor: "middle")
            }
        }
        return svg + "</svg>"
    }

    /// One named line of a chart with several.
    struct Series: Sendable, Hashable {
        var name: String
        var points: [Point]
    }

    /// The lines' colours, in order, repeated past the fifth.
    static let palette = ["#1d5fa8", "#2f7d4f", "#b3541e", "#7a3e9d", "#8a7a12"]

    /// A line for each of `series` (their points for the same labels, oldest first) on a 0...(largest value) scale,
    /// with a legend naming each line in its colour.
    static func lines(_ series: [Series], unit: String = "", id: String, title: String, description: String) -> String {
        let width = 480.0
        let height = 180.0
        let maximum = max(series.flatMap(\.points).map(\.value).max() ?? 0, 1e-9)
        // Room for the scale's label left of the axis (10-point digits are about 5.5 wide).
        let pad = max(28.0, Double((format(maximum) + unit).count) * 5.5 + 8)
        var svg = header(width: width, height: height, id: id, title: title, description: description)
        svg += axes(width: width, height: height, pad: pad, maximum: maximum, unit: unit)
        let count = series.map(\.points.count).max() ?? 0
        guard count > 0 else { return svg + "</svg>" }
        let step = count > 1 ? (width - 2 * pad) / Double(count - 1) : 0
        for (index, line) in series.enumerated() {
            let colour = palette[index % palette.count]
            let coordinates = line.points.enumerated().map { position, point in
                (pad + Double(position) * step, height - pad - (max(point.value, 0) / maximum) * (height - 2 * pad))
            }
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\""
            svg += coordinates.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " ") + "\"/>"
            for ((x, y), point) in zip(coordinates, line.points) {
                svg += "<circle cx=\"\(format(x))\" cy=\"\(format(y))\" r=\"2.5\" fill=\"\(colour)\">"
                svg += "<title>\(escape(line.name)) \(escape(point.label)): \(format(point.value))\(escape(unit))</title></circle>"
            }
            svg += "<text x=\"\(format(pad + 4 + Double(index) * 90))\" y=\"12\" font-size=\"10\" fill=\"\(colour)\">"
            svg += "\(escape(line.name))</text>"
        }
        if let labels = series.first(where: { $0.points.count == count })?.points {
            svg += label(labels[0].label, x: pad, y: height - 8, anchor: "start")
            if count > 1 { svg += label(labels[count - 1].label, x: width - pad, y: height - 8, anchor: "end") }
        }
        return svg + "</svg>"
    }

    /// `id` (unique on the page) names the chart's title and description for `aria-labelledby`.
    private static func header(width: Double, height: Double, id: String, title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(format(width)) \(format(height))\" role=\"img\" "
            + "aria-labelledby=\"\(id)-title \(id)-desc\" class=\"chart\"><title id=\"\(id)-title\">\(escape(title))</title>"
            + "<desc id=\"\(id)-desc\">\(escape(description))</desc>"
    }

    private static func axes(width: Double, height: Double, pad: Double, maximum: Double, unit: String = "") -> String {
        "<line x1=\"\(format(pad))\" y1=\"\(format(height - pad))\" x2=\"\(format(width - pad))\" y2=\"\(format(height - pad))\" stroke=\"#777\"/>"
            + "<line x1=\"\(format(pad))\" y1=\"\(format(pad))\" x2=\"\(format(pad))\" y2=\"\(format(height - pad))\" stroke=\"#777\"/>"
            + label(format(maximum) + unit, x: pad - 4, y: pad + 4, anchor: "end")
            + label("0", x: pad - 4, y: height - pad + 4, anchor: "end")
    }

    private static func label(_ text: String, x: Double, y: Double, anchor: String) -> String {
        "<text x=\"\(format(x))\" y=\"\(format(y))\" font-size=\"10\" text-anchor=\"\(anchor)\" fill=\"#333\">\(escape(text))</text>"
    }

    /// `12`, `12.5`, `0.0123`: whole numbers without a fraction, others with up to four digits.
    static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e12 { return String(Int64(value)) }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `text` safe inside SVG text and attribute values: the XML escaping the evaluation reports use.
    static func escape(_ text: String) -> String {
        EvalJUnitWriter.escape(text)
    }
}
