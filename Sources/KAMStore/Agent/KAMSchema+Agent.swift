import GRDB

extension KAMSchema {
    /// What the agent produces and what people decide about it: drafts with their event history
    /// and feedback, suggestions, inbound email intake, health history and lead transitions.
    static let agentMigrations: [SchemaMigration] = [
        SchemaMigration("agent-v1") { db in
            try db.create(table: "drafts") { t in
                t.column("id", .text).primaryKey()
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("status", .text).notNull()
                t.column("created_at", .double).notNull()
                t.column("updated_at", .double).notNull()
                t.column("decided_at", .double)
                t.column("sent_at", .double)
                t.column("prompt_id", .text).notNull()
                t.column("prompt_version", .text).notNull()
                t.column("prompt_hash", .text).notNull()
                t.column("provider", .text).notNull()
                t.column("model", .text).notNull()
                t.column("is_offline", .boolean).notNull()
                t.column("experiment_id", .text)
                t.column("variant", .text)
                /// The whole `Draft` as JSON: texts, usage, context snapshot and messages.
                t.column("document", .jsonText).notNull()
            }
            try db.create(index: "drafts_on_client", on: "drafts", columns: ["client_id", "created_at"])
            try db.create(index: "drafts_on_status", on: "drafts", columns: ["status", "created_at"])
            try db.create(index: "drafts_on_experiment", on: "drafts", columns: ["experiment_id", "variant"])

            try db.create(table: "draft_events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("draft_id", .text).notNull().references("drafts", onDelete: .cascade)
                t.column("at", .double).notNull()
                t.column("action", .text).notNull()
                t.column("from_status", .text)
                t.column("to_status", .text).notNull()
                t.column("user_id", .text)
                t.column("detail", .text)
            }
            try db.create(index: "draft_events_on_draft", on: "draft_events", columns: ["draft_id", "at"])

            try db.create(table: "draft_feedback") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("draft_id", .text).notNull().references("drafts", onDelete: .cascade)
                t.column("rating", .text).notNull()
                t.column("reason", .text)
                t.column("user_id", .text)
                t.column("at", .double).notNull()
            }
            try db.create(index: "draft_feedback_on_draft", on: "draft_feedback", columns: ["draft_id"])

            try db.create(table: "suggestions") { t in
                t.column("id", .text).primaryKey()
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("type", .text).notNull()
                t.column("target", .text).notNull()
                t.column("status", .text).notNull()
                t.column("priority", .integer).notNull()
                t.column("created_at", .double).notNull()
                t.column("expires_at", .double).notNull()
                t.column("snoozed_until", .double)
                t.column("document", .jsonText).notNull()
            }
            // At most one pending suggestion of a type for a target.
            try db.execute(
                sql: """
                    CREATE UNIQUE INDEX suggestions_one_pending ON suggestions(client_id, type, target)
                    WHERE status IN ('pending', 'snoozed')
                    """)
            try db.create(index: "suggestions_on_status", on: "suggestions", columns: ["status", "priority"])

            try db.create(table: "inbound_emails") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("message_id", .text).unique()
                t.column("client_id", .text).references("clients", onDelete: .cascade)
                t.column("match", .text).notNull()
                t.column("confidence", .double).notNull()
                t.column("status", .text).notNull()
                t.column("failure", .text)
                t.column("received_at", .double).notNull()
                t.column("thread_id", .text)
                t.column("from_address", .text)
                t.column("subject", .text)
                t.column("raw", .blob)
                t.column("analysis", .jsonText)
                t.column("activity_id", .integer).references("activities", onDelete: .setNull)
                t.column("draft_id", .text).references("drafts", onDelete: .setNull)
            }
            try db.create(index: "inbound_emails_on_client", on: "inbound_emails", columns: ["client_id", "received_at"])
            try db.create(index: "inbound_emails_on_thread", on: "inbound_emails", columns: ["thread_id"])

            try db.create(table: "health_scores") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("computed_at", .double).notNull()
                t.column("score", .integer).notNull()
                t.column("band", .text).notNull()
                t.column("factors", .jsonText).notNull()
            }
            try db.create(index: "health_scores_on_client", on: "health_scores", columns: ["client_id", "computed_at"])

            try db.create(table: "lead_transitions") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("from_status", .text).notNull()
                t.column("to_status", .text).notNull()
                t.column("automatic", .boolean).notNull()
                t.column("reason", .text).notNull()
                t.column("at", .double).notNull()
            }
            try db.create(index: "lead_transitions_on_client", on: "lead_transitions", columns: ["client_id", "at"])
        }
    ]
}
