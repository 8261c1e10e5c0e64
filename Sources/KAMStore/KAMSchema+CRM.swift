import GRDB

extension KAMSchema {
    /// The everyday CRM writes (`kam clients add|update`, `kam deal move`): a client's contract renewal
    /// date, and who moved a deal into each stage of its history.
    static let crmMigrations: [SchemaMigration] = [
        SchemaMigration("crm-v1-renewal-date-and-stage-author") { db in
            try db.alter(table: "clients") { t in t.add(column: "renewal_date", .double) }
            try db.alter(table: "deal_stage_history") { t in t.add(column: "user_id", .text) }
        }
    ]
}
