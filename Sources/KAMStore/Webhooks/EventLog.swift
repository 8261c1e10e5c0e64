import Foundation
import GRDB
import KAMCore

/// The one way a domain event enters `events`: appended inside the caller's transaction, by the store
/// function that makes the write it describes (a client inserted, a deal moved, a draft approved). So a
/// write that rolls back leaves no event, and no service has to remember to record one.
public enum EventLog {
    /// Appends `event` in `db`'s transaction; returns its id.
    @discardableResult
    public static func append(_ db: Database, _ event: DomainEvent) throws -> Int64 {
        try append(db, event, prepared: nil)
    }

    /// `append` with an import's `prepared` statements.
    @discardableResult
    static func append(_ db: Database, _ event: DomainEvent, prepared: PreparedWrites?) throws -> Int64 {
        try PreparedWrites.Kind.appendEvent.statement(db, prepared).execute { values in bind(event, to: &values) }
        return db.lastInsertedRowID
    }

    /// An event's columns, in the order of its INSERT: kind, client, subject, payload, time.
    static func bind(_ event: DomainEvent, to values: inout StatementBinding) {
        values.text(event.kind.rawValue)
        values.text(event.clientID)
        values.text(event.subjectID)
        values.text(event.payloadText)
        values.time(event.at)
    }
}
