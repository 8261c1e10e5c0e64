extension Runtime {
    /// The event log the outbound webhooks deliver from.
    public var events: EventService { EventService(runtime: self) }
    /// Signed webhooks: the inbound email webhook, its sources, outbound subscriptions and deliveries.
    public var webhooks: WebhookService { WebhookService(runtime: self) }
}
