import Foundation

/// Where the daily plans are kept (`daily_plans`, `daily_plan_items`): one a user and day, written by the daily
/// review, its items marked done by the events that complete them or by hand. `KAMStore.DailyPlanRepository` keeps
/// them in SQLite, `KAMPostgres.PostgresDailyPlanStore` in PostgreSQL; both pass `PlanStoreConformanceTests`.
public protocol DailyPlanStoring: Sendable {
    /// Stores `plan` with its items and its `plan.stored` event in one transaction, unless the user already has a plan
    /// for that day (a review run again, after its first runner died): then the stored one is kept and returned.
    /// - Returns: the stored plan, and whether this call wrote it.
    func save(_ plan: NewDailyPlan) throws -> (plan: StoredPlan, created: Bool)
    /// `userID`'s plan for `day` (YYYY-MM-DD in their zone), if the daily review wrote one.
    func plan(userID: String, day: String) throws -> StoredPlan?
    /// The item with id `id` and the user whose plan holds it.
    func item(id: Int64) throws -> (item: StoredPlanItem, userID: String)?
    /// Marks item `itemID` done by hand by `userID` at `at`, unless it is done already; with its `plan.item-done` event.
    /// - Returns: whether this call marked it.
    @discardableResult
    func markDone(itemID: Int64, at: Date, by userID: String?) throws -> Bool
    /// Marks item `itemID` not done again, with its `plan.item-reopened` event.
    /// - Returns: whether this call reopened it (false: it was not done).
    @discardableResult
    func reopen(itemID: Int64, at: Date, by userID: String?) throws -> Bool
    /// Marks done every open item about `target` (`task:40`) in a plan written before `happenedAt`: what event
    /// `eventID` (of `kind`) completes; each with its `plan.item-done` event. An event handled again marks nothing.
    /// - Returns: how many items this call marked.
    @discardableResult
    func markDone(target: String, happenedAt: Date, byEvent eventID: Int64, kind: String) throws -> Int
    /// Done and all items of each user's plans for the days in `days` (YYYY-MM-DD), by user.
    func completion(days: ClosedRange<String>) throws -> [String: (done: Int, total: Int)]
}
