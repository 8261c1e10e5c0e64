/// The PostgreSQL schema of KAM: every migration it has, in the order they are applied.
///
/// Extend it as `KAMSchema`: a feature's list in `PostgresSchema+<Feature>.swift`, appended below, each
/// id the same as the SQLite migration of the same change, or `postgres-<feature>-vN` for a catch-up migration
/// (`PostgresMigration`).
public enum PostgresSchema {
    public static let migrations: [PostgresMigration] = ledgerMigrations + memoryMigrations + eventMigrations
        + planMigrations + suggestionMigrations + notificationMigrations + draftMigrations + jobMigrations
        + eventCursorLeaseMigrations + webhookMigrations + accessMigrations + promptMigrations + exportMigrations
        + crmMigrations + growthMigrations + inboxMigrations + requestMigrations + evaluationMigrations + analyticsMigrations

    /// The table recording the applied migration ids (GRDB's `grdb_migrations` on SQLite).
    static let migrationsTable = "kam_migrations"
}
