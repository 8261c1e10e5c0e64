import Foundation
import KAMCore
import KAMStore

/// The runtime's event log: every write appends its domain event in its own transaction (`EventLog`, in the
/// store), so services never record events themselves. This service reads the log (`kam events list`) and runs
/// its consumers: each `EventConsumer` claims its cursor in `event_cursors` for the pass, reads a batch after it,
/// handles every event, then moves the cursor and lets it go. A consumer that crashes or throws mid-batch leaves its
/// cursor where it was, so the batch comes again: delivery is at least once and handlers are idempotent (keyed by
/// the event id).
///
/// For example:
/// ```swift
/// let events = try runtime.events.list(after: 0, kinds: [.draftApproved], as: .anonymous)
/// try await runtime.events.drain(WebhookFanOut(runtime: runtime))
/// ```
public struct EventService: Sendable {
    let runtime: Runtime

    private var repository: any EventStoring { runtime.eventLog }

    /// Events after `cursor` (an event id), oldest first, only of `kinds` and client `clientID` when given. The
    /// log names every client's ids, so only an admin (or a local run without `--user`) may read it.
    /// - Throws: `RoleRefusal` for a member or manager.
    public func list(
        after cursor: Int64 = 0, kinds: [EventKind]? = nil, clientID: String? = nil, limit: Int = 500,
        as user: ActingUser
    ) throws -> [StoredEvent] {
        try runtime.requireAdmin(user, for: "reading the event log")
        return try repository.events(after: cursor, kinds: kinds?.map(\.rawValue), clientID: clientID, limit: limit)
    }

    /// What one batch of a consumer did.
    public struct Consumed: Codable, Sendable, Hashable {
        /// Events handled in this batch.
        public var handled: Int
        /// The consumer's cursor after the batch (the last event it handled).
        public var cursor: Int64
    }

    /// Hands the next `limit` events after `consumer`'s cursor to it, in order, then moves the cursor past them.
    /// The pass first claims the cursor (a lease in `event_cursors`, `jobs.event_lease_seconds`: a pass that has not
    /// finished by then, its process dead, has its batch handled again by the next one): while another process runs the
    /// same consumer's pass, this one handles nothing (`handled` 0), so no batch is handled by two processes at once.
    /// When a handler throws (or the task is cancelled) the cursor stays, and the whole batch comes again next time;
    /// the failed pass is counted. After `EventFailure.passLimit` failed passes at the same position, the events
    /// are handed over one at a time and one whose handling throws is set aside (`event_failures`, `kam events
    /// failures`) so that the events after it are not held up for ever.
    public func consume(_ consumer: some EventConsumer, limit: Int = 200) async throws -> Consumed {
        let owner = "events:\(UUID().uuidString)"
        let now = runtime.now()
        // Two reads first: a pass that finds nothing new claims and releases nothing. The scheduler runs every
        // consumer's pass on a timer, and an idle server's passes would otherwise commit twice a pass, each commit
        // dropping what the server keeps at the store's data version (encoded contexts, verified keys).
        let seen = try repository.position(of: consumer.name, startingAt: 0, now: now).eventID
        guard try repository.lastID() > seen else { return Consumed(handled: 0, cursor: seen) }
        guard
            let position = try repository.claim(
                consumer.name, owner: owner, startingAt: 0, now: now, leaseUntil: now.addingTimeInterval(runtime.configuration.jobs.eventLeaseSeconds))
        else {
            return Consumed(handled: 0, cursor: try repository.cursor(of: consumer.name, now: now))
        }
        do {
            let consumed = try await consume(
                consumer, after: position.eventID, failedPasses: position.failedPasses, limit: limit)
            try repository.release(consumer.name, owner: owner)
            return consumed
        } catch {
            try? repository.release(consumer.name, owner: owner)
            throw error
        }
    }

    /// One pass of `consumer`, which holds its cursor at `cursor`.
    private func consume(_ consumer: some EventConsumer, after cursor: Int64, failedPasses: Int, limit: Int)
        async throws -> Consumed
    {
        let batch = try repository.events(after: cursor, kinds: nil, clientID: nil, limit: limit)
        guard let last = batch.last else { return Consumed(handled: 0, cursor: cursor) }
        if failedPasses >= EventFailure.passLimit {
            return try await consumeOneByOne(consumer, batch)
        }
        do {
            try await consumer.handle(batch: batch)
            try Task.checkCancellation()
        } catch let error where !(error is CancellationError) {
            try repository.recordFailedPass(of: consumer.name, error: "\(error)", now: runtime.now())
            throw error
        }
        try repository.advance(consumer.name, to: last.id, now: runtime.now())
        return Consumed(handled: batch.count, cursor: last.id)
    }

    /// Each event of `batch` on its own, the cursor moved after each; one that fails is set aside.
    private func consumeOneByOne(_ consumer: some EventConsumer, _ batch: [StoredEvent]) async throws -> Consumed {
        for event in batch {
            try Task.checkCancellation()
            do {
                try await consumer.handle(batch: [event])
                try repository.advance(consumer.name, to: event.id, now: runtime.now())
            } catch let error where !(error is CancellationError) {
                try repository.setAside(event, for: consumer.name, error: "\(error)", now: runtime.now())
            }
        }
        return Consumed(handled: batch.count, cursor: batch.last?.id ?? 0)
    }

    /// The events consumers set aside, newest first (admin only, as the log).
    /// - Throws: `RoleRefusal` for a member or manager.
    public func failures(consumer: String? = nil, limit: Int = 100, as user: ActingUser) throws -> [EventFailure] {
        try runtime.requireAdmin(user, for: "reading the event log")
        return try repository.failures(consumer: consumer, limit: limit)
    }

    /// Consumes batches until `consumer` has caught up with the log; returns how many events it handled.
    @discardableResult
    public func drain(_ consumer: some EventConsumer, batch: Int = 200) async throws -> Int {
        var handled = 0
        while true {
            let consumed = try await consume(consumer, limit: batch)
            handled += consumed.handled
            if consumed.handled < batch { return handled }
        }
    }
}
