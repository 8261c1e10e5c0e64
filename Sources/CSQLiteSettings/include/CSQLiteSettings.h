#ifndef KAM_CSQLITESETTINGS_H
#define KAM_CSQLITESETTINGS_H

/// Turns off SQLite's memory statistics for the whole process (`sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0)`), which
/// Swift cannot call itself: `sqlite3_config` is variadic. Returns SQLITE_OK (0), or SQLITE_MISUSE (21) when SQLite
/// was already initialized (a connection was opened before): the setting then stays as it was.
int kam_sqlite_disable_memory_statistics(void);

/// Keeps a statement journal in memory up to `bytes` before SQLite spills it to a temporary file
/// (`sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes)`; SQLite's default is 64 KiB). Keep `bytes` under 128 KiB:
/// the unix VFS writes a spilled journal in one call of at most 128 KiB - 1 bytes, and a larger one fails with
/// SQLITE_FULL (`SQLiteProcess`). Returns as `kam_sqlite_disable_memory_statistics` does.
int kam_sqlite_set_statement_journal_spill(int bytes);

#endif
