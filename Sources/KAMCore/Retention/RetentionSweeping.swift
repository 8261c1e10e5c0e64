import Foundation

/// Where a retention policy is applied: `RetentionRepository` on SQLite, `PostgresRetentionStore` on PostgreSQL.
///
/// Both behave alike (`RetentionStoreConformanceTests`): a sweep is one transaction, and one at a time: of two sweeps
/// at once, by two processes, one removes the old rows and the other finds none left.
///
/// For example:
/// ```swift
/// let outcome = try sweeper.apply(RetentionPolicy(draftsDays: 30), at: now)
/// print(outcome.draftsDeleted, outcome.eventsDeleted)
/// ```
public protocol RetentionSweeping: Sendable {
    /// Applies `policy` at `now` in one transaction (`RetentionPolicy` says what goes).
    func apply(_ policy: RetentionPolicy, at now: Date) throws -> RetentionPolicy.Outcome
}
