import GRDB

extension KAMSchema {
    /// The client memory tables: users, clients and everything known about them.
    ///
    /// Dates are stored as REAL seconds since 1970 (UTC): compact, index-friendly, and the fastest
    /// to bind during bulk loads. Enumerations are stored as their raw strings. Every lookup the
    /// context assembler and the importer make has an index.
    static let foundationMigrations: [SchemaMigration] = [
        SchemaMigration("foundation-v1") { db in
            try db.create(table: "users") { t in
                t.column("id", .text).primaryKey()
                t.column("name", .text).notNull()
                t.column("email", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("team", .text)
            }
            try db.create(index: "users_on_team", on: "users", columns: ["team"])

            try db.create(table: "clients") { t in
                t.column("id", .text).primaryKey()
                t.column("name", .text).notNull()
                t.column("external_id", .text).unique()
                t.column("industry", .text)
                t.column("tier", .text).notNull()
                t.column("monthly_budget", .double)
                t.column("currency", .text).notNull()
                t.column("owner_id", .text).references("users", onDelete: .setNull)
                t.column("domain", .text).collate(.nocase)
                t.column("consent_ai_analysis", .boolean).notNull()
                t.column("consent_training", .boolean).notNull()
                t.column("lifecycle", .text).notNull()
                t.column("lead_status", .text).notNull()
                t.column("created_at", .double).notNull()
                t.column("updated_at", .double).notNull()
            }
            try db.execute(sql: "CREATE INDEX clients_on_name ON clients(name COLLATE NOCASE)")
            try db.create(index: "clients_on_domain", on: "clients", columns: ["domain"])
            try db.create(index: "clients_on_owner", on: "clients", columns: ["owner_id"])

            try db.create(table: "contacts") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("external_id", .text).unique()
                t.column("name", .text).notNull()
                t.column("email", .text).collate(.nocase)
                t.column("phone", .text)
                t.column("title", .text)
                t.column("role", .text).notNull()
            }
            try db.create(index: "contacts_on_client", on: "contacts", columns: ["client_id", "name"])
            try db.create(index: "contacts_on_email", on: "contacts", columns: ["email"])

            try db.create(table: "activities") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("contact_id", .integer).references("contacts", onDelete: .setNull)
                t.column("external_id", .text).unique()
                t.column("kind", .text).notNull()
                t.column("direction", .text).notNull()
                t.column("occurred_at", .double).notNull()
                t.column("subject", .text)
                t.column("body", .text)
                t.column("sentiment", .double)
            }
            try db.create(index: "activities_on_client_time", on: "activities", columns: ["client_id", "occurred_at"])
            try db.create(index: "activities_on_contact", on: "activities", columns: ["contact_id"])

            try db.create(table: "deals") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("external_id", .text).unique()
                t.column("name", .text).notNull()
                t.column("stage", .text).notNull()
                t.column("amount", .double).notNull()
                t.column("currency", .text).notNull()
                t.column("close_date", .double)
                t.column("probability", .double).notNull()
                t.column("stage_entered_at", .double).notNull()
            }
            try db.create(index: "deals_on_client", on: "deals", columns: ["client_id", "name"])
            try db.execute(sql: """
                CREATE INDEX deals_open_on_client ON deals(client_id, stage_entered_at)
                WHERE stage NOT IN ('closed-won', 'closed-lost')
                """)

            try db.create(table: "deal_stage_history") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("deal_id", .integer).notNull().references("deals", onDelete: .cascade)
                t.column("stage", .text).notNull()
                t.column("entered_at", .double).notNull()
            }
            try db.create(index: "deal_stage_history_on_deal", on: "deal_stage_history", columns: ["deal_id", "entered_at"])

            try db.create(table: "tasks") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("external_id", .text).unique()
                t.column("title", .text).notNull()
                t.column("due", .double)
                t.column("status", .text).notNull()
                t.column("priority", .text).notNull()
                t.column("assignee", .text)
            }
            try db.create(index: "tasks_on_client", on: "tasks", columns: ["client_id", "title"])
            try db.execute(sql: """
                CREATE INDEX tasks_pending_on_client_due ON tasks(client_id, due)
                WHERE status IN ('open', 'in-progress')
                """)

            try db.create(table: "orders") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("external_id", .text).unique()
                t.column("product", .text).notNull()
                t.column("quantity", .integer).notNull()
                t.column("amount", .double).notNull()
                t.column("currency", .text).notNull()
                t.column("ordered_at", .double).notNull()
                t.column("status", .text).notNull()
            }
            try db.create(index: "orders_on_client_time", on: "orders", columns: ["client_id", "ordered_at"])

            try db.create(table: "client_memory") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().references("clients", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("key", .text).notNull()
                t.column("value", .text).notNull()
                t.column("source", .text).notNull()
                t.column("confidence", .double).notNull()
                t.column("updated_at", .double).notNull()
                t.uniqueKey(["client_id", "key"])
            }
        }
    ]
}
