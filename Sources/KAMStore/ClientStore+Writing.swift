import Foundation
import GRDB
import KAMCore

extension ClientStore {
    @discardableResult
    public func upsertUser(_ user: User) throws -> UpsertOutcome {
        try writer.write { db in try ClientRecords.upsertUser(db, user) }
    }

    @discardableResult
    public func upsertClient(_ client: Client) throws -> (id: String, outcome: UpsertOutcome) {
        try writer.write { db in try ClientRecords.upsertClient(db, client, at: now()) }
    }

    @discardableResult
    public func upsertContact(_ contact: Contact) throws -> (id: Int64, outcome: UpsertOutcome) {
        try writer.write { db in
            try ClientRecords.requireClient(db, contact.clientID)
            return try ClientRecords.upsertContact(db, contact, at: now())
        }
    }

    @discardableResult
    public func upsertActivity(_ activity: Activity) throws -> (id: Int64, outcome: UpsertOutcome) {
        try writer.write { db in
            try ClientRecords.requireClient(db, activity.clientID)
            return try ClientRecords.upsertActivity(db, activity, at: now())
        }
    }

    @discardableResult
    public func upsertDeal(_ deal: Deal) throws -> (id: Int64, outcome: UpsertOutcome) {
        try writer.write { db in
            try ClientRecords.requireClient(db, deal.clientID)
            return try ClientRecords.upsertDeal(db, deal, at: now())
        }
    }

    @discardableResult
    public func upsertTask(_ task: ClientTask) throws -> (id: Int64, outcome: UpsertOutcome) {
        try writer.write { db in
            try ClientRecords.requireClient(db, task.clientID)
            return try ClientRecords.upsertTask(db, task, at: now())
        }
    }

    @discardableResult
    public func upsertOrder(_ order: Order) throws -> (id: Int64, outcome: UpsertOutcome) {
        try writer.write { db in
            try ClientRecords.requireClient(db, order.clientID)
            return try ClientRecords.upsertOrder(db, order, at: now())
        }
    }

    /// Remembers a fact or preference about a client, replacing any value under the same key.
    ///
    /// - Parameters:
    ///   - key: a short stable key; derived from `text` (`prefers-tuesday-morning-calls`) when nil.
    ///   - source: where it came from: `user` when typed by a person, `import`, `email:<id>`, ...
    /// - Throws: `StoreError` `.clientNotFound`, or `.invalidValue` for empty text or a confidence
    ///   outside 0…1 (refused, not clamped).
    @discardableResult
    public func remember(
        clientID: String, text: String, key: String? = nil, kind: MemoryKind = .fact, source: String = "user",
        confidence: Double = 1.0
    ) throws -> (item: MemoryItem, outcome: UpsertOutcome) {
        var item = try MemoryItem.remembering(
            clientID: clientID, text: text, key: key, kind: kind, source: source, confidence: confidence, at: now())
        let outcome = try writer.write { db in
            try ClientRecords.requireClient(db, clientID)
            let (id, outcome) = try ClientRecords.upsertMemory(db, item)
            item.id = id
            return outcome
        }
        return (item, outcome)
    }

    /// Forgets the memory item `key` of a client.
    ///
    /// - Throws: `StoreError` `.memoryKeyNotFound` (listing the keys the client has) when there is
    ///   nothing under that key, `.clientNotFound` when the client does not exist.
    @discardableResult
    public func forget(clientID: String, key: String) throws -> MemoryItem {
        try writer.write { db in
            try ClientRecords.requireClient(db, clientID)
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(ClientRecords.memoryColumns) FROM client_memory WHERE client_id = ? AND key = ?", arguments: [clientID, key])
            else {
                let keys = try String.fetchAll(
                    db, sql: "SELECT key FROM client_memory WHERE client_id = ? ORDER BY key", arguments: [clientID])
                throw StoreError.noMemoryKey(key, clientID: clientID, keys: keys)
            }
            let item = try ClientRecords.memory(row)
            try db.execute(sql: "DELETE FROM client_memory WHERE id = ?", arguments: [item.id])
            try EventLog.append(db, .memoryForgotten(item, id: item.id ?? 0, at: now()))
            return item
        }
    }
}
