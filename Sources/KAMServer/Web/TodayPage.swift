import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// Today: the user's stored daily plan with its completion, the top open suggestions, the drafts waiting for review
/// and the inbox.
struct TodayPage: Encodable, Sendable {
    struct PlanItem: Encodable, Sendable {
        var id: Int64
        var clientID: String
        var clientName: String
        var title: String
        var reason: String
        var talkingPoint: String
        var winProbability: String?
        var done: Bool
        var doneNote: String?
    }

    var planDay: String?
    var planMissing: String?
    var planDone: Int
    var planTotal: Int
    var planItems: [PlanItem]
    var suggestions: [WebRows.SuggestionRow]
    var drafts: [WebRows.DraftRow]
    var inbox: [WebRows.NotificationRow]
    var unread: Int

    static func make(_ runtime: Runtime, as user: ActingUser) async throws -> TodayPage {
        let now = runtime.now()
        var plan: StoredPlan?
        var missing: String?
        do {
            plan = try await runtime.plans.today(as: user)
        } catch let error as RuntimeError where error.kind == .notFound {
            missing = error.message
        }
        let suggestions = try runtime.suggestions.page(
            SuggestionFilter(status: .pending), PageRequest(limit: 10), as: user)
        let drafts = try runtime.drafts.page(DraftFilter(status: .pending), PageRequest(limit: 10), as: user)
        let inbox = try runtime.inbox.list(limit: 20, as: user)
        return TodayPage(
            planDay: plan?.day, planMissing: missing, planDone: plan?.done ?? 0, planTotal: plan?.items.count ?? 0,
            planItems: (plan?.items ?? []).map { stored in
                PlanItem(
                    id: stored.id, clientID: stored.item.clientID, clientName: stored.item.clientName, title: stored.item.title,
                    reason: stored.item.reason, talkingPoint: stored.item.talkingPoint,
                    winProbability: stored.item.winProbability.map(WebFormat.percent), done: stored.doneAt != nil,
                    doneNote: stored.doneAt.map { "done \(WebFormat.time($0))" + (stored.doneBy.map { " by \($0)" } ?? "") })
            },
            suggestions: suggestions.items.map { WebRows.SuggestionRow($0, now: now) },
            drafts: drafts.items.map(WebRows.DraftRow.init), inbox: inbox.map(WebRows.NotificationRow.init),
            unread: inbox.count { $0.readAt == nil })
    }
}
