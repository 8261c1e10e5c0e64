import KAMCore
import KAMStore

/// A reader of the event log with its own cursor (`event_cursors`, under `name`), run by
/// `EventService.consume`/`drain`: the outbound webhooks' fan-out (`WebhookFanOut`), later the rules.
///
/// `handle` is called at least once per event, in order: when a batch does not finish (a throw, a crash, a
/// cancelled task) its events come again, so a handler's effects must be idempotent, keyed by the event id
/// (a unique key, an `ON CONFLICT DO NOTHING`). A consumer named for the first time starts at the log's beginning.
public protocol EventConsumer: Sendable {
    /// The cursor's name, unique among consumers (`webhooks`).
    var name: String { get }
    /// Handles one event; throwing stops the batch without moving the cursor.
    func handle(_ event: StoredEvent) async throws
    /// Handles a batch of events in order (by default one `handle` each): a consumer that reads the same things for
    /// many events (the rules: each client's facts) reads them once a batch.
    func handle(batch: [StoredEvent]) async throws
}

extension EventConsumer {
    public func handle(batch: [StoredEvent]) async throws {
        for event in batch {
            try Task.checkCancellation()
            try await handle(event)
        }
    }
}
