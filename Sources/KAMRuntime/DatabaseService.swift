import Foundation
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
        return try runtime.store.check()
    }
}
