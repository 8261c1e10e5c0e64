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
}
