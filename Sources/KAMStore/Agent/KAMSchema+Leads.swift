import GRDB

extension KAMSchema {
    /// Leads (issue #18): where a lead came from and what it is expected to be worth, one row a client that has them.
    static let leadMigrations: [SchemaMigration] = [
        SchemaMigration("lead-details-v1") { db in
            try db.create(table: "lead_details") { t in
                t.column("client_id", .text).notNull().primaryKey().references("clients", onDelete: .cascade)
                /// One of `LeadSource`; NULL when nobody said.
                t.column("source", .text)
                /// Free text beside the source (the fair, the referrer).
                t.column("source_detail", .text)
                /// The expected value, 0 or more, in `currency`.
                t.column("value", .double)
                t.column("currency", .text)
                t.column("updated_at", .double).notNull()
            }
        }
    ]
}
