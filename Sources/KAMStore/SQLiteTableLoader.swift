import Foundation
import GRDB
import KAMCore

/// Writes whole tables' rows into a SQLite store, inside the transaction of `ClientStore.load`: the target of a copy
/// from PostgreSQL (`StoreCopy`).
///
/// Values are bound as they come: SQLite's column affinity converts them (a time copied as a `Double` into a REAL
/// column, a boolean as an integer 0 or 1 into an INTEGER one), and text is bound with its length, so a NUL is kept.
/// Ids are written as they were; an AUTOINCREMENT table's `sqlite_sequence` moves past them by itself.
struct SQLiteTableLoader: TableLoading {
    let db: Database
    let place: String

    func counts(_ tables: [String]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
        }
        return counts
    }

    func removeAll(from table: String) throws {
        try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier)")
    }

    func insert(table: String, columns: [String], rows: [[ColumnValue]]) throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        // `rowid` too: PostgreSQL keeps it as a column where SQLite's order by it matters (intelligence requests,
        // evaluation runs), and a rowid table takes it as its key.
        let known = Set(try ClientStore.writtenColumns(db, table) + ["rowid"])
        if let missing = columns.first(where: { !known.contains($0) }) {
            throw StoreError(
                .invalidValue,
                "\(table).\(missing) is not a column of \(place); the two stores' schemas differ: migrate both with this kam")
        }
        let statement = try db.cachedStatement(
            sql: "INSERT INTO \(table.quotedDatabaseIdentifier) (\(columns.map(\.quotedDatabaseIdentifier).joined(separator: ", "))) "
                + "VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))")
        for row in rows {
            try statement.execute(arguments: StatementArguments(row.map(Self.databaseValue)))
        }
    }

    /// Nothing to do: SQLite numbers a rowid past the largest one, and an AUTOINCREMENT table's sequence follows its
    /// inserts.
    func finish(_ tables: [String]) throws {}

    static func databaseValue(_ value: ColumnValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let integer): integer.databaseValue
        case .real(let real): real.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        }
    }
}
