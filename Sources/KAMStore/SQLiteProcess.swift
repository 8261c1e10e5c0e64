import CSQLiteSettings
internal import GRDBSQLite

/// SQLite's settings for the whole process. SQLite reads them once, when it initializes: `ClientStore.open` and
/// `ClientStore.inMemory` apply them before their connection opens, and a host application that opens SQLite
/// connections of its own calls `configure()` before its first.
///
/// - Memory statistics off (`SQLITE_CONFIG_MEMSTATUS`; on SQLite's list of recommended options as
///   `SQLITE_DEFAULT_MEMSTATUS=0`, but Debian's library is built with them on). With them on, each allocation SQLite
///   makes takes a process-wide mutex to count itself: 15% of SQLite's own work for a CSV import's inserts
///   (`tools/import-floor`, BENCHMARKS.md "CSV import"). Neither KAM nor GRDB reads what they feed
///   (`sqlite3_memory_used`, `sqlite3_status64`, a soft heap limit).
public enum SQLiteProcess {
    /// Whether the settings took effect: false when SQLite had initialized before (a connection was opened first).
    private static let configured: Bool = kam_sqlite_disable_memory_statistics() == SQLITE_OK

    /// Applies the settings once a process, unless a connection opened before: whether they are in effect.
    @discardableResult
    public static func configure() -> Bool { configured }

    /// The bytes SQLite counts as allocated: 0 while memory statistics are off.
    static var countedBytes: Int64 { sqlite3_memory_used() }
}
