import Foundation
import KAMCore
import PostgresNIO

/// The event log read back, the consumers' cursors and the events they set aside, in a PostgreSQL database
/// (`events`, `event_cursors`, `event_failures`), as `EventRepository` keeps them in SQLite; the events are
/// appended by each write's own transaction (`PostgresEventLog`).
///
/// Across processes, a consumer's cursor is held by compare-and-set, not by a lock kept while its batch is handled
/// (a handler is async and writes through other connections, for as long as it takes): `claim` is an `UPDATE … WHERE
/// owner IS NULL OR owner = me OR lease_until < now`, and PostgreSQL locks the row and checks that condition again on
/// its latest version before updating, so of several processes claiming one consumer exactly one gets it until its
/// lease ends or it lets go (`release`). `advance` moves a cursor forward only (`WHERE event_id < new`), so a
/// process whose lease was taken over can never move it back.
public struct PostgresEventStore: EventStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func events(after cursor: Int64, kinds: [String]? = nil, clientID: String? = nil, limit: Int = 500) throws
        -> [StoredEvent]
    {
        var binds = PostgresBindings()
        binds.append(cursor)
        var sql = """
            SELECT id, kind, client_id, subject_id, payload, occurred_at, chain_root, chain_depth FROM events
            WHERE id > $1
            """
        if let kinds {
            binds.append(kinds)
            sql += " AND kind = ANY($\(binds.count))"
        }
        if let clientID {
            binds.append(clientID)
            sql += " AND client_id = $\(binds.count)"
        }
        binds.append(limit)
        sql += " ORDER BY id LIMIT $\(binds.count)"
        return try store.transaction(readOnly: true) { session in
            try session.query(PostgresQuery(unsafeSQL: sql, binds: binds), doing: "reading events after \(cursor)")
                .rows.map { row in
                    let (id, kind, clientID, subjectID, payload, occurredAt, chainRoot, chainDepth) = try row.decode(
                        (Int64, String, String?, String?, String, Double, Int64?, Int).self)
                    return StoredEvent(
                        id: id, kind: kind, clientID: clientID, subjectID: subjectID, payload: payload,
                        occurredAt: Date(timeIntervalSince1970: occurredAt), chainRoot: chainRoot,
                        chainDepth: chainDepth)
                }
        }
    }

    public func lastID() throws -> Int64 {
        try store.transaction(readOnly: true) { session in
            try session.query("SELECT COALESCE(MAX(id), 0)::BIGINT FROM events", doing: "reading the last event's id")
                .rows.first?.decode(Int64.self) ?? 0
        }
    }

    public func position(of consumer: String, startingAt start: Int64 = 0, now: Date) throws
        -> (eventID: Int64, failedPasses: Int)
    {
        try store.transaction(readOnly: false) { session in
            try Self.insertCursor(session, consumer, at: start, now: now)
            guard
                let row = try session.query(
                    "SELECT event_id, failures FROM event_cursors WHERE consumer = \(consumer)",
                    doing: "reading the cursor of \(consumer)"
                ).rows.first
            else { return (start, 0) }
            let (eventID, failures) = try row.decode((Int64, Int).self)
            return (eventID, failures)
        }
    }

    public func claim(_ consumer: String, owner: String, startingAt start: Int64 = 0, now: Date, leaseUntil: Date)
        throws -> (eventID: Int64, failedPasses: Int)?
    {
        try store.transaction(readOnly: false) { session in
            try Self.insertCursor(session, consumer, at: start, now: now)
            guard
                let row = try session.query(
                    """
                    UPDATE event_cursors SET owner = \(owner), lease_until = \(leaseUntil.timeIntervalSince1970)
                    WHERE consumer = \(consumer)
                        AND (owner IS NULL OR owner = \(owner) OR lease_until < \(now.timeIntervalSince1970))
                    RETURNING event_id, failures
                    """, doing: "claiming the cursor of \(consumer)"
                ).rows.first
            else { return nil }
            let (eventID, failures) = try row.decode((Int64, Int).self)
            return (eventID, failures)
        }
    }

    public func release(_ consumer: String, owner: String) throws {
        try store.transaction(readOnly: false) { session in
            _ = try session.query(
                """
                UPDATE event_cursors SET owner = NULL, lease_until = NULL
                WHERE consumer = \(consumer) AND owner = \(owner)
                """, doing: "releasing the cursor of \(consumer)")
        }
    }

    public func advance(_ consumer: String, to eventID: Int64, now: Date) throws {
        try store.transaction(readOnly: false) { session in try Self.advance(session, consumer, to: eventID, now: now) }
    }

    @discardableResult
    public func recordFailedPass(of consumer: String, error: String, now: Date) throws -> Int {
        try store.transaction(readOnly: false) { session in
            try session.query(
                """
                UPDATE event_cursors SET failures = failures + 1, last_error = \(error),
                    updated_at = \(now.timeIntervalSince1970)
                WHERE consumer = \(consumer)
                RETURNING failures
                """, doing: "counting a failed pass of \(consumer)"
            ).rows.first?.decode(Int.self) ?? 0
        }
    }

    public func setAside(_ event: StoredEvent, for consumer: String, error: String, now: Date) throws {
        try store.transaction(readOnly: false) { session in
            try session.query(
                """
                INSERT INTO event_failures (consumer, event_id, kind, error, failed_at)
                VALUES (\(consumer), \(event.id), \(event.kind), \(error), \(now.timeIntervalSince1970))
                ON CONFLICT (consumer, event_id) DO UPDATE SET error = excluded.error, failed_at = excluded.failed_at
                """, doing: "setting event \(event.id) aside for \(consumer)")
            try Self.advance(session, consumer, to: event.id, now: now)
        }
    }

    public func failures(consumer: String? = nil, limit: Int = 100) throws -> [EventFailure] {
        let columns = "SELECT consumer, event_id, kind, error, failed_at FROM event_failures"
        let query: PostgresQuery =
            if let consumer {
                "\(unescaped: columns) WHERE consumer = \(consumer) ORDER BY id DESC LIMIT \(limit)"
            } else {
                "\(unescaped: columns) ORDER BY id DESC LIMIT \(limit)"
            }
        return try store.transaction(readOnly: true) { session in
            try session.query(query, doing: "reading the events set aside").rows.map { row in
                let (consumer, eventID, kind, error, failedAt) = try row.decode(
                    (String, Int64, String, String, Double).self)
                return EventFailure(
                    consumer: consumer, eventID: eventID, kind: kind, error: error,
                    failedAt: Date(timeIntervalSince1970: failedAt))
            }
        }
    }

    /// Stores `consumer`'s cursor at `start` unless it has one.
    private static func insertCursor(_ session: PostgresSession, _ consumer: String, at start: Int64, now: Date) throws
    {
        try session.query(
            """
            INSERT INTO event_cursors (consumer, event_id, updated_at)
            VALUES (\(consumer), \(start), \(now.timeIntervalSince1970)) ON CONFLICT DO NOTHING
            """, doing: "starting the cursor of \(consumer)")
    }

    /// Moves the cursor forward only; a moved cursor's failed passes start again from 0.
    private static func advance(_ session: PostgresSession, _ consumer: String, to eventID: Int64, now: Date) throws {
        try session.query(
            """
            UPDATE event_cursors SET event_id = \(eventID), updated_at = \(now.timeIntervalSince1970), failures = 0,
                last_error = NULL
            WHERE consumer = \(consumer) AND event_id < \(eventID)
            """, doing: "moving the cursor of \(consumer) to \(eventID)")
    }
}
