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
        },
        SchemaMigration("lead-enrichment-v1") { db in
            // What accepted enrichment proposals set on a lead.
            try db.alter(table: "lead_details") { t in
                /// One of `CompanySize`.
                t.add(column: "size_band", .text)
                /// A JSON array of texts.
                t.add(column: "needs", .text)
                /// 0...100.
                t.add(column: "icp_score", .integer)
                /// A JSON array of texts.
                t.add(column: "icp_reasons", .text)
            }
            /// A field enrichment proposed for a lead; applied only when a person accepts it.
            try db.create(table: "lead_proposals") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                /// One of `LeadProposal.Field`.
                t.column("field", .text).notNull()
                /// `LeadProposal.Value` as JSON.
                t.column("value", .jsonText).notNull()
                t.column("source", .text).notNull()
                t.column("confidence", .double).notNull()
                /// pending, accepted, rejected or superseded.
                t.column("status", .text).notNull()
                t.column("prompt", .text).notNull()
                t.column("created_at", .double).notNull()
                t.column("decided_at", .double)
                t.column("decided_by", .text)
            }
            try db.create(index: "lead_proposals_on_client", on: "lead_proposals", columns: ["client_id", "status", "field"])
        },
    ]
}
