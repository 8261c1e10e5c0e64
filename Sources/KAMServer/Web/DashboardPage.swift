import Foundation
import KAMCore
import KAMRuntime

/// A pre-built dashboard (portfolio health, pipeline, AI performance, support): each metric's weeks as a server-made
/// SVG chart (a line for each dimension value) and the same figures as a table, over the owners the user sees.
struct DashboardPage: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var bucket: String
        var cells: [String]
    }

    struct Panel: Encodable, Sendable {
        var metric: String
        var summary: String
        var chartSVG: String
        var columns: [String]
        var rows: [Row]
    }

    var title: String
    var range: String
    var dashboards: [WebFrame.Link]
    var panels: [Panel]

    static func make(_ runtime: Runtime, name: String, as user: ActingUser) throws -> DashboardPage {
        guard let dashboard = Dashboard(rawValue: name) else {
            throw RuntimeError(
                .notFound, code: "analytics.unknown-dashboard",
                "no dashboard '\(name)'; the dashboards are \(Dashboard.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let report = try runtime.analytics.dashboard(dashboard, as: user)
        return DashboardPage(
            title: report.title, range: "\(report.since.name) – \(report.until.name), by ISO week (UTC)",
            dashboards: Dashboard.allCases.map {
                WebFrame.Link(title: $0.title, href: "/app/analytics/dashboards/\($0.rawValue)", current: $0 == dashboard)
            },
            panels: report.panels.map(panel))
    }

    /// One metric's chart and table: a column (and a line) for each dimension value.
    static func panel(_ trend: AnalyticsService.Trend) -> Panel {
        let rate = trend.metric.hasSuffix("-rate")
        let buckets = trend.points.map(\.bucket).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let dimensions = trend.points.map(\.dimension).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let value = Dictionary(trend.points.map { ("\($0.bucket) \($0.dimension)", $0.value) }, uniquingKeysWith: { $1 })
        func cell(_ figure: Double?) -> String {
            guard let figure else { return "—" }
            return rate ? WebFormat.percent(figure) : SVGChart.format((figure * 100).rounded() / 100)
        }
        let series = dimensions.map { dimension in
            SVGChart.Series(
                name: dimension.isEmpty ? trend.metric : dimension,
                points: buckets.map { SVGChart.Point(label: $0, value: ((value["\($0) \(dimension)"] ?? nil) ?? 0) * (rate ? 100 : 1)) })
        }
        return Panel(
            metric: trend.metric, summary: trend.summary,
            chartSVG: SVGChart.lines(
                series, unit: rate ? " %" : "", id: "chart-\(trend.metric.replacingOccurrences(of: ".", with: "-"))",
                title: "\(trend.metric) by week",
                description: "\(trend.summary) for each ISO week from \(trend.since.name); the table lists the same figures."),
            columns: dimensions.map { $0.isEmpty ? "value" : $0 },
            rows: buckets.map { bucket in Row(bucket: bucket, cells: dimensions.map { cell(value["\(bucket) \($0)"] ?? nil) }) })
    }
}
