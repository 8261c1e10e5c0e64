import GRDB

extension KAMSchema {
    /// Email campaigns imported from their tools' exports (`CampaignImporter`) and what each recipient did.
    ///
    /// A campaign keeps its counts (`CampaignCounts`, counted once at import) so that a list of campaigns reads no
    /// recipient. A recipient is linked at import to the contact of its email and that contact's client, else to the
    /// client of its email's registrable domain (free mail links to nobody); a contact or client removed later leaves
    /// the recipient unlinked.
    static let campaignMigrations: [SchemaMigration] = [
        SchemaMigration("campaigns-v1") { db in
            try db.create(table: "campaigns") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("external_id", .text).notNull().unique()
                t.column("name", .text).notNull()
                t.column("vendor", .text).notNull()
                t.column("sent_at", .double).notNull()
                t.column("subject", .text)
                t.column("segment", .text)
                t.column("imported_at", .double).notNull()
                t.column("recipients", .integer).notNull()
                t.column("sends", .integer).notNull()
                t.column("bounces", .integer).notNull()
                t.column("opens", .integer).notNull()
                t.column("clicks", .integer).notNull()
                t.column("unsubscribes", .integer).notNull()
                t.column("replies", .integer).notNull()
            }
            try db.create(index: "campaigns_on_sent_at", on: "campaigns", columns: ["sent_at"])
            try db.create(table: "campaign_recipients") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("campaign_id", .integer).notNull().references("campaigns", onDelete: .cascade)
                t.column("email", .text).notNull().collate(.nocase)
                t.column("contact_id", .integer).references("contacts", onDelete: .setNull)
                t.column("client_id", .text).references("clients", onDelete: .setNull)
                t.column("sent", .boolean).notNull()
                t.column("opens", .integer).notNull()
                t.column("clicks", .integer).notNull()
                t.column("bounced", .boolean).notNull()
                t.column("unsubscribed", .boolean).notNull()
                t.column("replied", .boolean).notNull()
                // The clicked links, one a line; NULL when none (or the export does not list them).
                t.column("clicked_urls", .text)
                t.uniqueKey(["campaign_id", "email"])
            }
            try db.create(index: "campaign_recipients_on_client", on: "campaign_recipients", columns: ["client_id"])
            try db.create(index: "campaign_recipients_on_contact", on: "campaign_recipients", columns: ["contact_id"])
        }
    ]
}
