import GRDB

extension KAMSchema {
    /// Who moved which prompt label to which version, and when (`PUT /prompts/:id/labels/:label`); the
    /// prompt folder's `labels.yaml` holds only where each label points now.
    static let promptLabelMoveMigrations: [SchemaMigration] = [
        SchemaMigration("prompt-label-moves-v1") { db in
            try db.create(table: "prompt_label_moves") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("prompt_id", .text).notNull()
                t.column("label", .text).notNull()
                t.column("from_version", .text)
                t.column("to_version", .text)
                t.column("user_id", .text)
                t.column("at", .double).notNull()
            }
            try db.create(index: "prompt_label_moves_on_prompt", on: "prompt_label_moves", columns: ["prompt_id", "id"])
        }
    ]
}
