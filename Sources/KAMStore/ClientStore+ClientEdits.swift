import Foundation
import GRDB
import KAMCore

/// Adding and changing a client by hand (`kam clients add|update`), each in one transaction.
extension ClientStore {
    /// Stores a new client.
    ///
    /// - Throws: `StoreError` `.invalidValue` when a client already has the id (or the external id), or
    ///   the owner is not a user.
    @discardableResult
    public func addClient(_ client: Client) throws -> Client {
        try writer.write { db in
            if let existing = try ClientRecords.clientRow(db, id: client.id) {
                throw StoreError.clientIDTaken(client.id, name: existing.name)
            }
            if let externalID = client.externalID,
                let other = try String.fetchOne(
                    db, sql: "SELECT id FROM clients WHERE external_id = ?", arguments: [externalID])
            {
                throw StoreError.externalIDTaken(externalID, by: other)
            }
            try ClientRecords.upsertClient(db, client, at: now())
            return client
        }
    }

    /// Changes the client with `id` in one transaction: `change` sees the stored client and edits it.
    /// A changed lead status is kept as a manual lead transition (with `reason`), as `kam lead --set` does.
    ///
    /// - Throws: `StoreError` `.clientNotFound`, `.invalidValue` (owner not a user); whatever `change` throws.
    @discardableResult
    public func updateClient(
        id: String, reason: String, at now: Date, _ change: (inout Client) throws -> Void
    ) throws -> (client: Client, leadTransition: LeadTransition?) {
        try writer.write { db in
            guard let before = try ClientRecords.clientRow(db, id: id) else {
                throw StoreError.noClient(id)
            }
            let (after, move) = try before.edited(reason: reason, at: now, change)
            if let move { try HealthRepository.apply(db, move) }
            try ClientRecords.upsertClient(db, after, at: now)
            if let event = DomainEvent.clientUpdated(from: before, to: after, at: now) { try EventLog.append(db, event) }
            return (after, move)
        }
    }
}

extension ClientRecords {
    /// The client with `id` inside a caller's transaction, or nil.
    static func clientRow(_ db: Database, id: String) throws -> Client? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(ClientRecords.clientColumns) FROM clients WHERE id = ?"), arguments: [id])
            .map(ClientRecords.client)
    }
}
