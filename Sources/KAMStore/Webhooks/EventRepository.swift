import Foundation
import GRDB

/// The runtime's event log (`events`): appended right after the write it describes, read in order by
/// the webhook dispatcher.
public struct EventRepository: Sendable {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Appends an event; returns its id.
    @discardableResult
    public func append(kind: String, clientID: String?, subjectID: String?, payload: String, at: Date) throws -> Int64 {
        try store.writer.write { db in
            try db.execute(
                sql: "INSERT INTO events (kind, client_id, subject_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [kind, clientID, subjectID, payload, at.timeIntervalSince1970])
            return db.lastInsertedRowID
        }
    }

    /// Events after `cursor`, oldest first, at most `limit`.
    public func events(after cursor: Int64, kinds: [String]? = nil, limit: Int = 500) throws -> [StoredEvent] {
        try store.writer.read { db in
            var sql = "SELECT * FROM events WHERE id > ?"
            var arguments: StatementArguments = [cursor]
            if let kinds {
                sql += " AND kind IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ", ")))"
                arguments += StatementArguments(kinds)
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

    static func event(_ row: Row) -> StoredEvent {
        StoredEvent(
            id: row["id"], kind: row["kind"], clientID: row["client_id"], subjectID: row["subject_id"],
            payload: row["payload"], occurredAt: Date(timeIntervalSince1970: row["occurred_at"]))
    }
}
