import Foundation
import GRDB
import KAMCore

/// Support tickets in the store, the core's `SupportTicketStoring` on SQLite. Every write appends its event in the
/// same transaction (`ticket.created`, `ticket.status-changed`, `ticket.analysed`); an import is one transaction,
/// exclusive under SQLite's single writer.
public struct SupportTicketRepository: SupportTicketStoring {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    static let columns = """
        id, client_id, contact_id, external_id, channel, requester, organization, subject, body, status, priority, tags,
        created_at, updated_at, link, analysis, reply_draft_id
        """

    public func importTickets(
        _ entries: [TicketImportEntry], companyDomain: (String) -> String?, at now: Date
    ) throws -> TicketImportOutcome {
        try writer.write { db in
            try TicketImport.run(
                entries,
                stored: { external in
                    try Row.fetchOne(
                        db, sql: "SELECT \(Self.columns) FROM support_tickets WHERE external_id = ?", arguments: [external]
                    ).map(Self.ticket)
                },
                link: { try Self.link(db, entry: $0, companyDomain: companyDomain) },
                insert: { _ = try Self.insert(db, $0, at: now) },
                update: { try Self.update(db, $0, stored: $1, at: now) })
        }
    }

    /// Writes `ticket`, an import's merge of `stored`, with `ticket.status-changed` when its status moved.
    private static func update(_ db: Database, _ ticket: SupportTicket, stored: SupportTicket, at now: Date) throws {
        guard let id = stored.id else { return }
        try db.execute(
            sql: """
                UPDATE support_tickets SET status = ?, priority = ?, subject = ?, body = ?, tags = ?, updated_at = ?,
                  analysis = ? WHERE id = ?
                """,
            arguments: [
                ticket.status.rawValue, ticket.priority.rawValue, ticket.subject, ticket.body,
                try DocumentCoding.encode(ticket.tags), ticket.updatedAt.timeIntervalSince1970,
                try ticket.analysis.map(DocumentCoding.encode), id,
            ])
        if ticket.status != stored.status {
            try EventLog.append(db, .ticketStatusChanged(ticket, id: id, from: stored.status, at: now))
        }
    }

    /// Inserts a ticket and its `ticket.created` event (and `ticket.analysed` when it comes analysed, as an email's
    /// does) in `db`'s transaction (the import's, or the email intake's).
    @discardableResult
    public static func insert(_ db: Database, _ ticket: SupportTicket, at now: Date) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO support_tickets (client_id, contact_id, external_id, channel, requester, organization, subject,
                  body, status, priority, tags, created_at, updated_at, link, analysis, reply_draft_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                ticket.clientID, ticket.contactID, ticket.externalID, ticket.channel.rawValue, ticket.requester,
                ticket.organization, ticket.subject, ticket.body, ticket.status.rawValue, ticket.priority.rawValue,
                try DocumentCoding.encode(ticket.tags), ticket.createdAt.timeIntervalSince1970,
                ticket.updatedAt.timeIntervalSince1970, ticket.link, try ticket.analysis.map(DocumentCoding.encode),
                ticket.replyDraftID,
            ])
        let id = db.lastInsertedRowID
        try EventLog.append(db, .ticketCreated(ticket, id: id, at: now))
        if let analysis = ticket.analysis { try EventLog.append(db, .ticketAnalysed(ticket, id: id, analysis)) }
        return id
    }

    /// The client of a ticket: the file's client column (an id, else a name), else the requester's contact, else the
    /// organization by name, else the requester's company domain (never a free-mail one).
    static func link(
        _ db: Database, entry: TicketImportEntry, companyDomain: (String) -> String?
    ) throws -> TicketImport.Link? {
        if let named = entry.client {
            if let id = try String.fetchOne(db, sql: "SELECT id FROM clients WHERE id = ?", arguments: [named]) {
                return TicketImport.Link(clientID: id, contactID: nil, reason: "client id")
            }
            if let id = try String.fetchOne(db, sql: "SELECT id FROM clients WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1", arguments: [named]) {
                return TicketImport.Link(clientID: id, contactID: nil, reason: "client name")
            }
        }
        let email = entry.ticket.requester
        if let email, let row = try Row.fetchOne(
            db, sql: "SELECT client_id, id FROM contacts WHERE email = ? ORDER BY id LIMIT 1", arguments: [email])
        {
            return TicketImport.Link(clientID: row[0], contactID: row[1], reason: "contact email")
        }
        if let organization = entry.ticket.organization, let id = try String.fetchOne(
            db, sql: "SELECT id FROM clients WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1", arguments: [organization])
        {
            return TicketImport.Link(clientID: id, contactID: nil, reason: "organization name")
        }
        if let email, let host = email.split(separator: "@").last.map(String.init),
            let domain = companyDomain(host.lowercased()),
            let id = try String.fetchOne(
                db, sql: "SELECT id FROM clients WHERE domain = ? COLLATE NOCASE ORDER BY id LIMIT 1", arguments: [domain])
        {
            return TicketImport.Link(clientID: id, contactID: nil, reason: "email domain")
        }
        return nil
    }

    public func ticket(id: Int64) throws -> SupportTicket? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM support_tickets WHERE id = ?", arguments: [id]).map(Self.ticket)
        }
    }

    public func ticket(replyDraftID: String) throws -> SupportTicket? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.columns) FROM support_tickets WHERE reply_draft_id = ? LIMIT 1", arguments: [replyDraftID]
            ).map(Self.ticket)
        }
    }

    public func list(_ filter: TicketFilter, limit: Int = 100) throws -> [SupportTicket] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let client = filter.clientID {
            conditions.append("client_id = ?")
            arguments += [client]
        }
        if let status = filter.status {
            conditions.append("status = ?")
            arguments += [status.rawValue]
        }
        if filter.openOnly {
            conditions.append("status IN (\(TicketStatus.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", ")))")
        }
        if filter.unlinkedOnly { conditions.append("client_id IS NULL") }
        if filter.unanalysedOnly { conditions.append("analysis IS NULL") }
        if let owners = filter.ownerIDs {
            conditions.append(
                "client_id IN (SELECT id FROM clients WHERE owner_id IN (\(owners.map { _ in "?" }.joined(separator: ", "))))")
            arguments += StatementArguments(owners.sorted())
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [limit]
        return try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.columns) FROM support_tickets \(whereClause) ORDER BY created_at DESC, id DESC LIMIT ?",
                arguments: arguments
            ).map(Self.ticket)
        }
    }

    public func setAnalysis(id: Int64, _ analysis: TicketAnalysis) throws -> SupportTicket? {
        try writer.write { db in
            guard var ticket = try Row.fetchOne(
                db, sql: "SELECT \(Self.columns) FROM support_tickets WHERE id = ?", arguments: [id]
            ).map(Self.ticket) else { return nil }
            ticket.analysis = analysis
            try db.execute(
                sql: "UPDATE support_tickets SET analysis = ? WHERE id = ?", arguments: [try DocumentCoding.encode(analysis), id])
            try EventLog.append(db, .ticketAnalysed(ticket, id: id, analysis))
            return ticket
        }
    }

    public func setReplyDraft(id: Int64, draftID: String) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE support_tickets SET reply_draft_id = ? WHERE id = ?", arguments: [draftID, id])
        }
    }

    public func recentOrOpen(clientID: String, since: Date, limit: Int) throws -> [SupportTicket] {
        try writer.read { db in try Self.snapshotTickets(db, clientID: clientID, since: since, limit: limit) }
    }

    /// A client's tickets for its snapshot: opened since `since` or still open, newest first.
    static func snapshotTickets(_ db: Database, clientID: String, since: Date, limit: Int = 200) throws -> [SupportTicket] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT \(columns) FROM support_tickets WHERE client_id = ?
                      AND (created_at >= ? OR status IN ('new', 'open', 'pending', 'hold'))
                    ORDER BY created_at DESC, id DESC LIMIT ?
                    """),
            arguments: [clientID, since.timeIntervalSince1970, limit]
        ).map(ticket)
    }

    static func ticket(_ row: Row) throws -> SupportTicket {
        func value<T: RawRepresentable>(_ index: Int, _ name: String) throws -> T where T.RawValue == String {
            let text: String = row[index]
            guard let value = T(rawValue: text) else {
                throw StoreError(.invalidValue, "support_tickets.\(name) holds '\(text)', which this kam does not know; upgrade kam")
            }
            return value
        }
        return SupportTicket(
            id: row[0], clientID: row[1], contactID: row[2], externalID: row[3], channel: try value(4, "channel"),
            requester: row[5], organization: row[6], subject: row[7], body: row[8], status: try value(9, "status"),
            priority: try value(10, "priority"), tags: try DocumentCoding.decode([String].self, from: row[11]),
            createdAt: Date(timeIntervalSince1970: row[12]), updatedAt: Date(timeIntervalSince1970: row[13]), link: row[14],
            analysis: try (row[15] as String?).map { try DocumentCoding.decode(TicketAnalysis.self, from: $0) },
            replyDraftID: row[16])
    }
}
