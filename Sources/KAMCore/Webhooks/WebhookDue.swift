/// A pending delivery with what sending it needs: the event and (in the delivery) the subscription's URL.
public struct WebhookDue: Sendable {
    public var delivery: WebhookDelivery
    public var event: StoredEvent

    public init(delivery: WebhookDelivery, event: StoredEvent) {
        self.delivery = delivery
        self.event = event
    }
}
