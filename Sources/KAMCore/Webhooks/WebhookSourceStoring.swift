import Foundation

/// The signed inbound webhook sources and the answers given to their messages (`webhook_sources`,
/// `webhook_receipts`): `KAMStore.WebhookSourceRepository` on SQLite, `KAMPostgres.PostgresWebhookSourceStore` on
/// PostgreSQL; `WebhookService` reaches them through `Runtime.webhookSources`.
///
/// Across processes, a message's answer is recorded once (its id is the key): when two deliveries of one message
/// race, both get the first answer back.
public protocol WebhookSourceStoring: Sendable {
    /// Adds (or replaces the secret of, and enables again) source `name`, with its `webhook.source-saved` event.
    func upsert(name: String, secret: WebhookSecret, now: Date) throws

    /// Disables source `name`, with its event; false when no enabled source has that name.
    @discardableResult
    func disable(name: String, now: Date) throws -> Bool

    /// Every source, by name.
    func list() throws -> [WebhookSource]

    /// The enabled source `name`'s secret, or nil.
    func secret(of name: String) throws -> WebhookSecret?

    /// The answer stored for `messageID`, or nil when it was never received.
    func receipt(messageID: String) throws -> String?

    /// Records the answer to `messageID` unless one is there already; returns the answer that stands (the first).
    func recordReceipt(messageID: String, source: String, result: String, now: Date) throws -> String

    /// How many messages were received through webhooks.
    func receiptCount() throws -> Int
}
