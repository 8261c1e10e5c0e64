/// How an import of a help desk's tickets goes, whichever store keeps them: each entry with an external id the store
/// already holds is merged into it (and written only when that changed it), every other one linked to a client and
/// inserted. The stores (`SupportTicketRepository`, `PostgresSupportTicketStore`) supply the reads and writes, inside
/// their one transaction.
public enum TicketImport {
    /// What a ticket's client is, and how it was found (`client id`, `contact email`, …).
    public struct Link: Sendable, Hashable {
        public var clientID: String
        public var contactID: Int64?
        public var reason: String

        public init(clientID: String, contactID: Int64? = nil, reason: String) {
            self.clientID = clientID
            self.contactID = contactID
            self.reason = reason
        }
    }

    /// Imports `entries` and counts what it did.
    ///
    /// - Parameters:
    ///   - stored: the stored ticket with this external id, or nil.
    ///   - link: the client of a new ticket, or nil to store it unlinked.
    ///   - insert: stores a new ticket (with its `ticket.created` event).
    ///   - update: stores the merged ticket over the stored one (with `ticket.status-changed` when its status moved).
    public static func run(
        _ entries: [TicketImportEntry], stored: (String) throws -> SupportTicket?,
        link: (TicketImportEntry) throws -> Link?,
        insert: (SupportTicket) throws -> Void,
        update: (_ merged: SupportTicket, _ stored: SupportTicket) throws -> Void
    ) throws -> TicketImportOutcome {
        var outcome = TicketImportOutcome()
        for entry in entries {
            var ticket = entry.ticket
            if let external = ticket.externalID, let known = try stored(external) {
                let merged = merged(known, with: ticket)
                if merged == known {
                    outcome.unchanged += 1
                } else {
                    try update(merged, known)
                    outcome.updated += 1
                }
                continue
            }
            if let found = try link(entry) {
                ticket.clientID = found.clientID
                ticket.contactID = found.contactID
                ticket.link = found.reason
                outcome.links[found.reason, default: 0] += 1
            } else {
                outcome.unlinked += 1
            }
            try insert(ticket)
            outcome.created += 1
        }
        return outcome
    }

    /// A stored ticket as an import bringing it again leaves it: the status, priority, text, tags and update time
    /// the file has now; a changed text clears the analysis (it read the old one).
    public static func merged(_ stored: SupportTicket, with incoming: SupportTicket) -> SupportTicket {
        var ticket = stored
        ticket.status = incoming.status
        ticket.priority = incoming.priority
        ticket.subject = incoming.subject
        ticket.body = incoming.body
        ticket.tags = incoming.tags
        ticket.updatedAt = incoming.updatedAt
        if ticket.subject != stored.subject || ticket.body != stored.body { ticket.analysis = nil }
        return ticket
    }
}
