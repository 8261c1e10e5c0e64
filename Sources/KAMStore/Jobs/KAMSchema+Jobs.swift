import GRDB

extension KAMSchema {
    /// Scheduled jobs: one row per job and slot (`job_runs`), claimed with a lease so that a slot runs once
    /// however many processes race for it, and taken over when its runner died (the lease ran out).
    static let jobMigrations: [SchemaMigration] = [
        SchemaMigration("jobs-v1") { db in
            try db.create(table: "job_runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("job", .text).notNull()
                /// The scheduled minute this run is for (a manual run: the minute it was asked for).
                t.column("slot", .double).notNull()
                t.column("manual", .boolean).notNull().defaults(to: false)
                /// Who holds the run (`host:pid:n`) and until when, while it is `running`.
                t.column("owner", .text).notNull()
                t.column("lease_until", .double).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 1)
                /// running, succeeded or failed.
                t.column("outcome", .text).notNull()
                t.column("started_at", .double).notNull()
                t.column("finished_at", .double)
                /// What the run did, as JSON `{"name": count}`.
                t.column("counts", .text)
                t.column("error", .text)
                t.uniqueKey(["job", "slot"])
            }
            try db.create(index: "job_runs_by_time", on: "job_runs", columns: ["started_at"])
        }
    ]
}
