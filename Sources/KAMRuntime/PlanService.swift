import Foundation
import KAMCore
import KAMStore

/// The day's work across a user's clients, ranked (`DailyPlanner`), with an optional brief written by
/// `plan.daily-review`.
public struct PlanService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// The ranked items and, when asked, the model's brief.
    public struct Plan: Sendable, Encodable {
        public var day: Date
        /// How many clients were planned (those the user owns).
        public var clients: Int
        public var items: [PlanItem]
        public var review: DailyReviewPlan?
    }

    /// Plans `day` (today when nil, planned as of 09:00) for the clients `user` owns (every client for an
    /// anonymous user).
    ///
    /// - Parameter narrative: also ask `plan.daily-review` for the brief (a metered model call).
    public func plan(day: Date?, limit: Int, narrative: Bool, as user: ActingUser) async throws -> Plan {
        let now = day.map { $0.addingTimeInterval(9 * 3600) } ?? runtime.now()
        let store = runtime.store
        let clients = try store.listClients().filter { user.id == nil || $0.ownerID == user.id }
        guard !clients.isEmpty else { return Plan(day: now, clients: 0, items: [], review: nil) }
        let since = now.addingTimeInterval(-30 * 86_400)
        let health = HealthRepository(store: store)
        let snapshots = try clients.compactMap { try store.snapshot(clientID: $0.id, activitiesSince: since) }
        let histories = Dictionary(
            uniqueKeysWithValues: try clients.map { ($0.id, try health.history(clientID: $0.id, limit: 2)) })
        let ids = Set(clients.map(\.id))
        let suggestions = try SuggestionRepository(store: store).pending(now: now).filter { ids.contains($0.clientID) }
        let inbound = try InboundSignalReader(store: store).signals(since: now.addingTimeInterval(-3 * 86_400))
            .filter { ids.contains($0.clientID) }
        let items = DailyPlanner(rules: runtime.configuration.rules).plan(
            snapshots: snapshots, healthHistory: histories, suggestions: suggestions, inbound: inbound, now: now,
            limit: limit)
        var review: DailyReviewPlan?
        if narrative {
            let template = try runtime.template("plan.daily-review")
            let routed = try runtime.runners.runner(forPrompt: template.id)
            let userName = try user.id.flatMap { try store.user(id: $0)?.name } ?? user.id ?? "the team"
            review = try await routed.runner.run(
                template,
                variables: [
                    "user_name": .string(userName), "today": .string(Self.isoDay(now)),
                    "portfolio": .string(DailyPlanner.portfolioText(items)),
                ], as: DailyReviewPlan.self, options: routed.options(),
                attribution: try runtime.attribution(user, clientID: nil)
            ).output
        }
        return Plan(day: now, clients: clients.count, items: items, review: review)
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    static func isoDay(_ date: Date) -> String {
        String(date.formatted(.iso8601.year().month().day()).prefix(10))
    }
}
