import GRDB

extension KAMSchema {
    /// The web page's sign-in: a user's password (scrypt, `PasswordHash`) and the sessions of signed-in browsers,
    /// stored by the SHA-256 of their token, as API keys are, so a leaked database opens no session.
    static let webSessionMigrations: [SchemaMigration] = [
        SchemaMigration("web-sessions-v1") { db in
            try db.alter(table: "users") { t in t.add(column: "password_hash", .text) }
            try db.create(table: "web_sessions") { t in
                t.primaryKey("id", .text)
                t.column("user_id", .text).notNull().indexed().references("users", onDelete: .cascade)
                t.column("token_hash", .text).notNull().unique()
                t.column("csrf_token", .text).notNull()
                t.column("created_at", .double).notNull()
                t.column("expires_at", .double).notNull().indexed()
            }
        }
    ]
}
