import GRDB

extension KAMSchema {
    /// The rules engine and the inbox (issue #13): each event's place in a chain of rule actions (`chain_root`,
    /// `chain_depth` on `events`), the log of rule executions (one row a rule, cause and client: its unique key
    /// makes an execution idempotent), each user's notifications, and the rules consumer's cursor.
    static let ruleMigrations: [SchemaMigration] = [
        SchemaMigration("rules-v1") { db in
            try db.alter(table: "events") { t in
                /// The event whose rule actions (directly or through others) wrote this one; NULL when a person, an
                /// import or a job wrote it.
                t.add(column: "chain_root", .integer)
                t.add(column: "chain_depth", .integer).notNull().defaults(to: 0)
            }
            // The rules consumer starts at the end of the log of a store that had one: the history before the upgrade
            // is not re-judged (a fresh store starts at its beginning).
            try db.execute(
                sql: "INSERT INTO event_cursors (consumer, event_id, updated_at) SELECT 'rules', COALESCE(MAX(id), 0), 0 FROM events")
            try db.create(table: "rule_executions") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("rule", .text).notNull()
                /// `event:412`, or `schedule:health-recompute@2026-12-04T03:30:00Z` for a scheduled run.
                t.column("cause", .text).notNull()
                t.column("event_id", .integer)
                t.column("client_id", .text).notNull()
                t.column("chain_root", .integer)
                t.column("chain_depth", .integer).notNull()
                /// `fired`, `stopped` (a depth limit or a second firing in a chain), `cooldown`.
                t.column("status", .text).notNull()
                /// Why it stopped: `depth-limit`, `already-fired-in-chain`, `cooldown`; NULL when it fired.
                t.column("stop_reason", .text)
                /// The conditions as evaluated, JSON (`RuleEvaluation.Condition`s).
                t.column("conditions", .text).notNull()
                /// Each action and its outcome, JSON (`RuleActionOutcome`s).
                t.column("actions", .text).notNull()
                t.column("started_at", .double).notNull()
                t.column("duration_ms", .double).notNull()
                t.uniqueKey(["rule", "cause", "client_id"])
            }
            try db.create(index: "rule_executions_by_client", on: "rule_executions", columns: ["client_id", "rule", "started_at"])
            try db.create(index: "rule_executions_by_chain", on: "rule_executions", columns: ["chain_root", "rule", "client_id"])
            try db.create(index: "rule_executions_by_time", on: "rule_executions", columns: ["started_at"])
            try db.create(table: "notifications") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("user_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("client_id", .text)
                t.column("cause_event_id", .integer)
                t.column("rule", .text)
                t.column("title", .text).notNull()
                t.column("body", .text).notNull()
                t.column("read_at", .double)
                t.column("created_at", .double).notNull()
            }
            try db.create(index: "notifications_by_user", on: "notifications", columns: ["user_id", "id"])
        },
        /// Rules that started and did not match are logged too (`status` `skipped`, no actions): the indexes the
        /// engine reads while recording (a rule's last firing for a client, its firings in a chain) hold only the rows
        /// that fired, so a skipped record costs the row and its unique key; the retention policy deletes skipped
        /// records by their time (`rule_executions_skipped_by_time`). Independent of the migrations after this list,
        /// so a store that has them runs it after them (GRDB runs every unapplied migration in order).
        SchemaMigration("rules-v2-skipped") { db in
            try db.drop(index: "rule_executions_by_client")
            try db.drop(index: "rule_executions_by_chain")
            try db.drop(index: "rule_executions_by_time")
            try db.execute(
                sql: """
                    CREATE INDEX rule_executions_fired_by_client ON rule_executions (client_id, rule, started_at)
                        WHERE status = 'fired';
                    CREATE INDEX rule_executions_fired_by_chain ON rule_executions (chain_root, rule, client_id)
                        WHERE status = 'fired';
                    CREATE INDEX rule_executions_skipped_by_time ON rule_executions (started_at) WHERE status = 'skipped';
                    """)
        }
    ]
}
