import GRDB
import KAMCore

extension ClientStore {
    /// Reads whole tables, every column of every row as stored, in one read transaction: the source of a copy into
    /// another store (`MemoryCopy`).
    ///
    /// Each table's rows come in batches of at most `batchSize`, in `rowid` order (pages by `rowid`, each copied
    /// with `fetchAll`: a cursor would read text only up to a NUL). Tables must be ordinary rowid tables of plain
    /// columns (no generated ones).
    ///
    /// - Parameter body: called with a table's name, its column names and a batch of its rows.
    /// - Returns: how many rows each table holds, counted in the same transaction.
    public func readTables(
        _ tables: [String], batchSize: Int = 2_000,
        _ body: (_ table: String, _ columns: [String], _ rows: [[ColumnValue]]) throws -> Void
    ) throws -> [String: Int] {
        try writer.read { db in
            var counts: [String: Int] = [:]
            for table in tables {
                let quoted = table.quotedDatabaseIdentifier
                let columns = try db.columns(in: table).map(\.name)
                let statement = try db.makeStatement(
                    sql: "SELECT rowid, \(columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")) FROM \(quoted) "
                        + "WHERE rowid > ? ORDER BY rowid LIMIT ?")
                var after = Int64.min
                while true {
                    let rows = try Row.fetchAll(statement, arguments: [after, batchSize])
                    guard let last = rows.last else { break }
                    after = last[0]
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
