import Foundation
import KAMCore
import KAMStore

/// The store as a whole: `kam db check`.
public struct DatabaseService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// SQLite's integrity check, the rows with a dangling foreign key, every table's rows and the migrations applied
    /// (`StoreCheck`). An admin's (or a local run's): it reads every table.
    /// - Throws: `RoleRefusal` for a manager or member; `StoreError` when the store cannot be read.
    public func check(as user: ActingUser) throws -> StoreCheck {
        try runtime.requireAdmin(user, for: "checking the database")
        return try runtime.storage.check()
    }

    /// Where the budget and usage ledgers are kept apart from the store (`budgets.ledger`), and what they hold
    /// there; nil when they are in the store's file (its tables are in `check`). An admin's, like `check`.
    public func ledger(as user: ActingUser) async throws -> (place: String, counts: LedgerCounts)? {
        try runtime.requireAdmin(user, for: "checking the database")
        guard let database = runtime.ledgerDatabase else { return nil }
        return (
            database.configuration.labelledURL,
            try await LedgerCounts.read(runtime.ledger.budgetStore, runtime.log)
        )
    }
}
