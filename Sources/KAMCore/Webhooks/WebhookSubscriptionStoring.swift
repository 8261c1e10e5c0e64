import Foundation

/// Outbound webhook subscriptions and their delivery log (`webhook_subscriptions`, `webhook_deliveries`):
/// `KAMStore.WebhookSubscriptionRepository` on SQLite, `KAMPostgres.PostgresWebhookSubscriptionStore` on PostgreSQL;
/// `WebhookService` and `WebhookFanOut` reach them through `Runtime.webhookSubscriptions`.
///
/// Across processes, an event has at most one delivery a subscription (a unique key: fanning an event out again, or
/// from two processes at once, creates nothing more).
public protocol WebhookSubscriptionStoring: Sendable {
    /// Adds a subscription that receives the events recorded from now on (after the last one now), with its
    /// `webhook.added` event (which it does not receive).
    func add(id: String, url: String, events: [String], secret: WebhookSecret, now: Date) throws
        -> WebhookSubscription

    /// Every subscription, oldest first.
    func list() throws -> [WebhookSubscription]

    /// Disables a subscription, with its event; false when no enabled one has that id.
    @discardableResult
    func disable(id: String, now: Date) throws -> Bool

    /// The secret of subscription `id`.
    func secret(of id: String) throws -> WebhookSecret?

    /// Creates a pending delivery, due `now`, of `event` to each enabled subscription that asked for its kind and was
    /// added before it; how many were created (none for a pair that has one already).
    @discardableResult
    func fanOut(_ event: StoredEvent, now: Date) throws -> Int

    /// Pending deliveries due at `now`, soonest first, at most `limit`.
    func due(now: Date, limit: Int) throws -> [WebhookDue]

    /// Records an attempt: `delivered`, or still pending with `nextAttemptAt`, or `failed` when that is nil.
    func recordAttempt(
        id: Int64, delivered: Bool, responseStatus: Int?, error: String?, nextAttemptAt: Date?, now: Date) throws

    /// The delivery log, newest first; only failed deliveries when `failedOnly`.
    func deliveries(failedOnly: Bool, limit: Int) throws -> [WebhookDelivery]

    /// Deliveries and their attempts by event kind and status.
    func deliveryCounts() throws -> [WebhookDeliveryCount]
}
