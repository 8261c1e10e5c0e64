import ArgumentParser
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (default: $KAM_DB or ./kam.sqlite).")
    var db: String?

    /// The database path: `--db`, then `KAM_DB`, then `./kam.sqlite`.
    var databasePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["KAM_DB"], !env.isEmpty { return env }
        return "kam.sqlite"
    }
}
