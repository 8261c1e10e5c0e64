import Foundation
import GRDB
import KAMCore

extension ClientStore: TableSource, TableSink {
    /// The file's path, or "an in-memory store".
    public var place: String { path ?? "an in-memory store" }

    /// Every table of the schema but SQLite's and GRDB's own (`sqlite_sequence`, `grdb_migrations`).
    public func tableNames() throws -> Set<String> {
        try writer.read { db in Set(try Self.dataTables(db)) }
    }

    public func tableParents() throws -> [String: Set<String>] {
        try writer.read { db in
            var parents: [String: Set<String>] = [:]
            for table in try Self.dataTables(db) {
                parents[table] = Set(
                    try String.fetchAll(db, sql: "SELECT \"table\" FROM pragma_foreign_key_list(?)", arguments: [table]))
            }
            return parents
        }
    }

    private static func dataTables(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'grdb_migrations' ORDER BY name")
    }

    /// Reads whole tables, every column of every row as stored, in one read transaction: the source of a copy into
    /// another store (`StoreCopy`).
    ///
    /// Each table's rows come in batches of at most `batchSize`, in `rowid` order, or a WITHOUT ROWID table's in its
    /// key's order (pages by key, each copied with `fetchAll`: a cursor would read text only up to a NUL). Generated columns (`drafts.created_by`) are left
    /// out: the target computes its own.
    ///
    /// - Parameter body: called with a table's name, its column names and a batch of its rows.
    /// - Returns: how many rows each table holds, counted in the same transaction.
    public func readTables(
        _ tables: [String], _ body: (_ table: String, _ columns: [String], _ rows: [[ColumnValue]]) throws -> Void
    ) throws -> [String: Int] {
        try readTables(tables, batchSize: 2_000, body)
    }

    /// `readTables(_:_:)` with batches of `batchSize` rows.
    public func readTables(
        _ tables: [String], batchSize: Int,
        _ body: (_ table: String, _ columns: [String], _ rows: [[ColumnValue]]) throws -> Void
    ) throws -> [String: Int] {
        try writer.read { db in
            var counts: [String: Int] = [:]
            for table in tables {
                let quoted = table.quotedDatabaseIdentifier
                let columns = try Self.writtenColumns(db, table)
                let selected = columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
                // Pages by rowid; a WITHOUT ROWID table (analytics_snapshots) by its primary key, compared as a row value.
                let key = try Self.withoutRowIDKey(db, table)
                let keyList = key.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
                let keyPositions = key.compactMap { columns.firstIndex(of: $0) }
                let first = try db.makeStatement(
                    sql: key.isEmpty
                        ? "SELECT rowid, \(selected) FROM \(quoted) ORDER BY rowid LIMIT ?"
                        : "SELECT 0, \(selected) FROM \(quoted) ORDER BY \(keyList) LIMIT ?")
                let next = try db.makeStatement(
                    sql: key.isEmpty
                        ? "SELECT rowid, \(selected) FROM \(quoted) WHERE rowid > ? ORDER BY rowid LIMIT ?"
                        : "SELECT 0, \(selected) FROM \(quoted) WHERE (\(keyList)) > (\(key.map { _ in "?" }.joined(separator: ", "))) "
                            + "ORDER BY \(keyList) LIMIT ?")
                var after: [DatabaseValue]?
                while true {
                    let rows = try after.map { try Row.fetchAll(next, arguments: StatementArguments($0 + [batchSize.databaseValue])) }
                        ?? Row.fetchAll(first, arguments: [batchSize])
                    guard let last = rows.last else { break }
                    after = key.isEmpty ? [last[0] as DatabaseValue] : keyPositions.map { last[$0 + 1] as DatabaseValue }
                    try body(
                        table, columns,
                        rows.map { row in (1...columns.count).map { Self.columnValue(row[$0] as DatabaseValue) } })
                    if rows.count < batchSize { break }
                }
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(quoted)") ?? 0
            }
            return counts
        }
    }

    /// The primary key's columns of a WITHOUT ROWID table, in the key's order; empty for a rowid table.
    private static func withoutRowIDKey(_ db: Database, _ table: String) throws -> [String] {
        let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) ?? ""
        guard sql.range(of: "WITHOUT ROWID", options: .caseInsensitive) != nil else { return [] }
        return try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", arguments: [table])
    }

    /// The columns of `table` a row is written with: not the generated ones (`hidden` 2 and 3 in `table_xinfo`).
    static func writtenColumns(_ db: Database, _ table: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid", arguments: [table])
    }

    /// One write transaction with its foreign keys checked at the commit (`PRAGMA defer_foreign_keys`), so a table's
    /// rows may name rows of their own table further on.
    public func load<T>(_ body: (any TableLoading) throws -> T) throws -> T {
        try writer.write { db in
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            return try body(SQLiteTableLoader(db: db, place: place))
        }
    }

    static func columnValue(_ value: DatabaseValue) -> ColumnValue {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .integer(integer)
        case .double(let real): .real(real)
        case .string(let text): .text(text)
        case .blob(let data): .blob([UInt8](data))
        }
    }
}
