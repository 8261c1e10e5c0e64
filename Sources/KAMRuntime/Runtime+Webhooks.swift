import KAMCore
import KAMStore

extension Runtime {
    /// The event log (every write's domain events) and its consumers, the outbound webhooks among them.
    public var events: EventService { EventService(runtime: self) }
    /// Signed webhooks: the inbound email webhook, its sources, outbound subscriptions and deliveries.
    public var webhooks: WebhookService { WebhookService(runtime: self) }

    /// The event log read back and its consumers' cursors, in the store's database (`EventRepository`;
    /// `PostgresEventStore` is the same on PostgreSQL).
    var eventLog: any EventStoring { EventRepository(store: store) }

    /// The inbound webhook sources and their receipts, in the store's database (`WebhookSourceRepository`;
    /// `PostgresWebhookSourceStore` on PostgreSQL).
    var webhookSources: any WebhookSourceStoring { WebhookSourceRepository(store: store) }

    /// The outbound subscriptions and their delivery log, in the store's database (`WebhookSubscriptionRepository`;
    /// `PostgresWebhookSubscriptionStore` on PostgreSQL).
    var webhookSubscriptions: any WebhookSubscriptionStoring { WebhookSubscriptionRepository(store: store) }
}
