import Foundation

/// The event log read back (`events`, appended by each write in its own transaction), the consumers' cursors
/// (`event_cursors`) and the events they set aside (`event_failures`): `KAMStore.EventRepository` on SQLite,
/// `KAMPostgres.PostgresEventStore` on PostgreSQL; `EventService` reaches them through `Runtime.eventLog`.
///
/// A consumer's pass *claims* its cursor for an owner until a lease ends (`claim`), reads the events after it,
/// handles them, moves the cursor (`advance`) and lets it go (`release`). The claim is a compare-and-set on the
/// cursor row that holds across processes: while one owner's lease is live no other owner gets the cursor, so two
/// processes running the same consumer never both handle a batch; one that died mid-batch is replaced when its lease
/// ends, and its batch comes again (at least once). A cursor only moves forward.
///
/// For example:
///
///     guard let start = try log.claim("webhooks", owner: me, startingAt: 0, now: now, leaseUntil: now + 300) else {
///         return  // another process is handling this consumer's next batch
///     }
///     let batch = try log.events(after: start.eventID, kinds: nil, clientID: nil, limit: 200)
///     ...  // handle the batch
///     if let last = batch.last { try log.advance("webhooks", to: last.id, now: now) }
///     try log.release("webhooks", owner: me)
public protocol EventStoring: Sendable {
    /// Events after `cursor`, oldest first, at most `limit`; only of `kinds` and of client `clientID` when given.
    func events(after cursor: Int64, kinds: [String]?, clientID: String?, limit: Int) throws -> [StoredEvent]

    /// The last event's id (0 when there is none).
    func lastID() throws -> Int64

    /// Where `consumer` stands: the last event it handled, and its failed passes there so far (0 after any pass
    /// that moved it); a consumer never seen starts at `start` (stored then).
    func position(of consumer: String, startingAt start: Int64, now: Date) throws
        -> (eventID: Int64, failedPasses: Int)

    /// Claims `consumer`'s cursor for `owner` until `leaseUntil` and returns where it stands (as `position`); nil
    /// while another owner's lease is live at `now`. A consumer never seen starts at `start`.
    func claim(_ consumer: String, owner: String, startingAt start: Int64, now: Date, leaseUntil: Date) throws
        -> (eventID: Int64, failedPasses: Int)?

    /// Lets `consumer`'s cursor go, if `owner` still holds it.
    func release(_ consumer: String, owner: String) throws

    /// Moves `consumer`'s cursor to `eventID` unless it is already there or further (never back); a moved cursor's
    /// failed passes start again from 0.
    func advance(_ consumer: String, to eventID: Int64, now: Date) throws

    /// Counts a failed pass of `consumer` at its position, with its error; the count now.
    @discardableResult
    func recordFailedPass(of consumer: String, error: String, now: Date) throws -> Int

    /// Sets `event` aside for `consumer` (`event_failures`) and moves its cursor past it, in one transaction.
    func setAside(_ event: StoredEvent, for consumer: String, error: String, now: Date) throws

    /// The events set aside, newest first, of `consumer` when given; at most `limit`.
    func failures(consumer: String?, limit: Int) throws -> [EventFailure]
}

extension EventStoring {
    /// The id of the last event `consumer` handled; a consumer never seen starts at `start` (stored then).
    public func cursor(of consumer: String, startingAt start: Int64 = 0, now: Date) throws -> Int64 {
        try position(of: consumer, startingAt: start, now: now).eventID
    }
}
