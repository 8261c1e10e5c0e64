import Foundation
import KAMCore
import PostgresNIO

extension PostgresLeadProposalStore {
    /// Writes an accepted proposal's value where it belongs, with the events of what it changed, as on SQLite:
    /// industry to the client (`client.updated`), size band, needs and ICP fit to its details (`lead.updated`),
    /// decision makers not yet among its contacts (by name in any case) as new contacts (`contact.created`).
    static func apply(_ session: PostgresSession, _ proposal: LeadProposal, at now: Date) throws {
        let clientID = proposal.clientID
        switch proposal.field {
        case .industry:
            guard let industry = proposal.value.text,
                let before = try session.query(
                    "SELECT \(unescaped: PostgresMemoryRows.clientColumns) FROM clients WHERE id = \(clientID)",
                    doing: "reading client \(clientID)"
                ).rows.first.map(PostgresMemoryRows.client)
            else { return }
            var after = before
            after.industry = industry
            after.updatedAt = now
            try session.query(
                """
                UPDATE clients SET industry = \(industry), updated_at = \(now.timeIntervalSince1970)
                WHERE id = \(clientID)
                """, doing: "setting the industry of client \(clientID)")
            if let event = DomainEvent.clientUpdated(from: before, to: after, at: now) {
                try PostgresEventLog.append(session, event)
            }
        case .sizeBand, .needs, .icpFit:
            let before = try PostgresLeadStore.details(session, clientID: clientID)
            guard let details = proposal.applied(to: before, at: now) else { return }
            try PostgresLeadStore.write(session, details)
            if let event = DomainEvent.leadUpdated(from: before, to: details) {
                try PostgresEventLog.append(session, event)
            }
        case .decisionMakers:
            var known = Set<String>()
            for row in try session.query(
                "SELECT name FROM contacts WHERE client_id = \(clientID)", doing: "reading the contacts of \(clientID)"
            ).rows {
                known.insert(try row.decode(String.self).lowercased())
            }
            for person in proposal.value.people ?? [] where !known.contains(person.name.lowercased()) {
                var contact = Contact(clientID: clientID, name: person.name, title: person.title, role: .decisionMaker)
                let inserted = try session.query(
                    """
                    INSERT INTO contacts (client_id, external_id, name, email, phone, title, role)
                    VALUES (\(clientID), \(contact.externalID), \(contact.name), \(contact.email), \(contact.phone),
                        \(contact.title), \(contact.role.rawValue))
                    RETURNING id
                    """, doing: "adding decision maker \(person.name) to client \(clientID)")
                guard let id = try inserted.rows.first?.decode(Int64.self) else {
                    throw PostgresStoreError(.queryFailed, "the insert of a contact of \(clientID) returned no id")
                }
                contact.id = id
                try PostgresEventLog.append(session, .contactCreated(contact, id: id, at: now))
            }
        }
    }
}
