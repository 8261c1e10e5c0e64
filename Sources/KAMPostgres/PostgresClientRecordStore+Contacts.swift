import Foundation
import KAMCore
import PostgresNIO

/// A client's people by hand on PostgreSQL, as `ClientStore+Contacts`: a contact's email is checked under its
/// client's row lock, so two processes adding one email to one client take turns and the second is refused.
extension PostgresClientRecordStore {
    public func contacts(clientID: String) throws -> [Contact] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                "SELECT \(unescaped: Rows.contactColumns) FROM contacts WHERE client_id = \(clientID) ORDER BY name, id",
                doing: "reading the contacts of \(clientID)"
            ).rows.map(Rows.contact)
        }
    }

    @discardableResult
    public func addContact(_ contact: Contact) throws -> Contact {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, contact.clientID, lock: true)
            try Self.refuseTakenEmail(session, contact)
            var stored = contact
            let id = try Self.insertContact(session, contact)
            stored.id = id
            try PostgresEventLog.append(session, .contactCreated(stored, id: id, at: now()))
            return stored
        }
    }

    @discardableResult
    public func updateContact(id: Int64, clientID: String, _ change: (inout Contact) throws -> Void) throws -> Contact {
        try store.transaction(readOnly: false) { session in
            try Self.lockClient(session, clientID)  // no check: a missing client has no contact `id` either
            let before = try Self.contactRow(session, id: id, clientID: clientID)
            var contact = before
            try change(&contact)
            contact.id = id
            contact.clientID = clientID
            try Self.refuseTakenEmail(session, contact)
            try session.query(
                """
                UPDATE contacts SET name = \(contact.name), email = \(contact.email), phone = \(contact.phone),
                    title = \(contact.title), role = \(contact.role.rawValue)
                WHERE id = \(id)
                """, doing: "changing contact \(id)")
            if let event = DomainEvent.contactUpdated(from: before, to: contact, id: id, at: now()) {
                try PostgresEventLog.append(session, event)
            }
            return contact
        }
    }

    @discardableResult
    public func removeContact(id: Int64, clientID: String) throws -> Contact {
        try store.transaction(readOnly: false) { session in
            let contact = try Self.contactRow(session, id: id, clientID: clientID)
            try session.query("DELETE FROM contacts WHERE id = \(id)", doing: "removing contact \(id)")
            try PostgresEventLog.append(session, .contactRemoved(contact, id: id, at: now()))
            return contact
        }
    }

    /// Contact `id` of client `clientID`, locked until the transaction ends.
    static func contactRow(_ session: PostgresSession, id: Int64, clientID: String) throws -> Contact {
        guard
            let contact = try session.query(
                """
                SELECT \(unescaped: Rows.contactColumns) FROM contacts WHERE id = \(id) AND client_id = \(clientID)
                FOR UPDATE
                """, doing: "reading contact \(id)"
            ).rows.first.map(Rows.contact)
        else { throw StoreError.noContact(id, clientID: clientID) }
        return contact
    }

    /// Refuses a second contact with the same email at one client, compared as SQLite's `COLLATE NOCASE` column does.
    static func refuseTakenEmail(_ session: PostgresSession, _ contact: Contact) throws {
        guard let email = contact.email,
            let row = try session.query(
                """
                SELECT id, name FROM contacts
                WHERE client_id = \(contact.clientID) AND lower(email) = lower(\(email)::text COLLATE "C")
                    AND id IS DISTINCT FROM \(contact.id)
                ORDER BY id LIMIT 1
                """, doing: "checking the email of a contact of \(contact.clientID)"
            ).rows.first
        else { return }
        let (other, name) = try row.decode((Int64, String).self)
        throw StoreError.contactEmailTaken(email, clientID: contact.clientID, by: other, name: name)
    }

    /// Inserts `contact` (no event: the caller appends it) and returns its id.
    static func insertContact(_ session: PostgresSession, _ c: Contact) throws -> Int64 {
        let id = try insertedID(
            session,
            """
            INSERT INTO contacts (client_id, external_id, name, email, phone, title, role)
            VALUES (\(c.clientID), \(c.externalID), \(c.name), \(c.email), \(c.phone), \(c.title), \(c.role.rawValue))
            RETURNING id
            """, doing: "adding contact \(c.name) of \(c.clientID)")
        guard let id else { throw PostgresStoreError(.queryFailed, "the insert of a contact returned no id") }
        return id
    }
}
