import Foundation
import GRDB
import KAMCore

/// The runtime's event log (`events`, appended by `EventLog` in each write's transaction) and the consumers'
/// cursors (`event_cursors`): a consumer claims its cursor, reads the events after it, handles them, then moves the
/// cursor and lets it go (`EventStoring`).
///
/// A claim is a compare-and-set of the cursor row's lease (`owner`, `lease_until`) in one write transaction, so of
/// two processes on one file running the same consumer only one gets the batch (SQLite's one writer orders them).
public struct EventRepository: EventStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Events after `cursor`, oldest first, at most `limit`; only of `kinds` and of client `clientID` when given.
    public func events(after cursor: Int64, kinds: [String]? = nil, clientID: String? = nil, limit: Int = 500) throws
        -> [StoredEvent]
    {
        try store.writer.read { db in
            var sql = "SELECT * FROM events WHERE id > ?"
            var arguments: StatementArguments = [cursor]
            if let kinds {
                sql += " AND kind IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ", ")))"
                arguments += StatementArguments(kinds)
            }
            if let clientID {
                sql += " AND client_id = ?"
                arguments += [clientID]
            }
            sql += " ORDER BY id LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.event)
        }
    }

    /// The last event's id (0 when there is none).
    public func lastID() throws -> Int64 {
        try store.writer.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM events") ?? 0 }
    }

    /// Where `consumer` stands: the last event it handled, and its failed passes there so far (0 after any pass
    /// that moved it); a consumer never seen starts at `start` (stored then). One statement pair, read by each pass.
    public func position(of consumer: String, startingAt start: Int64 = 0, now: Date) throws -> (eventID: Int64, failedPasses: Int) {
        try store.writer.write { db in
            try Self.insertCursor(db, consumer, at: start, now: now)
            let row = try Row.fetchOne(
                db, sql: "SELECT event_id, failures FROM event_cursors WHERE consumer = ?", arguments: [consumer])
            return (row?["event_id"] ?? start, row?["failures"] ?? 0)
        }
    }

    public func claim(_ consumer: String, owner: String, startingAt start: Int64 = 0, now: Date, leaseUntil: Date)
        throws -> (eventID: Int64, failedPasses: Int)?
    {
        try store.writer.write { db in
            try Self.insertCursor(db, consumer, at: start, now: now)
            try db.execute(
                sql: """
                    UPDATE event_cursors SET owner = ?, lease_until = ?
                    WHERE consumer = ? AND (owner IS NULL OR owner = ? OR lease_until < ?)
                    """,
                arguments: [owner, leaseUntil.timeIntervalSince1970, consumer, owner, now.timeIntervalSince1970])
            guard db.changesCount > 0,
                let row = try Row.fetchOne(
                    db, sql: "SELECT event_id, failures FROM event_cursors WHERE consumer = ?", arguments: [consumer])
            else { return nil }
            return (eventID: row["event_id"] as Int64, failedPasses: row["failures"] as Int)
        }
    }

    public func release(_ consumer: String, owner: String) throws {
        try store.writer.write { db in
            try db.execute(
                sql: "UPDATE event_cursors SET owner = NULL, lease_until = NULL WHERE consumer = ? AND owner = ?",
                arguments: [consumer, owner])
        }
    }

    /// Stores `consumer`'s cursor at `start` unless it has one.
    private static func insertCursor(_ db: Database, _ consumer: String, at start: Int64, now: Date) throws {
        try db.execute(
            sql: "INSERT INTO event_cursors (consumer, event_id, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            arguments: [consumer, start, now.timeIntervalSince1970])
    }

    /// Moves `consumer`'s cursor to `eventID` unless it is already there or further (a consumer racing
    /// another process for the same cursor never moves it back).
    public func advance(_ consumer: String, to eventID: Int64, now: Date) throws {
        try store.writer.write { db in try Self.advance(db, consumer, to: eventID, now: now) }
    }

    /// The same inside a caller's transaction; a moved cursor's failed passes start again from 0.
    static func advance(_ db: Database, _ consumer: String, to eventID: Int64, now: Date) throws {
        try db.execute(
            sql: """
                UPDATE event_cursors SET event_id = ?, updated_at = ?, failures = 0, last_error = NULL
                WHERE consumer = ? AND event_id < ?
                """,
            arguments: [eventID, now.timeIntervalSince1970, consumer, eventID])
    }

    /// Counts a failed pass of `consumer` at its position, with its error; the count now.
    @discardableResult
    public func recordFailedPass(of consumer: String, error: String, now: Date) throws -> Int {
        try store.writer.write { db in
            try db.execute(
                sql: "UPDATE event_cursors SET failures = failures + 1, last_error = ?, updated_at = ? WHERE consumer = ?",
                arguments: [error, now.timeIntervalSince1970, consumer])
            return try Int.fetchOne(db, sql: "SELECT failures FROM event_cursors WHERE consumer = ?", arguments: [consumer]) ?? 0
        }
    }

    /// Sets `event` aside for `consumer` and moves its cursor past it, in one transaction.
    public func setAside(_ event: StoredEvent, for consumer: String, error: String, now: Date) throws {
        try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO event_failures (consumer, event_id, kind, error, failed_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(consumer, event_id) DO UPDATE SET error = excluded.error, failed_at = excluded.failed_at
                    """,
                arguments: [consumer, event.id, event.kind, error, now.timeIntervalSince1970])
            try Self.advance(db, consumer, to: event.id, now: now)
        }
    }

    /// The events set aside, newest first, of `consumer` when given.
    public func failures(consumer: String? = nil, limit: Int = 100) throws -> [EventFailure] {
        try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT consumer, event_id, kind, error, failed_at FROM event_failures
                    WHERE ?1 IS NULL OR consumer = ?1 ORDER BY id DESC LIMIT ?2
                    """,
                arguments: [consumer, limit]
            ).map {
                EventFailure(
                    consumer: $0["consumer"], eventID: $0["event_id"], kind: $0["kind"], error: $0["error"],
                    failedAt: Date(timeIntervalSince1970: $0["failed_at"]))
            }
        }
    }

    static func event(_ row: Row) -> StoredEvent {
        StoredEvent(
            id: row["id"], kind: row["kind"], clientID: row["client_id"], subjectID: row["subject_id"],
            payload: row["payload"], occurredAt: Date(timeIntervalSince1970: row["occurred_at"]),
            chainRoot: row["chain_root"], chainDepth: row["chain_depth"] ?? 0)
    }
}
