import Foundation
import KAMCore
import KAMStore

extension AnalyticsService {
    private var snapshots: any SnapshotStoring { runtime.snapshotStore }

    /// A metric's trend over the stored snapshots.
    public struct Trend: Encodable, Sendable, Hashable {
        public var metric: String
        public var summary: String
        public var by: TrendGrouping
        public var since: AnalyticsDay
        public var until: AnalyticsDay
        /// What the points' dimension holds (`band`, `stage`), or null.
        public var dimension: String?
        /// The snapshotted days the points read.
        public var days: Int
        public var points: [TrendPoint]

        enum CodingKeys: String, CodingKey { case metric, summary, by, since, until, dimension, days, points }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(metric, forKey: .metric)
            try container.encode(summary, forKey: .summary)
            try container.encode(by, forKey: .by)
            try container.encode(since, forKey: .since)
            try container.encode(until, forKey: .until)
            try container.encode(dimension, forKey: .dimension)
            try container.encode(days, forKey: .days)
            try container.encode(points, forKey: .points)
        }
    }

    /// `metric`'s trend over the snapshots taken from `since` to today (UTC), grouped `by` ISO week, month or owner,
    /// over the owners `user` sees (an admin everything, a manager the team's, a member their own).
    ///
    /// For example:
    /// ```swift
    /// let trend = try runtime.analytics.trends(metric: "pipeline.value", since: day, by: .month, as: user)
    /// trend.points   // [2026-11 proposal 64000, 2026-12 proposal 80000, ...]
    /// ```
    /// - Throws: `RuntimeError` `.notFound` (`analytics.unknown-metric`).
    public func trends(metric name: String, since: AnalyticsDay, by grouping: TrendGrouping, as user: ActingUser) throws
        -> Trend
    {
        let metric = try metric(named: name)
        let owners = try owners(for: user)
        let today = AnalyticsDay(containing: runtime.now())
        let days = try snapshots.days(from: since, to: today)
        let points: [TrendPoint]
        switch grouping {
        case .week, .month:
            let rows = try snapshots.dailySums(of: metric.components, from: since, to: today, owners: owners)
            points = TrendBuilder.periods(metric, days: days, rows: rows, period: grouping == .week ? \.weekName : \.monthName)
        case .owner:
            let rows: [SnapshotRow]
            if metric.kind == .level {
                rows = try days.last.map { try snapshots.rows(of: metric.components, on: $0, owners: owners) } ?? []
            } else {
                rows = try snapshots.ownerSums(of: metric.components, from: since, to: today, owners: owners)
            }
            points = TrendBuilder.owners(metric, days: days, rows: rows)
        }
        return Trend(
            metric: metric.name, summary: metric.summary, by: grouping, since: since, until: today,
            dimension: metric.dimension, days: days.count, points: points)
    }

    /// One figure of the overview: this period's and the previous one's.
    public struct OverviewLine: Encodable, Sendable, Hashable {
        public var metric: String
        public var dimension: String
        public var current: Double?
        public var previous: Double?

        /// `current - previous`, when both are known.
        public var change: Double? { current.flatMap { now in previous.map { FiniteSum.saturated(now - $0) } } }

        enum CodingKeys: String, CodingKey { case metric, dimension, current, previous, change }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(metric, forKey: .metric)
            try container.encode(dimension, forKey: .dimension)
            try container.encode(current, forKey: .current)
            try container.encode(previous, forKey: .previous)
            try container.encode(change, forKey: .change)
        }
    }

    /// Every metric over the `days` days ending today against the `days` days before.
    public struct Overview: Encodable, Sendable, Hashable {
        public var today: AnalyticsDay
        public var days: Int
        /// The first day of the current period (the last is today) and the previous period's first and last.
        public var currentFrom: AnalyticsDay
        public var previousFrom: AnalyticsDay
        public var previousTo: AnalyticsDay
        public var items: [OverviewLine]

        enum CodingKeys: String, CodingKey {
            case today, days, items
            case currentFrom = "current_from"
            case previousFrom = "previous_from"
            case previousTo = "previous_to"
        }
    }

    /// Every metric's figure over the `days` days ending today, today's computed now from the store (so far), the
    /// others from the snapshots, against the `days` days before (null where no snapshot of that period was taken), over
    /// the owners `user` sees. A level is read on the period's last day, a flow summed, a rate divides sums.
    /// - Throws: `RuntimeError` `.invalidInput` (`analytics.invalid-days`) unless 1 ≤ `days` ≤ 366.
    public func overview(days: Int = 7, as user: ActingUser) async throws -> Overview {
        guard (1...366).contains(days) else {
            throw RuntimeError(
                .invalidInput, code: "analytics.invalid-days", "--days \(days) is out of range: give a period of 1 to 366 days")
        }
        let owners = try owners(for: user)
        let now = runtime.now()
        let today = AnalyticsDay(containing: now)
        let currentFrom = today.adding(days: -(days - 1))
        let previousFrom = currentFrom.adding(days: -days)
        // Today's stored rows, if someone took it by hand, give way to the figures computed now.
        var rows = try snapshots.dailySums(of: storedMetrics, from: previousFrom, to: today.previous, owners: owners)
        rows += try await self.rows(of: today, until: now).filter { owners?.contains($0.owner) ?? true }
        let taken = try snapshots.days(from: previousFrom, to: today.previous) + [today]
        let items = metrics().flatMap { metric in
            let points = TrendBuilder.periods(metric, days: taken, rows: rows) { $0 < currentFrom ? "previous" : "current" }
            let dimensions = points.map(\.dimension).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return dimensions.map { dimension in
                let value = { (bucket: String) in points.first { $0.bucket == bucket && $0.dimension == dimension }?.value }
                return OverviewLine(metric: metric.name, dimension: dimension, current: value("current") ?? nil, previous: value("previous") ?? nil)
            }
        }
        return Overview(
            today: today, days: days, currentFrom: currentFrom, previousFrom: previousFrom, previousTo: currentFrom.previous,
            items: items)
    }
}
