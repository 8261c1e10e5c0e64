import GRDB

extension KAMSchema {
    /// The events' lookups by kind (issue #10 item 3): `events_kind_subject` indexed every event by kind and
    /// subject, but only two queries look events up by kind, each for kinds no import appends. Two partial indexes
    /// hold just those kinds' events: `task.overdue` by subject (`noteOverdueTasks`' once-per-due check) and the
    /// suggestion decisions by time (`suggestionDecisions`, a week's analysis). A query uses one only when its
    /// `WHERE` repeats the index's condition word for word, which both do. An import's many events then enter one
    /// index (`events_client`, `kam events list --client`) instead of two.
    static let eventIndexMigrations: [SchemaMigration] = [
        SchemaMigration("event-indexes-v2") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS events_kind_subject")
            try db.execute(sql: "CREATE INDEX events_overdue_task ON events(subject_id) WHERE kind = 'task.overdue'")
            try db.execute(
                sql: """
                    CREATE INDEX events_suggestion_decisions ON events(occurred_at)
                    WHERE kind IN ('suggestion.accepted', 'suggestion.dismissed')
                    """)
        }
    ]
}
