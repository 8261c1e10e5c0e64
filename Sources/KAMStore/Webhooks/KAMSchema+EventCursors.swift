import GRDB

extension KAMSchema {
    /// Event consumers (`event_cursors`): each consumer of `events` (the outbound webhooks' fan-out, later the
    /// rules) keeps the id of the last event it handled, and moves it only after handling a whole batch. The
    /// webhook consumer starts where the oldest enabled subscription's fan-out had got to, so nothing is
    /// delivered twice or skipped across the upgrade; a subscription's `event_cursor` now only says which events
    /// came before it. Two indexes serve `task.overdue`'s once-per-due check and `kam events list --client` (the first
    /// replaced by partial indexes since event-indexes-v2, `KAMSchema+EventIndexes`).
    static let eventCursorMigrations: [SchemaMigration] = [
        SchemaMigration("event-cursors-v1") { db in
            try db.create(table: "event_cursors") { t in
                t.primaryKey("consumer", .text)
                t.column("event_id", .integer).notNull()
                t.column("updated_at", .double).notNull()
            }
            try db.execute(
                sql: """
                    INSERT INTO event_cursors (consumer, event_id, updated_at)
                    SELECT 'webhooks', COALESCE(
                      (SELECT MIN(event_cursor) FROM webhook_subscriptions WHERE disabled_at IS NULL),
                      (SELECT MAX(id) FROM events), 0), 0
                    """)
            try db.create(index: "events_kind_subject", on: "events", columns: ["kind", "subject_id"])
            try db.create(index: "events_client", on: "events", columns: ["client_id", "id"])
        }
    ]
}
