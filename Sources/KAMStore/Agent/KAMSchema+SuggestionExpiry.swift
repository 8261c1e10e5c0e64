import GRDB

extension KAMSchema {
    /// Expiry looks up pending suggestions by their expiry time.
    static let suggestionExpiryMigrations: [SchemaMigration] = [
        SchemaMigration("agent-v3-suggestion-expiry-index") { db in
            try db.create(index: "suggestions_on_status_expiry", on: "suggestions", columns: ["status", "expires_at"])
        }
    ]
}
