import GRDB
import KAMCore

extension ClientStore {
    /// Checks the whole store (`StoreCheck`) in one read transaction.
    public func check() throws -> StoreCheck {
        try writer.read { db in try StoreCheck.run(db, knownMigrations: KAMSchema.migrations.count) }
    }
}

extension StoreCheck {
    /// SQLite's check: `PRAGMA integrity_check`, `PRAGMA foreign_key_check`, every table's rows, `grdb_migrations`.
    static func run(_ db: Database, knownMigrations: Int) throws -> StoreCheck {
        let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        var orphans: [Orphan] = []
        var orphanCount = 0
        for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
            orphanCount += 1
            if orphans.count < orphanLimit { orphans.append(Orphan(table: row[0], rowID: row[1], parent: row[2])) }
        }
        let names = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        let tables = try names.map { name in
            TableRows(table: name, rows: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(name)\"") ?? 0)
        }
        let applied = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") ?? 0
        return StoreCheck(
            integrity: integrity, orphans: orphans, orphanCount: orphanCount, tables: tables, appliedMigrations: applied,
            knownMigrations: knownMigrations)
    }
}
