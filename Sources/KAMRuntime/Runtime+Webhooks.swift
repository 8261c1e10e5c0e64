import KAMCore
import KAMStore

extension Runtime {
    /// The event log (every write's domain events) and its consumers, the outbound webhooks among them.
    public var events: EventService { EventService(runtime: self) }
    /// Signed webhooks: the inbound email webhook, its sources, outbound subscriptions and deliveries.
    public var webhooks: WebhookService { WebhookService(runtime: self) }
}
