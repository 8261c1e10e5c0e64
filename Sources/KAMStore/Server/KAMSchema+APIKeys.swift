import GRDB

extension KAMSchema {
    /// API keys of the HTTP server (`kam serve`): only the SHA-256 of a key is stored, so a leaked
    /// database does not leak usable keys.
    static let apiKeyMigrations: [SchemaMigration] = [
        SchemaMigration("server-api-keys-v1") { db in
            try db.create(table: "api_keys") { t in
                t.primaryKey("id", .text)
                t.column("user_id", .text).notNull().indexed().references("users", onDelete: .cascade)
                t.column("key_hash", .text).notNull().unique()
                t.column("created_at", .double).notNull()
                t.column("revoked_at", .double)
            }
        }
    ]
}
