import GRDB

extension KAMSchema {
    /// Support tickets (issue #13): imported from a help desk's export or opened by email, analysed, answered by a draft.
    static let supportMigrations: [SchemaMigration] = [
        SchemaMigration("support-tickets-v1") { db in
            try db.create(table: "support_tickets") { t in
                t.autoIncrementedPrimaryKey("id")
                /// NULL while no client was found for it.
                t.column("client_id", .text).references("clients", onDelete: .cascade)
                t.column("contact_id", .integer).references("contacts", onDelete: .setNull)
                t.column("external_id", .text).unique()
                t.column("channel", .text).notNull()
                t.column("requester", .text).collate(.nocase)
                t.column("organization", .text)
                t.column("subject", .text).notNull()
                t.column("body", .text).notNull()
                t.column("status", .text).notNull()
                t.column("priority", .text).notNull()
                /// JSON array of strings.
                t.column("tags", .text).notNull().defaults(to: "[]")
                t.column("created_at", .double).notNull()
                t.column("updated_at", .double).notNull()
                t.column("link", .text)
                /// The analysis (`TicketAnalysis`) as JSON; NULL until analysed.
                t.column("analysis", .text)
                t.column("reply_draft_id", .text)
            }
            try db.create(index: "support_tickets_on_client", on: "support_tickets", columns: ["client_id", "created_at"])
            // The unanalysed tickets `kam tickets analyse` takes.
            try db.execute(sql: "CREATE INDEX support_tickets_unanalysed ON support_tickets (id) WHERE analysis IS NULL")
        },
    ]
}
