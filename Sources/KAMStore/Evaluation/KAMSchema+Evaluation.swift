import GRDB

extension KAMSchema {
    /// Evaluation runs with their results (one row per case × variant × repeat, written as each finishes),
    /// and online experiments.
    static let evaluationMigrations: [SchemaMigration] = [
        SchemaMigration("evaluation-v1") { db in
            try db.create(table: "eval_runs") { t in
                t.column("id", .text).primaryKey()
                t.column("suite", .text).notNull()
                t.column("suite_file", .text).notNull()
                t.column("prompt_id", .text).notNull()
                t.column("started_at", .double).notNull()
                t.column("finished_at", .double)
                /// running, complete, interrupted
                t.column("status", .text).notNull()
                t.column("gate_passed", .boolean)
                /// Variant name → {version, content hash, model, provider}, as JSON.
                t.column("variants", .jsonText).notNull()
                /// The final report (report.json) once the run completed.
                t.column("report", .jsonText)
            }
            try db.create(index: "eval_runs_on_suite", on: "eval_runs", columns: ["suite", "started_at"])
            try db.create(table: "eval_results") { t in
                t.column("run_id", .text).notNull().references("eval_runs", onDelete: .cascade)
                t.column("case_id", .text).notNull()
                t.column("variant", .text).notNull()
                t.column("repeat_index", .integer).notNull()
                t.column("passed", .boolean).notNull()
                t.column("score", .double).notNull()
                t.column("recorded_at", .double).notNull()
                t.column("document", .jsonText).notNull()
                t.primaryKey(["run_id", "case_id", "variant", "repeat_index"])
            }
            try db.create(table: "experiments") { t in
                t.column("id", .text).primaryKey()
                t.column("prompt_id", .text).notNull()
                t.column("status", .text).notNull()
                t.column("started_at", .double).notNull()
                t.column("document", .jsonText).notNull()
            }
            // At most one running experiment per prompt, so a draft's variant is never ambiguous.
            try db.execute(sql: "CREATE UNIQUE INDEX experiments_one_running ON experiments(prompt_id) WHERE status = 'running'")
        }
    ]
}
