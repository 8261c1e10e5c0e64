import Foundation
import KAMCore
import KAMStore

@testable import KAMPostgres

/// Handles of each plan store over one set of data holding the users `users` (plans reference users), and a count of
/// the events of a kind in its log.
struct PlanWorld: StoreWorld {
    let database: TestDatabase
    let plans: [any DailyPlanStoring]
    let weeks: [any WeeklyAnalysisStoring]

    /// The users the plans belong to.
    static let users = ["maria", "tom"]

    static let start = Date(timeIntervalSince1970: 1_795_003_200)

    init(_ database: TestDatabase) async throws {
        self.database = database
        try await database.execute([SeedRows.users(Self.users)])
        plans = database.each(sqlite: { DailyPlanRepository(store: $0) }, postgres: { PostgresDailyPlanStore(store: $0) })
        weeks = database.each(
            sqlite: { WeeklyAnalysisRepository(store: $0) }, postgres: { PostgresWeeklyAnalysisStore(store: $0) })
    }

    /// How many events of `kind` the log holds.
    func events(_ kind: String) async throws -> Int {
        try await count("events", "kind = '\(kind)'")
    }
}
