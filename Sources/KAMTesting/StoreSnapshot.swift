import GRDB
import KAMStore

/// Every row of every table of a store, as text: two snapshots are equal exactly when no row was added,
/// removed or changed. The isolation matrix compares one taken before and after a refused write.
public struct StoreSnapshot: Sendable, Equatable {
    /// Table name → its rows, each row's columns as text, sorted.
    public var tables: [String: [String]]

    /// Reads every table of `store` (not SQLite's own, nor the migration record).
    public init(_ store: ClientStore) throws {
        tables = try store.writer.read { db in
            let names = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
            var tables: [String: [String]] = [:]
            for name in names {
                tables[name] = try Row.fetchAll(db, sql: "SELECT * FROM \(name.quotedDatabaseIdentifier)")
                    .map(\.description).sorted()
            }
            return tables
        }
    }

    /// The tables whose rows differ from `other`'s, by name.
    public func changedTables(since other: StoreSnapshot) -> [String] {
        Set(tables.keys).union(other.tables.keys).filter { tables[$0] != other.tables[$0] }.sorted()
    }
}
