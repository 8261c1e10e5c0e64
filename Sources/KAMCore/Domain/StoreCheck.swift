
/// What `kam db check` finds in a store: the database's own integrity findings (SQLite's `integrity_check`;
/// PostgreSQL's constraints not validated and indexes not valid), every row whose foreign key names a row that does
/// not exist, the rows of every table, and the migrations applied against the ones this build knows.
public struct StoreCheck: Sendable, Equatable, Codable {
    public struct TableRows: Sendable, Equatable, Codable {
        public var table: String
        public var rows: Int

        public init(table: String, rows: Int) {
            self.table = table
            self.rows = rows
        }
    }

    /// A row whose foreign key names a missing row.
    public struct Orphan: Sendable, Equatable, Codable {
        public var table: String
        public var rowID: Int64?
        public var parent: String

        public init(table: String, rowID: Int64?, parent: String) {
            self.table = table
            self.rowID = rowID
            self.parent = parent
        }

        enum CodingKeys: String, CodingKey {
            case table, parent
            case rowID = "row_id"
        }
    }

    /// The database's integrity findings; empty when it has none.
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

    public init(
        integrity: [String], orphans: [Orphan], orphanCount: Int, tables: [TableRows], appliedMigrations: Int,
        knownMigrations: Int
    ) {
        self.integrity = integrity
        self.orphans = orphans
        self.orphanCount = orphanCount
        self.tables = tables
        self.appliedMigrations = appliedMigrations
        self.knownMigrations = knownMigrations
    }
}
