import GRDB

extension KAMSchema {
    /// Expiry looks up pending suggestions by their expiry time; a suggestions list walks pending (or snoozed)
    /// suggestions in priority order and stops after a page, instead of sorting every open row.
    ///
    /// The list index is registered here, not at the end of `KAMSchema.migrations`: GRDB runs a migration a
    /// database has not applied wherever it is registered.
    static let suggestionExpiryMigrations: [SchemaMigration] = [
        SchemaMigration("agent-v3-suggestion-expiry-index") { db in
            try db.create(index: "suggestions_on_status_expiry", on: "suggestions", columns: ["status", "expires_at"])
        },
        SchemaMigration("agent-v4-suggestion-list-index") { db in
            try db.execute(
                sql: "CREATE INDEX suggestions_by_status_priority ON suggestions(status, priority DESC, created_at, id)")
        },
    ]
}
