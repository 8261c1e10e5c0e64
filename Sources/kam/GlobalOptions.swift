import ArgumentParser
import Foundation
import KAMRuntime

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "SQLite database file (default: $KAM_DB; else the PostgreSQL database of $KAM_DATABASE_URL or kam.yaml's database:; else ./kam.sqlite).")
    var db: String?

    @Option(name: .long, help: "Who is acting, for budgets, drafts and audit (default: $KAM_USER).")
    var user: String?

    /// The database path: `--db`, then `KAM_DB`, then `./kam.sqlite`.
    var databasePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["KAM_DB"], !env.isEmpty { return env }
        return "kam.sqlite"
    }

    /// The database this invocation names: a SQLite file by `--db` or `KAM_DB`; nil leaves the choice to the
    /// configuration (`KAM_DATABASE_URL`, `database:`, else `./kam.sqlite`: `StorePlace.configured`).
    var database: StorePlace? {
        if let db { return .sqlite(path: db) }
        if let env = ProcessInfo.processInfo.environment["KAM_DB"], !env.isEmpty { return .sqlite(path: env) }
        return nil
    }

    /// The acting user: `--user`, then `KAM_USER`.
    var userID: String? {
        if let user, !user.isEmpty { return user }
        if let env = ProcessInfo.processInfo.environment["KAM_USER"], !env.isEmpty { return env }
        return nil
    }
}
