import GRDB

extension KAMSchema {
    /// Thumbs up or down on a suggestion, with the reason: whether the rules and the model propose the
    /// right things, as `draft_feedback` says for drafts.
    static let suggestionFeedbackMigrations: [SchemaMigration] = [
        SchemaMigration("suggestion-feedback-v1") { db in
            try db.create(table: "suggestion_feedback") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("suggestion_id", .text).notNull().references("suggestions", onDelete: .cascade)
                t.column("rating", .text).notNull()
                t.column("reason", .text)
                t.column("user_id", .text)
                t.column("at", .double).notNull()
            }
            try db.create(index: "suggestion_feedback_on_suggestion", on: "suggestion_feedback", columns: ["suggestion_id"])
        }
    ]
}
