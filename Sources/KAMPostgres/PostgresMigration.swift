/// One versioned schema change of the PostgreSQL store.
///
/// Its `id` is the id of the SQLite migration that made the same change (`KAMSchema.migrations` in
/// KAMStore), so the two stores share one list of versions: those ids come in the SQLite list's order
/// (`PostgresStoreTests` checks it). A table that moves to PostgreSQL after others comes with a *catch-up*
/// migration, `postgres-<feature>-vN`, which creates it in the state SQLite's migrations have left it (its
/// comment names them): its SQLite migrations came before ones PostgreSQL already has, so their ids cannot
/// keep the order. A later change to such a table takes the id of the SQLite migration that makes it. A
/// released migration is never edited; add one instead.
public struct PostgresMigration: Sendable {
    public var id: String
    /// The statements, run in order in the migration's transaction (the extended protocol takes one at a time).
    public var statements: [String]

    public init(_ id: String, _ statements: [String]) {
        self.id = id
        self.statements = statements
    }
}
