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
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            throw StoreError(.invalidValue, "nothing to remember for client '\(clientID)': the text is empty")
        }
        // A text (or key) with no letters or digits to slug, such as "👍", is kept under a key made from its hash.
        var slug = Slug.make(key ?? Slug.memoryKey(from: value))
        if slug.isEmpty { slug = "m-" + Slug.stableHash([key ?? value]).prefix(8) }
        if let problem = ImportDocument.NumberRule.confidence.problem(confidence) {
            throw StoreError(.invalidValue, "memory for client '\(clientID)': confidence \(problem)")
        }
        var item = MemoryItem(
            clientID: clientID, kind: kind, key: slug, value: value, source: source, confidence: confidence,
            updatedAt: now())
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
                let known = keys.isEmpty ? "it has no memory items" : "its keys are: \(keys.joined(separator: ", "))"
                throw StoreError(
                    .memoryKeyNotFound,
                    "client '\(clientID)' has nothing remembered under '\(key)'; \(known) (`kam clients show \(clientID)`)")
            }
            let item = try ClientRecords.memory(row)
            try db.execute(sql: "DELETE FROM client_memory WHERE id = ?", arguments: [item.id])
            try EventLog.append(db, .memoryForgotten(item, id: item.id ?? 0, at: now()))
            return item
        }
    }
}
