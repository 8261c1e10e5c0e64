/// One versioned schema change of the PostgreSQL store.
///
/// Its `id` is the id of the SQLite migration that made the same change (`KAMSchema.migrations` in
/// KAMStore): the two stores share one list of versions, and the PostgreSQL list is that list's
/// subsequence for the tables PostgreSQL holds so far (`PostgresSchemaTests` checks it). A released
/// migration is never edited; add one instead.
public struct PostgresMigration: Sendable {
    public var id: String
    /// The statements, run in order in the migration's transaction (the extended protocol takes one at a time).
    public var statements: [String]

    public init(_ id: String, _ statements: [String]) {
        self.id = id
        self.statements = statements
    }
}
