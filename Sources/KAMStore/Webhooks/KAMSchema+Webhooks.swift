import GRDB

extension KAMSchema {
    /// Webhooks: the signed inbound sources (`webhook_sources`) and what each inbound message answered
    /// (`webhook_receipts`, for idempotent replays); the runtime's events (`events`); outbound
    /// subscriptions and their delivery log (`webhook_subscriptions`, `webhook_deliveries`).
    ///
    /// A secret is stored as given (an HMAC needs it) unless it is kept in an environment variable,
    /// whose name alone is stored (`secret_env`); lists never show either.
    static let webhookMigrations: [SchemaMigration] = [
        SchemaMigration("webhooks-v1") { db in
            try db.create(table: "webhook_sources") { t in
                t.primaryKey("name", .text)
                t.column("secret", .text)
                t.column("secret_env", .text)
                t.column("created_at", .double).notNull()
                t.column("disabled_at", .double)
            }
            try db.create(table: "webhook_receipts") { t in
                t.primaryKey("message_id", .text)
                t.column("source", .text).notNull()
                /// The JSON the first delivery answered, returned again to a replay.
                t.column("result", .text).notNull()
                t.column("received_at", .double).notNull()
            }
            try db.create(table: "events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("client_id", .text)
                t.column("subject_id", .text)
                t.column("payload", .text).notNull()
                t.column("occurred_at", .double).notNull()
            }
            try db.create(table: "webhook_subscriptions") { t in
                t.primaryKey("id", .text)
                t.column("url", .text).notNull()
                /// Space-separated event kinds.
                t.column("events", .text).notNull()
                t.column("secret", .text)
                t.column("secret_env", .text)
                /// The last event fanned out to this subscription: it gets only later ones. (Since event-cursors-v1: the
                /// last event before it was added; the `webhooks` consumer's cursor in `event_cursors` moves instead.)
                t.column("event_cursor", .integer).notNull().defaults(to: 0)
                t.column("created_at", .double).notNull()
                t.column("disabled_at", .double)
            }
            try db.create(table: "webhook_deliveries") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("subscription_id", .text).notNull().indexed()
                    .references("webhook_subscriptions", onDelete: .cascade)
                t.column("event_id", .integer).notNull().references("events", onDelete: .cascade)
                /// pending, delivered or failed.
                t.column("status", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("next_attempt_at", .double)
                t.column("last_attempt_at", .double)
                t.column("response_status", .integer)
                t.column("last_error", .text)
                t.column("created_at", .double).notNull()
                t.column("delivered_at", .double)
                t.uniqueKey(["subscription_id", "event_id"])
            }
            try db.create(index: "webhook_deliveries_due", on: "webhook_deliveries", columns: ["status", "next_attempt_at"])
        }
    ]
}
