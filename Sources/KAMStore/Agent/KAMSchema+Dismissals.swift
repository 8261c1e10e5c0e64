import GRDB

extension KAMSchema {
    /// Each dismissal of a suggestion with its kind, kept to teach the suggestion list (`DismissalLearning`): who
    /// dismissed what (client, type, the rules-engine rule) when and why. Deleted with the client.
    static let dismissalMigrations: [SchemaMigration] = [
        SchemaMigration("suggestion-dismissals-v1") { db in
            try db.create(table: "suggestion_dismissals") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("suggestion_id", .text).notNull().references("suggestions", onDelete: .cascade)
                t.column("user_id", .text)
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("type", .text).notNull()
                t.column("rule", .text)
                t.column("reason", .text).notNull()
                t.column("note", .text)
                t.column("dismissed_at", .double).notNull()
            }
            // A person's list reads their own recent dismissals; a data-quality check reads recent "already done" ones.
            try db.create(index: "suggestion_dismissals_by_user", on: "suggestion_dismissals", columns: ["user_id", "dismissed_at"])
            try db.create(index: "suggestion_dismissals_by_reason", on: "suggestion_dismissals", columns: ["reason", "dismissed_at"])
        }
    ]
}
