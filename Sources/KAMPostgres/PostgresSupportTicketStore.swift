import Foundation
import KAMCore
import PostgresNIO

/// Support tickets in a PostgreSQL database, as `SupportTicketRepository` keeps them in SQLite: the core's
/// `SupportTicketStoring`, shared by every process that opens the database. Every write appends its event in the
/// same transaction (`PostgresEventLog`).
///
/// An import is exclusive across processes, as SQLite's single writer makes it: its transaction first takes the
/// imports' advisory lock (`PostgresImportTarget.holdLock`, keyed by the schema), held until it commits. So of two imports of one file
/// at once, the second finds every ticket the first created (by external id, after its commit) and updates or leaves
/// it, instead of inserting it again and failing on the unique external id; a ticket's status change has one event.
/// The other writes are single statements on one row (`UPDATE … RETURNING`): the last one wins, as on SQLite.
///
/// For example:
///
///     let tickets = PostgresSupportTicketStore(store: try await PostgresStore.open(configuration))
///     let outcome = try tickets.importTickets(file.entries, companyDomain: { _ in nil }, at: now)
public struct PostgresSupportTicketStore: SupportTicketStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func importTickets(
        _ entries: [TicketImportEntry], companyDomain: (String) -> String?, at now: Date
    ) throws -> TicketImportOutcome {
        try store.transaction(readOnly: false) { session in
            try PostgresImportTarget.holdLock(session, schema: store.configuration.schema, before: "importing support tickets")
            return try TicketImport.run(
                entries,
                stored: { external in
                    try Self.tickets(
                        session,
                        "SELECT \(unescaped: Self.columns) FROM support_tickets WHERE external_id = \(external)",
                        doing: "reading ticket \(external)"
                    ).first
                },
                link: { try Self.link(session, entry: $0, companyDomain: companyDomain) },
                insert: { _ = try Self.insert(session, $0, at: now) },
                update: { try Self.update(session, $0, stored: $1, at: now) })
        }
    }

    public func ticket(id: Int64) throws -> SupportTicket? {
        try read(
            "SELECT \(unescaped: Self.columns) FROM support_tickets WHERE id = \(id)", doing: "reading ticket \(id)"
        ).first
    }

    public func ticket(replyDraftID: String) throws -> SupportTicket? {
        try read(
            """
            SELECT \(unescaped: Self.columns) FROM support_tickets WHERE reply_draft_id = \(replyDraftID)
            ORDER BY id LIMIT 1
            """, doing: "reading the ticket of reply draft \(replyDraftID)"
        ).first
    }

    public func list(_ filter: TicketFilter, limit: Int = 100) throws -> [SupportTicket] {
        var query = PostgresDraftQuery()
        if let client = filter.clientID { query.require("client_id =", client) }
        if let status = filter.status { query.require("status =", status.rawValue) }
        if filter.openOnly {
            let open = query.bind(TicketStatus.allCases.filter(\.isOpen).map(\.rawValue))
            query.require("status = ANY(\(open))")
        }
        if filter.unlinkedOnly { query.require("client_id IS NULL") }
        if filter.unanalysedOnly { query.require("analysis IS NULL") }
        if let owners = filter.ownerIDs {
            let owned = query.bind(owners.sorted())
            query.require("client_id IN (SELECT id FROM clients WHERE owner_id = ANY(\(owned)))")
        }
        let tail = "ORDER BY created_at DESC, id DESC " + query.limit(limit)
        return try read(query.query(Self.columns, from: "support_tickets", tail), doing: "listing support tickets")
    }

    public func setAnalysis(id: Int64, _ analysis: TicketAnalysis) throws -> SupportTicket? {
        let document = try DocumentCoding.encode(analysis)
        return try store.transaction(readOnly: false) { session in
            guard
                let ticket = try Self.tickets(
                    session,
                    """
                    UPDATE support_tickets SET analysis = \(document) WHERE id = \(id)
                    RETURNING \(unescaped: Self.columns)
                    """, doing: "storing the analysis of ticket \(id)"
                ).first
            else { return nil }
            try PostgresEventLog.append(session, .ticketAnalysed(ticket, id: id, analysis))
            return ticket
        }
    }

    public func setReplyDraft(id: Int64, draftID: String) throws {
        try store.transaction(readOnly: false) { session in
            _ = try session.query(
                "UPDATE support_tickets SET reply_draft_id = \(draftID) WHERE id = \(id)",
                doing: "linking reply draft \(draftID) to ticket \(id)")
        }
    }

    public func recentOrOpen(clientID: String, since: Date, limit: Int) throws -> [SupportTicket] {
        try read(
            """
            SELECT \(unescaped: Self.columns) FROM support_tickets WHERE client_id = \(clientID)
              AND (created_at >= \(since.timeIntervalSince1970) OR status IN ('new', 'open', 'pending', 'hold'))
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """, doing: "reading the recent and open tickets of client \(clientID)")
    }

    // MARK: - In a transaction

    /// Inserts a ticket and its `ticket.created` event (and `ticket.analysed` when it comes analysed, as an email's
    /// does) in `session`'s transaction (the import's, or the email intake's); returns its id.
    @discardableResult
    static func insert(_ session: PostgresSession, _ ticket: SupportTicket, at now: Date) throws -> Int64 {
        let tags = try DocumentCoding.encode(ticket.tags)
        let analysis = try ticket.analysis.map(DocumentCoding.encode)
        let rows = try session.query(
            """
            INSERT INTO support_tickets (client_id, contact_id, external_id, channel, requester, organization, subject,
              body, status, priority, tags, created_at, updated_at, link, analysis, reply_draft_id)
            VALUES (\(ticket.clientID), \(ticket.contactID), \(ticket.externalID), \(ticket.channel.rawValue),
              \(ticket.requester), \(ticket.organization), \(ticket.subject), \(ticket.body), \(ticket.status.rawValue),
              \(ticket.priority.rawValue), \(tags), \(ticket.createdAt.timeIntervalSince1970),
              \(ticket.updatedAt.timeIntervalSince1970), \(ticket.link), \(analysis), \(ticket.replyDraftID))
            RETURNING id
            """, doing: "storing ticket \(ticket.externalID ?? ticket.subject)")
        guard let id = try rows.rows.first?.decode(Int64.self) else {
            throw PostgresStoreError(.queryFailed, "the insert of a support ticket returned no id")
        }
        try PostgresEventLog.append(session, .ticketCreated(ticket, id: id, at: now))
        if let analysis = ticket.analysis {
            try PostgresEventLog.append(session, .ticketAnalysed(ticket, id: id, analysis))
        }
        return id
    }

    /// Writes `ticket`, an import's merge of `stored`, with `ticket.status-changed` when its status moved.
    private static func update(
        _ session: PostgresSession, _ ticket: SupportTicket, stored: SupportTicket, at now: Date
    ) throws {
        guard let id = stored.id else { return }
        let tags = try DocumentCoding.encode(ticket.tags)
        let analysis = try ticket.analysis.map(DocumentCoding.encode)
        try session.query(
            """
            UPDATE support_tickets SET status = \(ticket.status.rawValue), priority = \(ticket.priority.rawValue),
              subject = \(ticket.subject), body = \(ticket.body), tags = \(tags),
              updated_at = \(ticket.updatedAt.timeIntervalSince1970), analysis = \(analysis)
            WHERE id = \(id)
            """, doing: "updating ticket \(id)")
        if ticket.status != stored.status {
            try PostgresEventLog.append(session, .ticketStatusChanged(ticket, id: id, from: stored.status, at: now))
        }
    }

    /// The client of a ticket, as `SupportTicketRepository.link` finds it: the entry's client column (an id, else a
    /// name), else the requester's contact, else the organization by name, else the requester's company domain.
    /// Names, addresses and domains compare as SQLite's NOCASE does (`lower(…)` under "C": ASCII letters only).
    private static func link(
        _ session: PostgresSession, entry: TicketImportEntry, companyDomain: (String) -> String?
    ) throws -> TicketImport.Link? {
        func firstID(_ query: PostgresQuery) throws -> String? {
            try session.query(query, doing: "linking ticket \(entry.location) to its client").rows.first?
                .decode(String.self)
        }
        if let named = entry.client {
            if let id = try firstID("SELECT id FROM clients WHERE id = \(named)") {
                return TicketImport.Link(clientID: id, reason: "client id")
            }
            if let id = try firstID(
                "SELECT id FROM clients WHERE lower(name) = lower(\(named)::text COLLATE \"C\") ORDER BY id LIMIT 1")
            {
                return TicketImport.Link(clientID: id, reason: "client name")
            }
        }
        let email = entry.ticket.requester
        if let email,
            let row = try session.query(
                """
                SELECT client_id, id FROM contacts WHERE lower(email) = lower(\(email)::text COLLATE "C")
                ORDER BY id LIMIT 1
                """, doing: "linking ticket \(entry.location) to its contact"
            ).rows.first
        {
            let (clientID, contactID) = try row.decode((String, Int64).self)
            return TicketImport.Link(clientID: clientID, contactID: contactID, reason: "contact email")
        }
        if let organization = entry.ticket.organization,
            let id = try firstID(
                """
                SELECT id FROM clients WHERE lower(name) = lower(\(organization)::text COLLATE "C") ORDER BY id LIMIT 1
                """)
        {
            return TicketImport.Link(clientID: id, reason: "organization name")
        }
        if let email, let host = email.split(separator: "@").last.map(String.init),
            let domain = companyDomain(host.lowercased()),
            let id = try firstID(
                "SELECT id FROM clients WHERE lower(domain) = lower(\(domain)::text COLLATE \"C\") ORDER BY id LIMIT 1")
        {
            return TicketImport.Link(clientID: id, reason: "email domain")
        }
        return nil
    }

    // MARK: - Rows

    static let columns = PostgresMemoryRows.ticketColumns

    static func tickets(_ session: PostgresSession, _ query: PostgresQuery, doing: String) throws -> [SupportTicket] {
        try session.query(query, doing: doing).rows.map(PostgresMemoryRows.ticket)
    }

    private func read(_ query: PostgresQuery, doing: String) throws -> [SupportTicket] {
        try store.transaction(readOnly: true) { session in try Self.tickets(session, query, doing: doing) }
    }
}
