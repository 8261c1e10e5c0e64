/// Inbound email and support tickets: what SQLite has of them that PostgreSQL did not yet.
///
/// A catch-up migration (see `PostgresMigration`). `campaigns-v1` created `inbound_emails` and `support_tickets` as
/// `agent-v1`, `agent-v2-inbound-email` and `support-tickets-v1` left them, except for `inbound_emails.draft_id`'s
/// foreign key to `drafts` (`agent-v1`: `ON DELETE SET NULL`), which had to wait for the drafts
/// (`postgres-drafts-v1`). It comes here. A link to a draft the database does not hold (a database filled by the
/// `kam db copy-memory` of older kams, which left the drafts in the file) is cleared first, as SQLite clears it when
/// the draft goes: the email stays, without its acknowledgment draft.
extension PostgresSchema {
    static let inboxMigrations: [PostgresMigration] = [
        PostgresMigration(
            "postgres-inbox-v1",
            [
                """
                UPDATE inbound_emails SET draft_id = NULL
                WHERE draft_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM drafts WHERE drafts.id = inbound_emails.draft_id)
                """,
                """
                ALTER TABLE inbound_emails ADD CONSTRAINT inbound_emails_draft_id_fkey
                    FOREIGN KEY (draft_id) REFERENCES drafts (id) ON DELETE SET NULL
                """,
            ])
    ]
}
