import Foundation

/// What the analytics aggregate, read as small facts with the owner of each record's client, so the runtime can keep
/// only what the caller's scope covers before counting: `KAMStore.AnalyticsRepository` on SQLite,
/// `KAMPostgres.PostgresAnalyticsStore` on PostgreSQL; `AnalyticsService` and `TeamAnalysisService` reach it through
/// `Runtime.analyticsReader`.
///
/// Reads only. Every call reads one consistent state of the store (one read transaction), so the parts of a day's
/// facts agree. Times are compared as Unix seconds, every range `from` included and `to` excluded; the order of the
/// facts returned is not part of the contract (the callers count them).
///
/// For example:
/// ```swift
/// let facts = try runtime.analyticsReader.dailyFacts(day: AnalyticsDay(containing: now).previous)
/// let week = try runtime.analyticsReader.drafts(decidedFrom: monday, to: monday.addingTimeInterval(7 * 86_400))
/// ```
public protocol AnalyticsReading: Sendable {
    /// Every draft approved (as written, edited, or since sent) at or after `since` (all when nil), by its approval.
    func approvals(since: Date?) throws -> [AnalyticsApprovalFact]

    /// Every draft created at or after `since` (all when nil).
    func drafts(since: Date?) throws -> [AnalyticsDraftFact]

    /// The drafts decided (approved, edited and approved, rejected; a sent one by its approval) at or after `from`
    /// and before `to`, by the time of that decision, whenever they were written: what a week's analysis counts.
    func drafts(decidedFrom from: Date, to: Date) throws -> [AnalyticsDraftFact]

    /// Every suggestion created at or after `since` (all when nil), with its origin and dismissal kind.
    func suggestions(since: Date?) throws -> [AnalyticsSuggestionFact]

    /// Each acceptance and dismissal of a suggestion at or after `from` and before `to`, by the time of that
    /// decision (its `suggestion.accepted` or `suggestion.dismissed` event), whenever the suggestion was made.
    func suggestionDecisions(from: Date, to: Date) throws -> [AnalyticsSuggestionFact]

    /// The ids of the clients owned by any of `ownerIDs`.
    func clientIDs(ownedBy ownerIDs: Set<String>) throws -> Set<String>

    /// Each of kam.yaml's custom metrics as the entities stand now, one row an owner (the record's client's, "" for
    /// none), for `day`: the records counted, or the field summed; an average as its sum and its count
    /// (`CustomMetric.storedNames`). A metric naming a field its entity does not allow is skipped.
    func customRows(_ metrics: [CustomMetric], day: AnalyticsDay) throws -> [SnapshotRow]

    /// What `SnapshotCalculator` needs to snapshot `day` (but the model calls, read from the `CallLog`). `until`
    /// ends the day early, that instant included (today's figures so far).
    func dailyFacts(day: AnalyticsDay, until: Date?) throws -> DailyFacts
}

extension AnalyticsReading {
    /// The facts of the whole of `day`.
    public func dailyFacts(day: AnalyticsDay) throws -> DailyFacts {
        try dailyFacts(day: day, until: nil)
    }
}
