import Foundation
import GRDB
import KAMCore

/// Outbound webhook subscriptions and their delivery log: events are fanned out to the subscriptions that
/// asked for their kind (one delivery per event and subscription, a unique key), and each delivery keeps its
/// attempts, its next attempt's time and the receiver's last answer. A subscription's `event_cursor` is the
/// last event before it was added: it gets only later ones.
public struct WebhookSubscriptionRepository: WebhookSubscriptionStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Adds a subscription; it receives the events recorded from now on (after `event_cursor`, the last id now).
    public func add(id: String, url: String, events: [String], secret: WebhookSecret, now: Date) throws
        -> WebhookSubscription
    {
        let (stored, env) = secret.columns
        try store.writer.write { db in
            let cursor = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM events") ?? 0
            try db.execute(
                sql: """
                    INSERT INTO webhook_subscriptions (id, url, events, secret, secret_env, event_cursor, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, url, events.joined(separator: " "), stored, env, cursor, now.timeIntervalSince1970])
            // After the cursor was read: the subscription does not receive its own event.
            try EventLog.append(db, .webhookAdded(id: id, events: events, at: now))
        }
        return WebhookSubscription(id: id, url: url, events: events, secretEnv: env, createdAt: now)
    }

    /// Every subscription, oldest first.
    public func list() throws -> [WebhookSubscription] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhook_subscriptions ORDER BY created_at, id").map(Self.subscription)
        }
    }

    /// Disables a subscription; false when no enabled one has that id.
    @discardableResult
    public func disable(id: String, now: Date) throws -> Bool {
        try store.stamp(
            "disabled_at", of: "webhook_subscriptions", where: "id", is: id, now: now, event: .webhookDisabled(id: id, at: now))
    }

    /// The secret of subscription `id`.
    public func secret(of id: String) throws -> WebhookSecret? {
        try store.writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT secret, secret_env FROM webhook_subscriptions WHERE id = ?", arguments: [id])
            else { return nil }
            return WebhookSecret(secret: row["secret"], secretEnv: row["secret_env"])
        }
    }

    /// Creates a pending delivery, due now, of `event` to each enabled subscription that asked for its kind and
    /// was added before it; returns how many were created. Idempotent: a (subscription, event) pair has at most
    /// one delivery (a unique key), so handling an event again after a crash creates nothing.
    @discardableResult
    public func fanOut(_ event: StoredEvent, now: Date) throws -> Int {
        try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhook_deliveries (subscription_id, event_id, status, attempts, next_attempt_at, created_at)
                    SELECT id, ?, 'pending', 0, ?, ? FROM webhook_subscriptions
                    WHERE disabled_at IS NULL AND event_cursor < ? AND (' ' || events || ' ') LIKE ('% ' || ? || ' %')
                    ON CONFLICT(subscription_id, event_id) DO NOTHING
                    """,
                arguments: [event.id, now.timeIntervalSince1970, now.timeIntervalSince1970, event.id, event.kind])
            return db.changesCount
        }
    }

    /// Pending deliveries due at `now`, oldest first.
    public func due(now: Date, limit: Int = 100) throws -> [WebhookDue] {
        try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: Self.select + " WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?",
                arguments: [now.timeIntervalSince1970, limit]
            ).map { WebhookDue(delivery: Self.delivery($0), event: Self.event($0)) }
        }
    }

    /// Records an attempt: `delivered`, or still pending with `nextAttemptAt`, or `failed` when nil.
    public func recordAttempt(
        id: Int64, delivered: Bool, responseStatus: Int?, error: String?, nextAttemptAt: Date?, now: Date
    ) throws {
        let status: WebhookDelivery.Status = delivered ? .delivered : (nextAttemptAt == nil ? .failed : .pending)
        try store.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_attempt_at = ?,
                    next_attempt_at = ?, response_status = ?, last_error = ?, delivered_at = ? WHERE id = ?
                    """,
                arguments: [
                    status.rawValue, now.timeIntervalSince1970, delivered ? nil : nextAttemptAt?.timeIntervalSince1970,
                    responseStatus, error, delivered ? now.timeIntervalSince1970 : nil, id,
                ])
        }
    }

    /// The delivery log, newest first; only failed deliveries when `failedOnly`.
    public func deliveries(failedOnly: Bool = false, limit: Int = 100) throws -> [WebhookDelivery] {
        try store.writer.read { db in
            try Row.fetchAll(
                db, sql: Self.select + (failedOnly ? " WHERE d.status = 'failed'" : "") + " ORDER BY d.id DESC LIMIT ?",
                arguments: [limit]
            ).map(Self.delivery)
        }
    }

    /// Deliveries and their attempts by event kind and status.
    public func deliveryCounts() throws -> [WebhookDeliveryCount] {
        try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.kind, d.status, COUNT(*), SUM(d.attempts) FROM webhook_deliveries d
                    JOIN events e ON e.id = d.event_id GROUP BY e.kind, d.status ORDER BY e.kind, d.status
                    """
            ).map {
                WebhookDeliveryCount(
                    event: $0[0], status: WebhookDelivery.Status(rawValue: $0[1]) ?? .pending, deliveries: $0[2],
                    attempts: $0[3])
            }
        }
    }

    static let select = """
        SELECT d.*, s.url AS url, e.kind AS event_kind, e.client_id AS client_id, e.subject_id AS subject_id,
        e.payload AS payload, e.occurred_at AS occurred_at
        FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        JOIN events e ON e.id = d.event_id
        """

    static func delivery(_ row: Row) -> WebhookDelivery {
        WebhookDelivery(
            id: row["id"], subscriptionID: row["subscription_id"], eventID: row["event_id"], eventKind: row["event_kind"],
            url: row["url"], status: WebhookDelivery.Status(rawValue: row["status"]) ?? .pending, attempts: row["attempts"],
            nextAttemptAt: (row["next_attempt_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            lastAttemptAt: (row["last_attempt_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            responseStatus: row["response_status"], lastError: row["last_error"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            deliveredAt: (row["delivered_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    static func event(_ row: Row) -> StoredEvent {
        StoredEvent(
            id: row["event_id"], kind: row["event_kind"], clientID: row["client_id"], subjectID: row["subject_id"],
            payload: row["payload"], occurredAt: Date(timeIntervalSince1970: row["occurred_at"]))
    }

    static func subscription(_ row: Row) -> WebhookSubscription {
        WebhookSubscription(
            id: row["id"], url: row["url"], events: (row["events"] as String).split(separator: " ").map(String.init),
            secretEnv: row["secret_env"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            disabledAt: (row["disabled_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
