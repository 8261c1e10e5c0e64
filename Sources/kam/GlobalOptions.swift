import ArgumentParser
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (default: $KAM_DB or ./kam.sqlite).")
    var db: String?

    @Option(name: .long, help: "Who is acting, for budgets, drafts and audit (default: $KAM_USER).")
    var user: String?

    /// The database path: `--db`, then `KAM_DB`, then `./kam.sqlite`.
    var databasePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["KAM_DB"], !env.isEmpty { return env }
        return "kam.sqlite"
    }

    /// The acting user: `--user`, then `KAM_USER`.
    var userID: String? {
        if let user, !user.isEmpty { return user }
        if let env = ProcessInfo.processInfo.environment["KAM_USER"], !env.isEmpty { return env }
        return nil
    }
}
