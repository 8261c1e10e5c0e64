import GRDB

extension KAMSchema {
    /// Inbound email intake beyond `agent-v1`'s `inbound_emails`: the parsed message, how the client
    /// was matched (direction, contact, candidates, reason) and why analysis or draft are missing.
    static let inboundEmailMigrations: [SchemaMigration] = [
        SchemaMigration("agent-v2-inbound-email") { db in
            try db.alter(table: "inbound_emails") { t in
                t.add(column: "direction", .text)
                t.add(column: "contact_id", .integer).references("contacts", onDelete: .setNull)
                t.add(column: "matched_address", .text)
                t.add(column: "candidates", .jsonText)
                t.add(column: "match_reason", .text)
                t.add(column: "ingested_at", .double)
                /// The parsed `EmailMessage` as JSON (null when the message could not be parsed).
                t.add(column: "message", .jsonText)
                t.add(column: "analysis_prompt", .text)
                t.add(column: "analysis_note", .text)
                t.add(column: "draft_note", .text)
            }
            try db.create(index: "inbound_emails_on_status", on: "inbound_emails", columns: ["status", "received_at"])
        }
    ]
}
