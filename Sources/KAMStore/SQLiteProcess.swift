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
/// - Statement journals kept in memory up to 120 KiB (`SQLITE_CONFIG_STMTJRNL_SPILL`; SQLite's default is 64 KiB). A
///   statement that writes many rows inside a transaction (an import's multi-row `INSERT`, `ClientRecords+Batches`)
///   journals the pages it changes that were changed before, so that a failure undoes only it; past the threshold
///   that journal goes to a temporary file, and writing it was a tenth of an import's writing thread. 120 KiB keeps
///   nine in ten of those writes away (`kam-bench import csv 20000`: 101,306 `pwrite`s at 64 KiB, 39,074 at 120 KiB,
///   35,550 at 1 MiB). The memory is freed when the statement ends.
///
///   **Never 128 KiB or more.** When the journal spills, SQLite writes what it held to the file in one call, and its
///   unix VFS writes at most 128 KiB − 1 bytes a call (`seekAndWriteFd` masks the length with `0x1ffff`, a bound
///   asserted only in debug builds): a larger journal then fails its statement with `SQLITE_FULL`, "database or disk
///   is full", on a disk with room. When this was 1 MiB (from 1a42470), every statement journaling more than 1 MiB
///   failed so: an import with a page cache of 2 MB or more, rebuilding its deferred indexes at 50,000 rows, for one
///   (`StatementJournalSpillTests`; SQLite 3.40.1).
public enum SQLiteProcess {
    /// The statement journal's size in memory before it spills to a file: under 128 KiB (see above).
    static let statementJournalBytes: Int32 = 120 << 10

    /// Whether the settings took effect: false when SQLite had initialized before (a connection was opened first).
    private static let configured: Bool =
        kam_sqlite_disable_memory_statistics() == SQLITE_OK
        && kam_sqlite_set_statement_journal_spill(statementJournalBytes) == SQLITE_OK

    /// Applies the settings once a process, unless a connection opened before: whether they are in effect.
    @discardableResult
    public static func configure() -> Bool { configured }

    /// The bytes SQLite counts as allocated: 0 while memory statistics are off.
    static var countedBytes: Int64 { sqlite3_memory_used() }
}
