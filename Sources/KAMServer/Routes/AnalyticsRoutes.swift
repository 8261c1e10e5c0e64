import Foundation
import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// Analytics for managers (their team's data) and admins (everything); a member gets 403 `auth.role`.
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
    }
}

/// Body of `GET /analytics/cost`: the grouping and one line per group.
struct AnalyticsCost: Encodable, Sendable {
    var by: String
    var items: [UsageService.Line]
}
