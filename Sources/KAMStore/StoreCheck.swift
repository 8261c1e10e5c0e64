import Foundation
import GRDB

/// What `kam db check` finds in a store: SQLite's own integrity check, every row whose foreign key names a row
/// that does not exist, the rows of every table, and the migrations applied against the ones this build knows.
public struct StoreCheck: Sendable, Equatable, Codable {
    public struct TableRows: Sendable, Equatable, Codable {
        public var table: String
        public var rows: Int
    }

    /// A row whose foreign key names a missing row.
    public struct Orphan: Sendable, Equatable, Codable {
        public var table: String
        public var rowID: Int64?
        public var parent: String

        enum CodingKeys: String, CodingKey {
            case table, parent
            case rowID = "row_id"
        }
    }

    /// `PRAGMA integrity_check`'s findings; empty when it says `ok`.
    public var integrity: [String]
    /// The first `orphanLimit` rows with a dangling foreign key, and how many there are in all.
    public var orphans: [Orphan]
    public var orphanCount: Int
    public var tables: [TableRows]
    public var appliedMigrations: Int
    public var knownMigrations: Int

    public static let orphanLimit = 100

    enum CodingKeys: String, CodingKey {
        case integrity, orphans, tables
        case orphanCount = "orphan_count"
        case appliedMigrations = "applied_migrations"
        case knownMigrations = "known_migrations"
    }

    /// Whether the store is whole: no integrity finding and no orphan.
    public var isHealthy: Bool { integrity.isEmpty && orphanCount == 0 }

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
