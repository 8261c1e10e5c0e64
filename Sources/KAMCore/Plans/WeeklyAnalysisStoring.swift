import Foundation

/// Where the weekly team analysis is kept (`weekly_analyses`): one report an owner and week.
/// `KAMStore.WeeklyAnalysisRepository` keeps it in SQLite, `KAMPostgres.PostgresWeeklyAnalysisStore` in PostgreSQL.
public protocol WeeklyAnalysisStoring: Sendable {
    /// Stores the week's reports in one transaction; an owner's report for a week already stored is kept (a run
    /// taken over writes nothing twice).
    /// - Returns: how many reports this call wrote.
    @discardableResult
    func save(_ reports: [OwnerWeek], now: Date) throws -> Int
    /// The reports of `week` (the latest week stored when nil), by owner.
    func reports(week: String?) throws -> [OwnerWeek]
}
