import KAMCore
import PostgresNIO

/// The append-only log of domain events on PostgreSQL, as `EventLog` on SQLite: every repository that writes a
/// record appends its event here in the same transaction.
enum PostgresEventLog {
    /// Appends `event` in `session`'s transaction and returns its id.
    @discardableResult
    static func append(_ session: PostgresSession, _ event: DomainEvent) throws -> Int64 {
        let rows = try session.query(
            """
            INSERT INTO events (kind, client_id, subject_id, payload, occurred_at)
            VALUES (\(event.kind.rawValue), \(event.clientID), \(event.subjectID), \(event.payloadText),
                \(event.at.timeIntervalSince1970))
            RETURNING id
            """, doing: "appending a \(event.kind.rawValue) event")
        guard let id = try rows.rows.first?.decode(Int64.self) else {
            throw PostgresStoreError(.queryFailed, "the insert of a \(event.kind.rawValue) event returned no id")
        }
        session.appendedEvents?.record(id)
        return id
    }

    /// Appends `events`, in order, in one statement in `session`'s transaction: the ids and rows `append` one at a time
    /// would give (an identity column takes its values in the rows' order).
    static func append(_ session: PostgresSession, _ events: [DomainEvent]) throws {
        guard !events.isEmpty else { return }
        let kinds = events.map(\.kind.rawValue)
        let hasClient = events.map { $0.clientID != nil }
        let clientIDs = events.map { $0.clientID ?? "" }
        let hasSubject = events.map { $0.subjectID != nil }
        let subjectIDs = events.map { $0.subjectID ?? "" }
        let payloads = events.map(\.payloadText)
        let times = events.map(\.at.timeIntervalSince1970)
        let rows = try session.query(
            """
            INSERT INTO events (kind, client_id, subject_id, payload, occurred_at)
            SELECT kind, CASE WHEN has_client THEN client_id END, CASE WHEN has_subject THEN subject_id END, payload,
              occurred_at
            FROM unnest(\(kinds), \(hasClient), \(clientIDs), \(hasSubject), \(subjectIDs), \(payloads), \(times))
              WITH ORDINALITY AS e (kind, has_client, client_id, has_subject, subject_id, payload, occurred_at, n)
            ORDER BY n
            RETURNING id
            """, doing: "appending \(events.count) \(events[0].kind.rawValue) events")
        guard let recorder = session.appendedEvents else { return }
        for id in try rows.rows.map({ try $0.decode(Int64.self) }).sorted() { recorder.record(id) }
    }
}
