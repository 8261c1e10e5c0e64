import Foundation

/// The daily analytics snapshots (`analytics_snapshots`, `analytics_snapshot_days`): `KAMStore.SnapshotRepository` on
/// SQLite, `KAMPostgres.PostgresSnapshotStore` on PostgreSQL; `AnalyticsService` reaches them through
/// `Runtime.snapshotStore`.
///
/// Every implementation holds across processes sharing its database: a day is replaced whole, so of two processes
/// taking the same day at once, the day ends with exactly one of their row sets (never both, never a mix). Rows come
/// back in their key's order (metric, then day or owner, then dimension), summed in the same way by both.
///
/// For example:
/// ```swift
/// try snapshots.replace(day: today, with: rows, takenAt: now)
/// let trend = try snapshots.dailySums(of: ["drafts.approved"], from: today.adding(days: -29), to: today, owners: nil)
/// ```
public protocol SnapshotStoring: Sendable {
    /// Replaces every row of `day` with those of `rows` on that day and marks the day taken, in one transaction.
    /// - Returns: the rows the day held before.
    @discardableResult
    func replace(day: AnalyticsDay, with rows: [SnapshotRow], takenAt: Date) throws -> Int

    /// The days taken from `from` to `to` (both included), ascending.
    func days(from: AnalyticsDay, to: AnalyticsDay) throws -> [AnalyticsDay]

    /// The rows of `metrics` from `from` to `to` (both included) of the owners in `owners` (every owner when nil),
    /// summed over those owners: one row a metric, day and dimension, its `owner` "", by metric, day, dimension.
    func dailySums(of metrics: [String], from: AnalyticsDay, to: AnalyticsDay, owners: Set<String>?) throws
        -> [SnapshotRow]

    /// The rows of `metrics` from `from` to `to` summed over those days: one row a metric, owner and dimension, its
    /// `day` `to`, by metric, owner, dimension.
    func ownerSums(of metrics: [String], from: AnalyticsDay, to: AnalyticsDay, owners: Set<String>?) throws
        -> [SnapshotRow]

    /// The rows of `day` itself, one an owner, by metric, dimension, owner.
    func rows(of metrics: [String], on day: AnalyticsDay, owners: Set<String>?) throws -> [SnapshotRow]
}
