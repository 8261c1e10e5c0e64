import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam analytics snapshot|overview|trends|metrics`: the daily metric snapshots and what they show over time.
struct AnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics",
        abstract: "Daily metric snapshots: today against the previous period, and a metric's trend by week, month or owner.",
        discussion: """
            The daily job (health-recompute, 03:30) stores each metric of the day before, per owner; `snapshot` takes \
            a day by hand. An admin sees every owner's figures, a manager the team's, a member their own.
            """,
        subcommands: [Snapshot.self, Overview.self, Trends.self, Metrics.self])

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a day's snapshot (the day before by default), replacing the rows it held.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "The day (YYYY-MM-DD, UTC); default the day before today.") var day: AnalyticsDay?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let report = try await runtime.attempt { try await runtime.runtime.analytics.snapshot(day: day, as: runtime.user) }
            if json {
                print(try Terminal.json(report))
            } else {
                print("Snapshot of \(report.day.name): \(report.rows) rows (\(report.replaced) replaced)")
            }
        }
    }

    struct Overview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every metric over the last days (today so far included) against the days before.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "The period's length in days (1 to 366).") var days = 7
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let overview = try await runtime.attempt { try await runtime.runtime.analytics.overview(days: days, as: runtime.user) }
            if json {
                print(try Terminal.json(overview))
                return
            }
            print(
                "\(overview.currentFrom.name)..\(overview.today.name) against \(overview.previousFrom.name)..\(overview.previousTo.name)")
            let rows = overview.items.map {
                [$0.metric, $0.dimension.isEmpty ? "-" : $0.dimension, figure($0.current), figure($0.previous), change($0.change)]
            }
            for line in TextTable.lines([["METRIC", "DIMENSION", "CURRENT", "PREVIOUS", "CHANGE"]] + rows) { print(line) }
        }
    }

    struct Trends: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A metric over the snapshots since a day, by ISO week, month or owner.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The metric (`kam analytics metrics`).") var metric: String
        @Option(help: "The first day (YYYY-MM-DD, UTC).") var since: AnalyticsDay
        @Option(help: "week, month or owner.") var by: TrendGrouping = .week
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let trend = try runtime.attempt {
                try runtime.runtime.analytics.trends(metric: metric, since: since, by: by, as: runtime.user)
            }
            if json {
                print(try Terminal.json(trend))
                return
            }
            print("\(trend.metric): \(trend.summary), \(trend.since.name)..\(trend.until.name), \(trend.days) days snapshotted")
            let header = [by == .owner ? "OWNER" : by.rawValue.uppercased(), (trend.dimension ?? "-").uppercased(), "VALUE"]
            let rows = trend.points.map {
                [$0.bucket.isEmpty ? "(none)" : $0.bucket, $0.dimension.isEmpty ? "-" : $0.dimension, figure($0.value)]
            }
            for line in TextTable.lines([header] + rows) { print(line) }
        }
    }

    struct Metrics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The metrics the snapshots keep and the rates over them.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let rows = runtime.runtime.analytics.metrics().map { metric -> [String] in
                let kind =
                    switch metric.kind {
                    case .level: "level"
                    case .flow: "flow"
                    case .ratio: "ratio"
                    }
                return [metric.name, kind, metric.dimension ?? "-", metric.summary]
            }
            for line in TextTable.lines([["METRIC", "KIND", "DIMENSION", "WHAT IT COUNTS"]] + rows) { print(line) }
        }
    }
}

/// A figure as the tables print it: whole numbers as such, others with two decimals, "-" for none.
private func figure(_ value: Double?) -> String {
    guard let value else { return "-" }
    return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.2f", value)
}

private func change(_ value: Double?) -> String {
    guard let value else { return "-" }
    return (value > 0 ? "+" : "") + figure(value)
}

extension AnalyticsDay: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument)
    }
}

extension TrendGrouping: ExpressibleByArgument {}
