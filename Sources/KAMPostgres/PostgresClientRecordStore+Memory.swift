import Foundation
import KAMCore
import PostgresNIO

/// Remembering and forgetting on PostgreSQL, as `ClientStore+Writing`'s `remember` and `forget`. A key goes in with
/// `INSERT … ON CONFLICT (client_id, key) DO NOTHING`: of two processes remembering one new key, one inserts, the
/// other waits for its row and updates it (one item); a forgotten item is read `FOR UPDATE` before it is deleted,
/// so a second `forget` of it finds nothing.
extension PostgresClientRecordStore {
    @discardableResult
    public func remember(
        clientID: String, text: String, key: String? = nil, kind: MemoryKind = .fact, source: String = "user",
        confidence: Double = 1.0
    ) throws -> (item: MemoryItem, outcome: UpsertOutcome) {
        var item = try MemoryItem.remembering(
            clientID: clientID, text: text, key: key, kind: kind, source: source, confidence: confidence, at: now())
        let outcome = try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, clientID)
            let (id, outcome) = try Self.upsertMemory(session, item)
            item.id = id
            return outcome
        }
        return (item, outcome)
    }

    @discardableResult
    public func forget(clientID: String, key: String) throws -> MemoryItem {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, clientID)
            let doing = "forgetting \(key) of \(clientID)"
            guard
                let item = try session.query(
                    """
                    SELECT \(unescaped: Rows.memoryColumns) FROM client_memory
                    WHERE client_id = \(clientID) AND key = \(key) FOR UPDATE
                    """, doing: doing
                ).rows.first.map(Rows.memory)
            else {
                let keys = try session.query(
                    "SELECT key FROM client_memory WHERE client_id = \(clientID) ORDER BY key", doing: doing
                ).rows.map { try $0.decode(String.self) }
                throw StoreError.noMemoryKey(key, clientID: clientID, keys: keys)
            }
            try session.query("DELETE FROM client_memory WHERE id = \(item.id ?? 0)", doing: doing)
            try PostgresEventLog.append(session, .memoryForgotten(item, id: item.id ?? 0, at: now()))
            return item
        }
    }

    /// `ClientRecords.upsertMemory` in `session`'s transaction: a new item (unless `announcingCreation` is false), or a
    /// changed one, gets its `memory.remembered` event.
    static func upsertMemory(
        _ session: PostgresSession, _ item: MemoryItem, announcingCreation: Bool = true
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        let doing = "remembering \(item.key) of \(item.clientID)"
        let at = item.updatedAt.timeIntervalSince1970
        if let created = try insertedID(
            session,
            """
            INSERT INTO client_memory (client_id, kind, key, value, source, confidence, updated_at)
            VALUES (\(item.clientID), \(item.kind.rawValue), \(item.key), \(item.value), \(item.source),
                \(item.confidence), \(at))
            ON CONFLICT (client_id, key) DO NOTHING RETURNING id
            """, doing: doing)
        {
            if announcingCreation {
                try PostgresEventLog.append(session, .memoryRemembered(item, id: created, created: true, at: item.updatedAt))
            }
            return (created, .created)
        }
        // Not inserted: the client already has this key (its row is locked until the transaction ends).
        guard
            let before = try session.query(
                """
                SELECT id, kind, value, source, confidence FROM client_memory
                WHERE client_id = \(item.clientID) AND key = \(item.key) FOR UPDATE
                """, doing: doing
            ).rows.first?.decode((Int64, String, String, String, Double).self)
        else { throw StoreError(.invalidValue, "memory '\(item.key)' of client '\(item.clientID)' was forgotten meanwhile; try again") }
        try session.query(
            """
            UPDATE client_memory SET kind = \(item.kind.rawValue), value = \(item.value), source = \(item.source),
                confidence = \(item.confidence), updated_at = \(at)
            WHERE id = \(before.0)
            """, doing: doing)
        let unchanged =
            before.1 == item.kind.rawValue && before.2 == item.value && before.3 == item.source
            && before.4 == item.confidence
        if !unchanged {
            try PostgresEventLog.append(session, .memoryRemembered(item, id: before.0, created: false, at: item.updatedAt))
        }
        return (before.0, .updated)
    }
}
