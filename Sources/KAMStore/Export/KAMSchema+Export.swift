import GRDB

/// The audit record of every training export: who ran it, when, with which filters and key, what it
/// counted and the SHA-256 of each file it wrote, also when the leak audit stopped it.
extension KAMSchema {
    static let exportMigrations: [SchemaMigration] = [
        SchemaMigration("export-v1") { db in
            try db.create(table: "exports") { t in
                t.column("id", .text).primaryKey()
                t.column("created_at", .double).notNull()
                t.column("user_id", .text)
                t.column("format", .text).notNull()
                t.column("model", .text).notNull()
                t.column("status", .text).notNull()
                /// `ExportFilters` as JSON.
                t.column("filters", .jsonText).notNull()
                t.column("examples", .integer).notNull()
                t.column("rejected", .integer).notNull()
                t.column("consent_excluded", .integer).notNull()
                /// `[{name, lines, sha256}]` of the files written under their final names.
                t.column("files", .jsonText).notNull()
                t.column("key_id", .text).notNull()
                t.column("output_directory", .text).notNull()
            }
            try db.create(index: "exports_on_time", on: "exports", columns: ["created_at"])
        }
    ]
}
