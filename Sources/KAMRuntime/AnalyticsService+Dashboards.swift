import Foundation
import KAMCore

extension AnalyticsService {
    /// A pre-built dashboard: each of its metrics' trend by ISO week.
    public struct DashboardReport: Encodable, Sendable, Hashable {
        public var name: Dashboard
        public var title: String
        public var since: AnalyticsDay
        public var until: AnalyticsDay
        public var panels: [Trend]
    }

    /// The weeks a dashboard shows unless told otherwise.
    public static let dashboardWeeks = 12

    /// `dashboard`'s panels: each metric's trend by ISO week from `since` (the Monday twelve weeks back by default: whole
    /// weeks) to today, over the owners `user` sees (an admin all, a manager the team's, a member their own).
    ///
    /// For example:
    /// ```swift
    /// let pipeline = try runtime.analytics.dashboard(.pipeline, as: ActingUser("tom"))
    /// pipeline.panels.map(\.metric)   // ["pipeline.value", "pipeline.deals", "deals.won", "deals.win-rate"]
    /// ```
    public func dashboard(_ dashboard: Dashboard, since: AnalyticsDay? = nil, as user: ActingUser) throws -> DashboardReport {
        let today = AnalyticsDay(containing: runtime.now())
        let since = since ?? Self.monday(of: today.adding(days: -7 * (Self.dashboardWeeks - 1)))
        let panels = try dashboard.metrics.map { try trends(metric: $0, since: since, by: .week, as: user) }
        return DashboardReport(name: dashboard, title: dashboard.title, since: since, until: today, panels: panels)
    }

    /// The Monday of `day`'s ISO week.
    static func monday(of day: AnalyticsDay) -> AnalyticsDay {
        // 1970-01-01 was a Thursday: days since then, shifted so Monday is 0.
        let weekday = (Int((day.start.timeIntervalSince1970 / 86_400).rounded(.down)) + 3) % 7
        return day.adding(days: -(weekday < 0 ? weekday + 7 : weekday))
    }
}
