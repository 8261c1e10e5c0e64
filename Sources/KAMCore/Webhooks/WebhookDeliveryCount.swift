/// How many outbound deliveries of one event kind are in one state, and the attempts they took: what
/// `/metrics` reports, read from the delivery log so it counts every process's deliveries (`kam serve`'s
/// dispatcher and `kam webhooks deliver` alike).
public struct WebhookDeliveryCount: Codable, Sendable, Hashable {
    public var event: String
    public var status: WebhookDelivery.Status
    public var deliveries: Int
    public var attempts: Int

    public init(event: String, status: WebhookDelivery.Status, deliveries: Int, attempts: Int) {
        self.event = event
        self.status = status
        self.deliveries = deliveries
        self.attempts = attempts
    }
}
