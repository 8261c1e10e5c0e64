import Foundation
import KAMCore
import KAMStore

/// The day's work across a user's clients, ranked (`DailyPlanner`), with an optional brief written by
/// `plan.daily-review`: computed on demand (`plan`), or written each morning by the daily review and stored
/// (`review`, `stored`), its items done as the events that complete them arrive (`PlanProgress`) or by hand
/// (`markDone`).
public struct PlanService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any DailyPlanStoring { runtime.dailyPlans }

    /// How many items the daily review stores.
    public static let reviewLimit = 20

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
        let (clients, items) = try rank(at: now, limit: limit, for: user)
        guard clients > 0 else { return Plan(day: now, clients: 0, items: [], review: nil) }
        let review = narrative ? try await brief(items, today: Self.isoDay(now), for: user) : nil
        return Plan(day: now, clients: clients, items: items, review: review)
    }

    /// The daily review of `userID` at `now` (the job's slot) in `zone`: their plan for that day, stored with the
    /// model's brief when a model provider is configured for `plan.daily-review`, else the planner's items alone
    /// and a note saying so. A plan already stored for the day is kept (a review run again writes nothing).
    /// - Returns: the stored plan, and whether this call wrote it.
    public func review(userID: String, in zone: TimeZone, at now: Date) async throws -> (plan: StoredPlan, created: Bool) {
        let day = Self.localDay(now, in: zone)
        if let stored = try repository.plan(userID: userID, day: day) { return (stored, false) }
        let user = ActingUser(userID)
        let (clients, items) = try rank(at: now, limit: Self.reviewLimit, for: user)
        var brief: DailyReviewPlan?
        var note: String?
        if items.isEmpty {
            note = "nothing to plan: no overdue task, stuck deal, health drop, urgent email or suggestion"
        } else if try !runtime.runners.hasModelProvider(forPrompt: "plan.daily-review") {
            note = "no model provider is configured for plan.daily-review (kam.yaml): the planner's items alone"
        } else {
            do {
                brief = try await self.brief(items, today: day, for: user)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                note = "plan.daily-review failed (\(error)): the planner's items alone"
            }
        }
        return try repository.save(
            NewDailyPlan(
                userID: userID, day: day, timeZone: zone.identifier, createdAt: runtime.now(), clients: clients, items: items,
                brief: brief, briefNote: note))
    }

    /// `user`'s stored plan for today in their time zone (or for `day`, YYYY-MM-DD), with every event so far applied
    /// to its items; nil when the daily review has not written one.
    public func stored(day: String? = nil, as user: ActingUser) async throws -> StoredPlan? {
        guard let userID = user.id else { return nil }
        _ = try await runtime.events.drain(PlanProgress(runtime: runtime))
        let zone = try runtime.users.timeZone(of: userID)
        return try repository.plan(userID: userID, day: day ?? Self.localDay(runtime.now(), in: zone))
    }

    /// `user`'s stored plan for today (`GET /plan/today`).
    /// - Throws: `RuntimeError` `.notFound` (`plan.not-stored`) when the daily review has not written it (or for a
    ///   local run without a user).
    public func today(as user: ActingUser) async throws -> StoredPlan {
        guard let plan = try await stored(as: user) else {
            throw RuntimeError(
                .notFound, code: "plan.not-stored",
                "no plan is stored for \(user.id ?? "a local run") today: the daily review writes one at 08:00 in the user's time zone (`kam jobs run daily-review`); GET /plan ranks the work now")
        }
        return plan
    }

    /// Marks item `itemID` of `user`'s stored plan done by hand.
    /// - Returns: the item, and whether this call marked it (false: it was done already).
    /// - Throws: `RuntimeError` `.notFound` (`plan.item-not-found`) for an item of nobody's plan or of another
    ///   user's (an admin, or a local run without `--user`, may mark any).
    public func markDone(itemID: Int64, as user: ActingUser) throws -> (item: StoredPlanItem, marked: Bool) {
        try change(itemID, as: user) { try repository.markDone(itemID: itemID, at: runtime.now(), by: user.id) }
    }

    /// Marks item `itemID` of `user`'s stored plan not done again (undoes a done by mistake).
    /// - Returns: the item, and whether this call reopened it (false: it was not done).
    /// - Throws: as `markDone`.
    public func reopen(itemID: Int64, as user: ActingUser) throws -> (item: StoredPlanItem, changed: Bool) {
        let result = try change(itemID, as: user) { try repository.reopen(itemID: itemID, at: runtime.now(), by: user.id) }
        return (result.item, result.marked)
    }

    /// Makes `write` on an item of `user`'s own plans (an admin's or a local run's: any); the item after it.
    private func change(_ itemID: Int64, as user: ActingUser, _ write: () throws -> Bool) throws -> (item: StoredPlanItem, marked: Bool) {
        guard let found = try repository.item(id: itemID),
            try user.id == found.userID || runtime.scope(for: user).isEverything
        else {
            throw RuntimeError(
                .notFound, code: "plan.item-not-found",
                "no item \(itemID) in your stored plans; `kam plan` lists today's items with their numbers")
        }
        let changed = try write()
        guard let item = try repository.item(id: itemID)?.item else { return (found.item, false) }
        return (item, changed)
    }

    /// Applies the events not yet applied to the stored plans' items (`PlanProgress`); `kam serve` calls it each pass.
    /// - Returns: how many events were read.
    @discardableResult
    public func catchUp() async throws -> Int {
        try await runtime.events.drain(PlanProgress(runtime: runtime))
    }

    /// The clients `user` owns (every client for an anonymous user) and their ranked items as of `now`.
    private func rank(at now: Date, limit: Int, for user: ActingUser) throws -> (clients: Int, items: [PlanItem]) {
        let store = runtime.clientMemory
        let clients = try store.listClients().filter { user.id == nil || $0.ownerID == user.id }
        guard !clients.isEmpty else { return (0, []) }
        let since = now.addingTimeInterval(-30 * 86_400)
        let health = runtime.healthStore
        let snapshots = try clients.compactMap { try store.snapshot(clientID: $0.id, activitiesSince: since) }
        let histories = Dictionary(
            uniqueKeysWithValues: try clients.map { ($0.id, try health.history(clientID: $0.id, limit: 2)) })
        let ids = Set(clients.map(\.id))
        let suggestions = try runtime.suggestionStore.pending(now: now).filter { ids.contains($0.clientID) }
        let inbound = try runtime.inboundEmails.inboundSignals(since: now.addingTimeInterval(-3 * 86_400))
            .filter { ids.contains($0.clientID) }
        let items = DailyPlanner(rules: runtime.configuration.rules).plan(
            snapshots: snapshots, healthHistory: histories, suggestions: suggestions, inbound: inbound, now: now,
            limit: limit)
        return (clients.count, items)
    }

    /// The brief of `plan.daily-review` over `items` (a metered model call).
    private func brief(_ items: [PlanItem], today: String, for user: ActingUser) async throws -> DailyReviewPlan {
        let template = try runtime.template("plan.daily-review")
        let routed = try runtime.runners.runner(forPrompt: template.id)
        let userName = try user.id.flatMap { try runtime.clientMemory.user(id: $0)?.name } ?? user.id ?? "the team"
        return try await routed.runner.run(
            template,
            variables: [
                "user_name": .string(userName), "today": .string(today),
                "portfolio": .string(DailyPlanner.portfolioText(items)),
            ], as: DailyReviewPlan.self, options: routed.options(),
            attribution: try runtime.attribution(user, clientID: nil)
        ).output
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    static func isoDay(_ date: Date) -> String {
        String(date.formatted(.iso8601.year().month().day()).prefix(10))
    }

    /// `YYYY-MM-DD` of `date` in `zone`: the day a plan is for.
    public static func localDay(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
