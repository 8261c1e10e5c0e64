import Foundation
import GRDB
import KAMCore

/// Support tickets in the store. Every write appends its event in the same transaction (`ticket.created`,
/// `ticket.status-changed`, `ticket.analysed`).
public struct SupportTicketRepository: Sendable {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// What one import did.
    public struct ImportOutcome: Sendable, Equatable, Codable {
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        /// Tickets stored without a client: no contact, organization or company domain matched.
        public var unlinked = 0
        /// How the linked tickets found their client (`contact email`, `organization name`, ...) → count.
        public var links: [String: Int] = [:]
    }

    /// What a ticket's client is, and how it was found.
    struct Link {
        var clientID: String
        var contactID: Int64?
        var reason: String
    }

    static let columns = """
        id, client_id, contact_id, external_id, channel, requester, organization, subject, body, status, priority, tags,
        created_at, updated_at, link, analysis, reply_draft_id
        """

    /// Stores the file's tickets in one transaction: new ones (by external id) inserted and linked to a client,
    /// known ones updated (status, priority, text, tags; a changed text clears the analysis). Nothing is stored
    /// when any write fails.
    public func importTickets(_ file: TicketFile, domains: CompanyDomains, at now: Date) throws -> ImportOutcome {
        try writer.write { db in
            var outcome = ImportOutcome()
            for entry in file.entries {
                var ticket = entry.ticket
                if let external = ticket.externalID,
                    let stored = try Row.fetchOne(
                        db, sql: "SELECT \(Self.columns) FROM support_tickets WHERE external_id = ?", arguments: [external]
                    ).map(Self.ticket)
                {
                    try update(db, stored: stored, with: ticket, at: now, outcome: &outcome)
                    continue
                }
                if let link = try Self.link(db, entry: entry, domains: domains) {
                    ticket.clientID = link.clientID
                    ticket.contactID = link.contactID
                    ticket.link = link.reason
                    outcome.links[link.reason, default: 0] += 1
                } else {
                    outcome.unlinked += 1
                }
                _ = try Self.insert(db, ticket, at: now)
                outcome.created += 1
            }
            return outcome
        }
    }

    private func update(
        _ db: Database, stored: SupportTicket, with incoming: SupportTicket, at now: Date, outcome: inout ImportOutcome
    ) throws {
        guard let id = stored.id else { return }
        var ticket = stored
        ticket.status = incoming.status
        ticket.priority = incoming.priority
        ticket.subject = incoming.subject
        ticket.body = incoming.body
        ticket.tags = incoming.tags
        ticket.updatedAt = incoming.updatedAt
        if ticket.subject != stored.subject || ticket.body != stored.body { ticket.analysis = nil }
        guard ticket != stored else {
            outcome.unchanged += 1
            return
        }
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
        outcome.updated += 1
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
    static func link(_ db: Database, entry: TicketFile.Entry, domains: CompanyDomains) throws -> Link? {
        if let named = entry.client {
            if let id = try String.fetchOne(db, sql: "SELECT id FROM clients WHERE id = ?", arguments: [named]) {
                return Link(clientID: id, contactID: nil, reason: "client id")
            }
            if let id = try String.fetchOne(db, sql: "SELECT id FROM clients WHERE name = ? COLLATE NOCASE LIMIT 1", arguments: [named]) {
                return Link(clientID: id, contactID: nil, reason: "client name")
            }
        }
        let email = entry.ticket.requester
        if let email, let row = try Row.fetchOne(
            db, sql: "SELECT client_id, id FROM contacts WHERE email = ? ORDER BY id LIMIT 1", arguments: [email])
        {
            return Link(clientID: row[0], contactID: row[1], reason: "contact email")
        }
        if let organization = entry.ticket.organization, let id = try String.fetchOne(
            db, sql: "SELECT id FROM clients WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1", arguments: [organization])
        {
            return Link(clientID: id, contactID: nil, reason: "organization name")
        }
        if let email, let host = email.split(separator: "@").last.map(String.init),
            case .company(let domain) = domains.owner(ofHost: host.lowercased()),
            let id = try String.fetchOne(
                db, sql: "SELECT id FROM clients WHERE domain = ? COLLATE NOCASE ORDER BY id LIMIT 1", arguments: [domain])
        {
            return Link(clientID: id, contactID: nil, reason: "email domain")
        }
        return nil
    }

    public func ticket(id: Int64) throws -> SupportTicket? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM support_tickets WHERE id = ?", arguments: [id]).map(Self.ticket)
        }
    }

    /// The ticket whose reply draft is `replyDraftID`.
    public func ticket(replyDraftID: String) throws -> SupportTicket? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.columns) FROM support_tickets WHERE reply_draft_id = ? LIMIT 1", arguments: [replyDraftID]
            ).map(Self.ticket)
        }
    }

    /// Which tickets to list.
    public struct Filter: Sendable {
        public var clientID: String?
        public var status: TicketStatus?
        public var openOnly = false
        public var unlinkedOnly = false
        public var unanalysedOnly = false
        /// Only tickets of clients these users own (an acting user's scope); nil for every ticket, unlinked ones too.
        public var ownerIDs: Set<String>?

        public init(
            clientID: String? = nil, status: TicketStatus? = nil, openOnly: Bool = false, unlinkedOnly: Bool = false,
            unanalysedOnly: Bool = false, ownerIDs: Set<String>? = nil
        ) {
            self.clientID = clientID
            self.status = status
            self.openOnly = openOnly
            self.unlinkedOnly = unlinkedOnly
            self.unanalysedOnly = unanalysedOnly
            self.ownerIDs = ownerIDs
        }
    }

    /// Up to `limit` tickets, newest first.
    public func list(_ filter: Filter, limit: Int = 100) throws -> [SupportTicket] {
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

    /// Stores a ticket's analysis and its `ticket.analysed` event.
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

    /// Records the pending reply draft written for a ticket.
    public func setReplyDraft(id: Int64, draftID: String) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE support_tickets SET reply_draft_id = ? WHERE id = ?", arguments: [draftID, id])
        }
    }

    /// A client's tickets opened since `since` or still open, newest first, at most `limit` (what its support insights
    /// read).
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
