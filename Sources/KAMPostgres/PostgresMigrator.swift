import Logging
import PostgresNIO

/// Brings a database's KAM schema up to this build's `PostgresSchema`, or refuses it.
///
/// Everything happens in one transaction holding an advisory lock keyed by the schema's name, so two
/// processes opening a new database at once do not both create its tables: the second waits, then finds
/// the migrations applied. A database that has applied a migration id this build does not know was
/// written by a newer KAM and is refused (`.newerSchema`) before anything is changed; so is one with
/// missing migrations when `migrates` is false (`.noSchema`).
struct PostgresMigrator {
    let configuration: PostgresStoreConfiguration
    let logger: Logger
    var migrations: [PostgresMigration] = PostgresSchema.migrations

    /// The advisory lock's first key: "kam migrations" (the second is the schema name's hash).
    static let lockKey: Int32 = 0x4B41_4D01
    /// How long a process waits for another's migration of the same schema.
    static let migrationLockTimeoutSeconds = 300

    func prepare(_ connection: PostgresConnection) async throws {
        let schema = configuration.schema
        let table = PostgresSchema.migrationsTable
        try await connection.query("BEGIN", logger: logger)
        do {
            // The connection's statement timeout bounds requests, not a migration: waiting for another process's
            // migration (the lock) or running a long one is bounded by `migrationLockTimeout` instead. (Under a
            // loaded machine four processes migrating at once waited past a 30 s statement timeout.)
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            try await connection.query(
                "SET LOCAL lock_timeout = \(unescaped: "'\(Self.migrationLockTimeoutSeconds)s'")", logger: logger)
            // Collected, so that a failure to take the lock is this statement's error, not the next one's
            // "current transaction is aborted".
            _ = try await connection.query(
                "SELECT pg_advisory_xact_lock(\(Self.lockKey), hashtext(\(schema)))", logger: logger
            ).collect()
            if configuration.migrates {
                try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: logger)
                try await connection.query("SET LOCAL search_path TO \(unescaped: schema)", logger: logger)
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS \(unescaped: table) (
                        id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """, logger: logger)
            }
            let applied = try await appliedIDs(connection)
            let known = Set(migrations.map(\.id))
            let unknown = applied.filter { !known.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw PostgresStoreError(
                    .newerSchema,
                    "\(configuration.place) was written by a newer version of KAM (schema migrations "
                        + "\(unknown.joined(separator: ", ")) are unknown to this one); upgrade kam to use it, "
                        + "or point the URL at another database or ?schema=")
            }
            let missing = migrations.filter { !applied.contains($0.id) }
            if !missing.isEmpty && !configuration.migrates {
                throw PostgresStoreError(
                    .noSchema,
                    "\(configuration.place) lacks KAM's schema migrations \(missing.map(\.id).joined(separator: ", ")); "
                        + "open it once with migrations allowed, as a user who may create tables in schema '\(schema)'")
            }
            for migration in missing {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO \(unescaped: table) (id) VALUES (\(migration.id))", logger: logger)
                logger.debug("applied migration \(migration.id)", metadata: ["place": "\(configuration.place)"])
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// The ids recorded in the migrations table; empty when there is no table yet.
    private func appliedIDs(_ connection: PostgresConnection) async throws -> Set<String> {
        let exists = try await connection.query(
            "SELECT to_regclass(\(PostgresSchema.migrationsTable)) IS NOT NULL", logger: logger
        ).collect()
        guard try exists.first?.decode(Bool.self) == true else { return [] }
        var ids: Set<String> = []
        for try await id in try await connection.query(
            "SELECT id FROM \(unescaped: PostgresSchema.migrationsTable)", logger: logger
        ).decode(String.self) {
            ids.insert(id)
        }
        return ids
    }
}
