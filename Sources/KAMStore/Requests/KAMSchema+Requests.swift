import GRDB

extension KAMSchema {
    /// The team server's intelligence requests (`POST /requests`), answered in the background.
    static let requestMigrations: [SchemaMigration] = [
        SchemaMigration("requests-v1") { db in
            try db.create(table: "intelligence_requests") { t in
                t.primaryKey("id", .text)
                t.column("type", .text).notNull()
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("parameters", .jsonText).notNull()
                t.column("status", .text).notNull()
                t.column("prompt", .text).notNull()
                t.column("result", .jsonText)
                t.column("error_code", .text)
                t.column("error_message", .text)
                t.column("created_at", .double).notNull()
                t.column("started_at", .double)
                t.column("finished_at", .double)
                t.column("requested_by", .text)
            }
            try db.create(index: "intelligence_requests_on_user", on: "intelligence_requests", columns: ["requested_by"])
            try db.create(index: "intelligence_requests_on_status", on: "intelligence_requests", columns: ["status", "created_at"])
        }
    ]
}
