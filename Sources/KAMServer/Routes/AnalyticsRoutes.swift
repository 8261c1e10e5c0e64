import Foundation
import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// Analytics for managers (their team's data) and admins (everything); a member gets 403 `auth.role`, except from
    /// the snapshot figures (overview, trends), which count each owner's own and show a member theirs.
    func addAnalyticsRoutes(_ routes: RouteTable) {
        routes.get("/analytics/drafts") { request, context in
            try JSONResponse.make(
                try runtime.analytics.drafts(since: try request.dateQuery("since"), as: context.user))
        }
        routes.get("/analytics/suggestions") { request, context in
            try JSONResponse.make([
                "items": try runtime.analytics.suggestions(
                    since: try request.dateQuery("since"), as: context.user)
            ])
        }
        routes.get("/analytics/suggestions/rules") { request, context in
            try JSONResponse.make([
                "items": try runtime.analytics.suggestionsByRule(since: try request.dateQuery("since"), as: context.user)
            ])
        }
        routes.get("/analytics/cost") { request, context in
            let grouping = try request.query("by", as: UsageQuery.Grouping.self) ?? .day
            let lines = try await runtime.analytics.cost(
                by: grouping, since: try request.dateQuery("since"), as: context.user)
            return try JSONResponse.make(AnalyticsCost(by: grouping.rawValue, items: lines))
        }
        routes.get("/analytics/time-saved") { request, context in
            try JSONResponse.make(
                try runtime.analytics.timeSaved(since: try request.dateQuery("since"), as: context.user))
        }
        routes.get("/analytics/experiments") { _, context in
            try JSONResponse.make(["items": try runtime.analytics.experiments(as: context.user)])
        }
        routes.get("/analytics/overview") { request, context in
            let days = try request.number("days", in: 1...366, expecting: "a whole number of days from 1 to 366")
            return try JSONResponse.make(try await runtime.analytics.overview(days: days ?? 7, as: context.user))
        }
        routes.get("/analytics/dashboards/:name") { request, context in
            let dashboard: Dashboard = try Request.value(try context.parameters.require("name"), of: Dashboard.self, field: "name")
            let since = try request.dateQuery("since").map(AnalyticsDay.init(containing:))
            return try JSONResponse.make(try runtime.analytics.dashboard(dashboard, since: since, as: context.user))
        }
        routes.get("/analytics/trends") { request, context in
            guard let metric = request.query("metric") else {
                throw APIError(
                    .badRequest, code: "request.metric", message: "give the metric: ?metric=deals.won (`kam analytics metrics`)",
                    field: "metric")
            }
            guard let since = try request.dateQuery("since") else {
                throw APIError(.badRequest, code: "request.since", message: "give the first day: ?since=2026-01-01", field: "since")
            }
            let grouping = try request.query("by", as: TrendGrouping.self) ?? .week
            return try JSONResponse.make(
                try runtime.analytics.trends(
                    metric: metric, since: AnalyticsDay(containing: since), by: grouping, as: context.user))
        }
    }
}

/// Body of `GET /analytics/cost`: the grouping and one line per group.
struct AnalyticsCost: Encodable, Sendable {
    var by: String
    var items: [UsageService.Line]
}
