import Foundation
import KAMCore
import PostgresNIO

/// The signed inbound webhook sources and the answers given to their messages in a PostgreSQL database
/// (`webhook_sources`, `webhook_receipts`), as `WebhookSourceRepository` keeps them in SQLite.
///
/// A message's answer is recorded once across processes by its key: `recordReceipt` inserts with `ON CONFLICT
/// (message_id) DO NOTHING` (a racing insert waits for the first to commit, then does nothing) and then reads the
/// answer that stands, in a statement of its own that sees the first one's commit.
public struct PostgresWebhookSourceStore: WebhookSourceStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func upsert(name: String, secret: WebhookSecret, now: Date) throws {
        let (stored, env) = secret.columns
        try store.transaction(readOnly: false) { session in
            try session.query(
                """
                INSERT INTO webhook_sources (name, secret, secret_env, created_at, disabled_at)
                VALUES (\(name), \(stored), \(env), \(now.timeIntervalSince1970), NULL)
                ON CONFLICT (name) DO UPDATE SET secret = excluded.secret, secret_env = excluded.secret_env,
                    disabled_at = NULL
                """, doing: "saving webhook source \(name)")
            try PostgresEventLog.append(session, .webhookSourceSaved(name: name, at: now))
        }
    }

    @discardableResult
    public func disable(name: String, now: Date) throws -> Bool {
        try store.transaction(readOnly: false) { session in
            try session.stamp(
                "disabled_at", of: "webhook_sources", where: "name", is: name, now: now,
                event: .webhookSourceDisabled(name: name, at: now))
        }
    }

    public func list() throws -> [WebhookSource] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                "SELECT name, secret_env, created_at, disabled_at FROM webhook_sources ORDER BY name",
                doing: "reading webhook sources"
            ).rows.map { row in
                let (name, secretEnv, createdAt, disabledAt) = try row.decode((String, String?, Double, Double?).self)
                return WebhookSource(
                    name: name, secretEnv: secretEnv, createdAt: Date(timeIntervalSince1970: createdAt),
                    disabledAt: disabledAt.map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    public func secret(of name: String) throws -> WebhookSecret? {
        try store.transaction(readOnly: true) { session in
            try Self.secret(
                session, "SELECT secret, secret_env FROM webhook_sources WHERE name = \(name) AND disabled_at IS NULL",
                doing: "reading the secret of webhook source \(name)")
        }
    }

    /// The secret in the `secret` and `secret_env` columns of the row `query` selects, if any (the sources' and
    /// the subscriptions' alike).
    static func secret(_ session: PostgresSession, _ query: PostgresQuery, doing: String) throws -> WebhookSecret? {
        guard let row = try session.query(query, doing: doing).rows.first else { return nil }
        let (secret, secretEnv) = try row.decode((String?, String?).self)
        return WebhookSecret(secret: secret, secretEnv: secretEnv)
    }

    public func receipt(messageID: String) throws -> String? {
        try store.transaction(readOnly: true) { session in
            try Self.result(session, messageID)
        }
    }

    public func recordReceipt(messageID: String, source: String, result: String, now: Date) throws -> String {
        try store.transaction(readOnly: false) { session in
            try session.query(
                """
                INSERT INTO webhook_receipts (message_id, source, result, received_at)
                VALUES (\(messageID), \(source), \(result), \(now.timeIntervalSince1970))
                ON CONFLICT (message_id) DO NOTHING
                """, doing: "recording the answer to message \(messageID)")
            return try Self.result(session, messageID) ?? result
        }
    }

    public func receiptCount() throws -> Int {
        try store.transaction(readOnly: true) { session in
            try session.query("SELECT COUNT(*) FROM webhook_receipts", doing: "counting webhook receipts")
                .rows.first?.decode(Int.self) ?? 0
        }
    }

    private static func result(_ session: PostgresSession, _ messageID: String) throws -> String? {
        try session.query(
            "SELECT result FROM webhook_receipts WHERE message_id = \(messageID)",
            doing: "reading the answer to message \(messageID)"
        ).rows.first?.decode(String.self)
    }
}
