import GRDB

/// One versioned schema change.
///
/// The id is recorded in the database once applied (GRDB's `grdb_migrations` table) and must never
/// change; a released migration is never edited — add a new one instead.
public struct SchemaMigration: Sendable {
    public var id: String
    public var migrate: @Sendable (Database) throws -> Void

    public init(_ id: String, migrate: @escaping @Sendable (Database) throws -> Void) {
        self.id = id
        self.migrate = migrate
    }
}

/// The database schema of KAM: every migration, in the order they are applied.
///
/// How to extend it (budgets and usage ledger, drafts, prompts, ...): in your own file of
/// KAMStore, write
///
///     extension KAMSchema {
///         static let draftMigrations: [SchemaMigration] = [
///             SchemaMigration("drafts-v1") { db in try db.create(table: "drafts") { ... } },
///         ]
///     }
///
/// then append `+ draftMigrations` to the end of `migrations` below (a one-line edit). Ids are
/// global: prefix them with the feature name. Never reorder or edit a migration that has shipped;
/// a database that has applied a migration id this build does not know was written by a newer
/// kam and is refused (see `ClientStore.open`), so old binaries never corrupt new files.
public enum KAMSchema {
    /// Every migration, foundation first, then each feature's list in the order features landed.
    public static let migrations: [SchemaMigration] = foundationMigrations + ledgerMigrations + agentMigrations + promptVersionMigrations + inboundEmailMigrations + evaluationMigrations + exportMigrations
        + suggestionExpiryMigrations + apiKeyMigrations + ledgerLeaseMigrations + crmMigrations + accessMigrations + suggestionFeedbackMigrations + webhookMigrations
        + requestMigrations + promptLabelMoveMigrations + jobMigrations + eventCursorMigrations + planMigrations + supportMigrations + ruleMigrations + eventFailureMigrations
        + webSessionMigrations + eventIndexMigrations + dismissalMigrations + ledgerRunMigrations + analyticsSnapshotMigrations + campaignMigrations + leadMigrations
        + eventCursorLeaseMigrations

    /// A migrator with every migration registered, foreign keys checked after each.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.id, migrate: migration.migrate)
        }
        return migrator
    }
}
