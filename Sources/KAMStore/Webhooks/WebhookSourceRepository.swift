import Foundation
import GRDB
import KAMCore

/// The signed inbound webhook sources and the answers given to their messages (`webhook_receipts`), so
/// a replayed message gets its first answer again and stores nothing new.
public struct WebhookSourceRepository: WebhookSourceStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Adds (or replaces the secret of) source `name`.
    public func upsert(name: String, secret: WebhookSecret, now: Date) throws {
        let (stored, env) = secret.columns
        try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhook_sources (name, secret, secret_env, created_at, disabled_at) VALUES (?, ?, ?, ?, NULL)
                    ON CONFLICT(name) DO UPDATE SET secret = excluded.secret, secret_env = excluded.secret_env,
                    disabled_at = NULL
                    """, arguments: [name, stored, env, now.timeIntervalSince1970])
            try EventLog.append(db, .webhookSourceSaved(name: name, at: now))
        }
    }

    /// Disables source `name`; false when no enabled source has that name.
    @discardableResult
    public func disable(name: String, now: Date) throws -> Bool {
        try store.stamp(
            "disabled_at", of: "webhook_sources", where: "name", is: name, now: now,
            event: .webhookSourceDisabled(name: name, at: now))
    }

    /// Every source, by name.
    public func list() throws -> [WebhookSource] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhook_sources ORDER BY name").map(Self.source)
        }
    }

    /// The enabled source `name` with its secret, or nil.
    public func secret(of name: String) throws -> WebhookSecret? {
        try store.writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT secret, secret_env FROM webhook_sources WHERE name = ? AND disabled_at IS NULL",
                    arguments: [name])
            else { return nil }
            return WebhookSecret(secret: row["secret"], secretEnv: row["secret_env"])
        }
    }

    /// The answer stored for `messageID`, or nil when it was never received.
    public func receipt(messageID: String) throws -> String? {
        try store.writer.read { db in
            try String.fetchOne(db, sql: "SELECT result FROM webhook_receipts WHERE message_id = ?", arguments: [messageID])
        }
    }

    /// Records the answer to `messageID` unless one is there already; returns the answer that stands
    /// (the first one, when two deliveries raced).
    public func recordReceipt(messageID: String, source: String, result: String, now: Date) throws -> String {
        try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhook_receipts (message_id, source, result, received_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(message_id) DO NOTHING
                    """, arguments: [messageID, source, result, now.timeIntervalSince1970])
            return try String.fetchOne(
                db, sql: "SELECT result FROM webhook_receipts WHERE message_id = ?", arguments: [messageID]) ?? result
        }
    }

    /// How many messages were received through webhooks.
    public func receiptCount() throws -> Int {
        try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_receipts") ?? 0 }
    }

    private static func source(_ row: Row) -> WebhookSource {
        WebhookSource(
            name: row["name"], secretEnv: row["secret_env"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            disabledAt: (row["disabled_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
