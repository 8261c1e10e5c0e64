import Foundation
import GRDB
import KAMCore

/// A client's people by hand (`kam contacts add|update|remove|list`), each write in one transaction.
extension ClientStore {
    /// The client's contacts, by name.
    public func contacts(clientID: String) throws -> [Contact] {
        try writer.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(ClientRecords.contactColumns) FROM contacts WHERE client_id = ? ORDER BY name, id"),
                arguments: [clientID]
            ).map(ClientRecords.contact)
        }
    }

    /// Stores a new contact of an existing client, with its `contact.created` event.
    ///
    /// - Throws: `StoreError` `.clientNotFound`; `.invalidValue` when another contact of the client has the email.
    @discardableResult
    public func addContact(_ contact: Contact) throws -> Contact {
        try writer.write { db in
            try ClientRecords.requireClient(db, contact.clientID)
            try ClientRecords.refuseTakenEmail(db, contact)
            return try ClientRecords.insertContact(db, contact, at: now())
        }
    }

    /// Changes contact `id` of client `clientID` in one transaction: `change` edits the stored contact.
    ///
    /// - Throws: `StoreError` `.invalidValue` when the client has no contact `id` or the new email is taken.
    @discardableResult
    public func updateContact(id: Int64, clientID: String, _ change: (inout Contact) throws -> Void) throws -> Contact {
        try writer.write { db in
            let before = try ClientRecords.contactRow(db, id: id, clientID: clientID)
            var contact = before
            try change(&contact)
            contact.id = id
            contact.clientID = clientID
            try ClientRecords.refuseTakenEmail(db, contact)
            try db.execute(
                sql: "UPDATE contacts SET name = ?, email = ?, phone = ?, title = ?, role = ? WHERE id = ?",
                arguments: .storing([contact.name, contact.email, contact.phone, contact.title, contact.role.rawValue, id]))
            if let event = DomainEvent.contactUpdated(from: before, to: contact, id: id, at: now()) {
                try EventLog.append(db, event)
            }
            return contact
        }
    }

    /// Deletes contact `id` of client `clientID`; activities that named the contact keep their text.
    @discardableResult
    public func removeContact(id: Int64, clientID: String) throws -> Contact {
        try writer.write { db in
            let contact = try ClientRecords.contactRow(db, id: id, clientID: clientID)
            try db.execute(sql: "DELETE FROM contacts WHERE id = ?", arguments: [id])
            try EventLog.append(db, .contactRemoved(contact, id: id, at: now()))
            return contact
        }
    }
}

extension ClientRecords {
    /// Contact `id` of client `clientID` inside a caller's transaction.
    static func contactRow(_ db: Database, id: Int64, clientID: String) throws -> Contact {
        guard
            let contact = try Row.fetchOne(
                db, sql: "SELECT \(ClientRecords.contactColumns) FROM contacts WHERE id = ? AND client_id = ?", arguments: [id, clientID]
            ).map(ClientRecords.contact)
        else {
            throw StoreError.noContact(id, clientID: clientID)
        }
        return contact
    }

    /// Refuses a second contact with the same email at one client (the importer matches contacts by email).
    static func refuseTakenEmail(_ db: Database, _ contact: Contact) throws {
        guard let email = contact.email,
            let other = try Row.fetchOne(
                db, sql: "SELECT id, name FROM contacts WHERE client_id = ? AND email = ? AND id IS NOT ?",
                arguments: .storing([contact.clientID, email, contact.id]))
        else { return }
        throw StoreError.contactEmailTaken(email, clientID: contact.clientID, by: other["id"], name: other["name"])
    }
}

extension ClientRecords {
    /// Inserts `contact` inside a caller's transaction, with its `contact.created` event.
    /// - Returns: the contact with its id.
    @discardableResult
    static func insertContact(_ db: Database, _ contact: Contact, at now: Date) throws -> Contact {
        var stored = contact
        try db.execute(
            sql: "INSERT INTO contacts (client_id, external_id, name, email, phone, title, role) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: .storing([
                contact.clientID, contact.externalID, contact.name, contact.email, contact.phone, contact.title,
                contact.role.rawValue,
            ]))
        stored.id = db.lastInsertedRowID
        try EventLog.append(db, .contactCreated(stored, id: db.lastInsertedRowID, at: now))
        return stored
    }
}
