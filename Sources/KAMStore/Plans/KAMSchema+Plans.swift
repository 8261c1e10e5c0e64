import GRDB

extension KAMSchema {
    /// The daily review (issue #13): a user's own time zone, per-user job runs, the stored daily plans, and the weekly
    /// team analysis.
    static let planMigrations: [SchemaMigration] = [
        SchemaMigration("users-time-zone-v1") { db in
            /// The user's IANA time zone (the daily review runs at 08:00 there); NULL is kam.yaml's `jobs.time_zone`.
            try db.alter(table: "users") { t in t.add(column: "time_zone", .text) }
        },
        SchemaMigration("job-runs-subject-v1") { db in
            // A per-user job has a run per user and slot: the unique key gains `subject`, so the table is rebuilt.
            try db.create(table: "job_runs_v2") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("job", .text).notNull()
                /// The user a per-user job's run is for; '' for a job that runs once a slot.
                t.column("subject", .text).notNull().defaults(to: "")
                t.column("slot", .double).notNull()
                t.column("manual", .boolean).notNull().defaults(to: false)
                t.column("owner", .text).notNull()
                t.column("lease_until", .double).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 1)
                t.column("outcome", .text).notNull()
                t.column("started_at", .double).notNull()
                t.column("finished_at", .double)
                t.column("counts", .text)
                t.column("error", .text)
                t.uniqueKey(["job", "subject", "slot"])
            }
            try db.execute(
                sql: """
                    INSERT INTO job_runs_v2 (id, job, slot, manual, owner, lease_until, attempts, outcome, started_at,
                        finished_at, counts, error)
                    SELECT id, job, slot, manual, owner, lease_until, attempts, outcome, started_at, finished_at, counts, error
                    FROM job_runs
                    """)
            try db.drop(table: "job_runs")
            try db.rename(table: "job_runs_v2", to: "job_runs")
            try db.create(index: "job_runs_by_time", on: "job_runs", columns: ["started_at"])
            // Each scheduler pass looks for runs whose process died (`JobRunRepository.abandoned`).
            try db.execute(sql: "CREATE INDEX job_runs_running ON job_runs (lease_until) WHERE outcome = 'running'")
        },
        SchemaMigration("daily-plans-v1") { db in
            /// One plan a user and day (the day in the user's zone), written by the daily review.
            try db.create(table: "daily_plans") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("user_id", .text).notNull().references("users", onDelete: .cascade)
                /// YYYY-MM-DD in `time_zone`.
                t.column("day", .text).notNull()
                t.column("time_zone", .text).notNull()
                t.column("created_at", .double).notNull()
                /// How many clients were planned (those the user owns).
                t.column("clients", .integer).notNull()
                /// The brief of `plan.daily-review` as JSON (priorities, risks, quick wins), when a model wrote one.
                t.column("brief", .text)
                /// Why there is no brief (no model configured, or the call's error).
                t.column("brief_note", .text)
                t.uniqueKey(["user_id", "day"])
            }
            try db.create(table: "daily_plan_items") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("plan_id", .integer).notNull().references("daily_plans", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("client_id", .text).notNull()
                t.column("client_name", .text).notNull()
                t.column("source", .text).notNull()
                /// `task:40`, `deal:12`, `client:acme`: the record whose event completes the item.
                t.column("target", .text).notNull()
                t.column("title", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("score", .integer).notNull()
                t.column("win_probability", .double)
                t.column("talking_point", .text).notNull()
                t.column("done_at", .double)
                /// What completed it: `by hand (maria)`, `task.status-changed #57`.
                t.column("done_by", .text)
            }
            try db.create(index: "daily_plan_items_by_plan", on: "daily_plan_items", columns: ["plan_id", "position"])
            try db.create(index: "daily_plan_items_open_by_target", on: "daily_plan_items", columns: ["target"])
        },
        SchemaMigration("weekly-analyses-v1") { db in
            /// The weekly team analysis: one row an owner and week (its first day, in the configured zone).
            try db.create(table: "weekly_analyses") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("week", .text).notNull()
                t.column("owner_id", .text).notNull()
                /// The owner's figures as JSON (`OwnerWeek`).
                t.column("report", .text).notNull()
                t.column("created_at", .double).notNull()
                t.uniqueKey(["week", "owner_id"])
            }
        },
    ]
}
