import Foundation
import KAMCore
import PostgresNIO

/// Outbound webhook subscriptions and their delivery log in a PostgreSQL database (`webhook_subscriptions`,
/// `webhook_deliveries`), as `WebhookSubscriptionRepository` keeps them in SQLite.
///
/// An event has at most one delivery a subscription across processes: `fanOut` inserts with `ON CONFLICT
/// (subscription_id, event_id) DO NOTHING`, so two processes fanning one event out at once (or one doing it again
/// after a crash) make each delivery once. Attempts are recorded as on SQLite: a delivery due in two processes'
/// passes at once may be sent by both (at least once, as the receivers are told).
public struct PostgresWebhookSubscriptionStore: WebhookSubscriptionStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func add(id: String, url: String, events: [String], secret: WebhookSecret, now: Date) throws
        -> WebhookSubscription
    {
        let (stored, env) = secret.columns
        try store.transaction(readOnly: false) { session in
            try session.query(
                """
                INSERT INTO webhook_subscriptions (id, url, events, secret, secret_env, event_cursor, created_at)
                SELECT \(id), \(url), \(events.joined(separator: " ")), \(stored), \(env), COALESCE(MAX(events.id), 0),
                    \(now.timeIntervalSince1970)
                FROM events
                """, doing: "adding webhook \(id)")
            // After the cursor was read: the subscription does not receive its own event.
            try PostgresEventLog.append(session, .webhookAdded(id: id, events: events, at: now))
        }
        return WebhookSubscription(id: id, url: url, events: events, secretEnv: env, createdAt: now)
    }

    public func list() throws -> [WebhookSubscription] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT id, url, events, secret_env, created_at, disabled_at FROM webhook_subscriptions
                ORDER BY created_at, id
                """, doing: "reading webhook subscriptions"
            ).rows.map { row in
                let (id, url, events, secretEnv, createdAt, disabledAt) = try row.decode(
                    (String, String, String, String?, Double, Double?).self)
                return WebhookSubscription(
                    id: id, url: url, events: events.split(separator: " ").map(String.init), secretEnv: secretEnv,
                    createdAt: Date(timeIntervalSince1970: createdAt),
                    disabledAt: disabledAt.map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    @discardableResult
    public func disable(id: String, now: Date) throws -> Bool {
        try store.transaction(readOnly: false) { session in
            try session.stamp(
                "disabled_at", of: "webhook_subscriptions", where: "id", is: id, now: now,
                event: .webhookDisabled(id: id, at: now))
        }
    }

    public func secret(of id: String) throws -> WebhookSecret? {
        try store.transaction(readOnly: true) { session in
            try PostgresWebhookSourceStore.secret(
                session, "SELECT secret, secret_env FROM webhook_subscriptions WHERE id = \(id)",
                doing: "reading the secret of webhook \(id)")
        }
    }

    @discardableResult
    public func fanOut(_ event: StoredEvent, now: Date) throws -> Int {
        try store.transaction(readOnly: false) { session in
            try session.query(
                """
                INSERT INTO webhook_deliveries (subscription_id, event_id, status, attempts, next_attempt_at, created_at)
                SELECT id, \(event.id), 'pending', 0, \(now.timeIntervalSince1970), \(now.timeIntervalSince1970)
                FROM webhook_subscriptions
                WHERE disabled_at IS NULL AND event_cursor < \(event.id)
                    AND (' ' || events || ' ') ILIKE ('% ' || \(event.kind) || ' %')
                ON CONFLICT (subscription_id, event_id) DO NOTHING
                """, doing: "fanning event \(event.id) out to the webhooks"
            ).metadata.rows ?? 0
        }
    }

    public func due(now: Date, limit: Int = 100) throws -> [WebhookDue] {
        try read(
            """
            \(unescaped: Self.select) WHERE d.status = 'pending' AND d.next_attempt_at <= \(now.timeIntervalSince1970)
            ORDER BY d.next_attempt_at, d.id LIMIT \(limit)
            """, doing: "reading the webhook deliveries due")
    }

    public func recordAttempt(
        id: Int64, delivered: Bool, responseStatus: Int?, error: String?, nextAttemptAt: Date?, now: Date
    ) throws {
        let status: WebhookDelivery.Status = delivered ? .delivered : (nextAttemptAt == nil ? .failed : .pending)
        let next = delivered ? nil : nextAttemptAt?.timeIntervalSince1970
        let deliveredAt = delivered ? now.timeIntervalSince1970 : nil
        try store.transaction(readOnly: false) { session in
            _ = try session.query(
                """
                UPDATE webhook_deliveries SET status = \(status.rawValue), attempts = attempts + 1,
                    last_attempt_at = \(now.timeIntervalSince1970), next_attempt_at = \(next),
                    response_status = \(responseStatus), last_error = \(error), delivered_at = \(deliveredAt)
                WHERE id = \(id)
                """, doing: "recording an attempt of webhook delivery \(id)")
        }
    }

    public func deliveries(failedOnly: Bool = false, limit: Int = 100) throws -> [WebhookDelivery] {
        let failed = failedOnly ? " WHERE d.status = 'failed'" : ""
        return try read(
            "\(unescaped: Self.select)\(unescaped: failed) ORDER BY d.id DESC LIMIT \(limit)",
            doing: "reading the webhook deliveries"
        ).map(\.delivery)
    }

    public func deliveryCounts() throws -> [WebhookDeliveryCount] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT e.kind, d.status, COUNT(*), SUM(d.attempts)::BIGINT FROM webhook_deliveries d
                JOIN events e ON e.id = d.event_id GROUP BY e.kind, d.status ORDER BY e.kind, d.status
                """, doing: "counting webhook deliveries"
            ).rows.map { row in
                let (event, status, deliveries, attempts) = try row.decode((String, String, Int, Int).self)
                return WebhookDeliveryCount(
                    event: event, status: try Self.status(status), deliveries: deliveries, attempts: attempts)
            }
        }
    }

    private static let select = """
        SELECT d.id, d.subscription_id, d.event_id, e.kind, s.url, d.status, d.attempts, d.next_attempt_at,
            d.last_attempt_at, d.response_status, d.last_error, d.created_at, d.delivered_at, e.client_id,
            e.subject_id, e.payload, e.occurred_at
        FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        JOIN events e ON e.id = d.event_id
        """

    /// The deliveries of a query selecting `select`'s columns, each with its event.
    private func read(_ query: PostgresQuery, doing: String) throws -> [WebhookDue] {
        try store.transaction(readOnly: true) { session in
            try session.query(query, doing: doing).rows.map { row in
                let (
                    id, subscriptionID, eventID, kind, url, status, attempts, nextAttemptAt, lastAttemptAt,
                    responseStatus, lastError, createdAt, deliveredAt, clientID, subjectID, payload, occurredAt
                ) = try row.decode(
                    (
                        Int64, String, Int64, String, String, String, Int, Double?, Double?, Int?, String?, Double,
                        Double?, String?, String?, String, Double
                    ).self)
                return WebhookDue(
                    delivery: WebhookDelivery(
                        id: id, subscriptionID: subscriptionID, eventID: eventID, eventKind: kind, url: url,
                        status: try Self.status(status), attempts: attempts,
                        nextAttemptAt: nextAttemptAt.map(Date.init(timeIntervalSince1970:)),
                        lastAttemptAt: lastAttemptAt.map(Date.init(timeIntervalSince1970:)),
                        responseStatus: responseStatus, lastError: lastError,
                        createdAt: Date(timeIntervalSince1970: createdAt),
                        deliveredAt: deliveredAt.map(Date.init(timeIntervalSince1970:))),
                    event: StoredEvent(
                        id: eventID, kind: kind, clientID: clientID, subjectID: subjectID, payload: payload,
                        occurredAt: Date(timeIntervalSince1970: occurredAt)))
            }
        }
    }

    private static func status(_ text: String) throws -> WebhookDelivery.Status {
        try PostgresColumn.enumValue(text, "status", table: "webhook_deliveries")
    }
}
