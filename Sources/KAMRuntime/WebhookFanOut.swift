import KAMCore
import KAMStore

/// The outbound webhooks as an event consumer (cursor `webhooks`): each event becomes one pending delivery
/// per enabled subscription that asked for its kind and was added before it. Handling an event again (a
/// batch retried after a crash) creates nothing new: a delivery is unique by subscription and event.
public struct WebhookFanOut: EventConsumer {
    public let runtime: Runtime
    public var name: String { "webhooks" }

    public init(runtime: Runtime) {
        self.runtime = runtime
    }

    public func handle(_ event: StoredEvent) async throws {
        try runtime.webhookSubscriptions.fanOut(event, now: runtime.now())
    }
}
