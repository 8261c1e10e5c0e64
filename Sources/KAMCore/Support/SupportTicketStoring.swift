import Foundation

/// Where support tickets are kept: `SupportTicketRepository` on SQLite, `PostgresSupportTicketStore` on
/// PostgreSQL. Every write appends its domain event in its own transaction (`ticket.created`,
/// `ticket.status-changed`, `ticket.analysed`).
///
/// Both behave alike (`SupportTicketStoreConformanceTests`); in particular an import is all or nothing and holds
/// when two run at once: of two imports of one file, by two processes, every ticket is created once (with one
/// `ticket.created` event), and the other import finds it stored.
///
/// For example:
/// ```swift
/// let outcome = try tickets.importTickets(file.entries, companyDomain: { _ in nil }, at: now)
/// let open = try tickets.list(TicketFilter(openOnly: true), limit: 50)
/// ```
public protocol SupportTicketStoring: Sendable {
    /// Stores the entries' tickets in one transaction: new ones (by external id) inserted and linked to a client
    /// (the entry's client column as an id, else as a name; the requester's contact; the organization by name;
    /// the requester's company domain, which `companyDomain` gives for an email host, nil for free mail), known
    /// ones updated (status, priority, text, tags; a changed text clears the analysis). Nothing is stored when any
    /// write fails.
    func importTickets(
        _ entries: [TicketImportEntry], companyDomain: (String) -> String?, at now: Date
    ) throws -> TicketImportOutcome

    /// The ticket with this id, or nil.
    func ticket(id: Int64) throws -> SupportTicket?

    /// The ticket whose reply draft is `replyDraftID`.
    func ticket(replyDraftID: String) throws -> SupportTicket?

    /// Up to `limit` tickets, newest first (creation time, then id).
    func list(_ filter: TicketFilter, limit: Int) throws -> [SupportTicket]

    /// Stores a ticket's analysis and its `ticket.analysed` event; nil (nothing written) when there is no such ticket.
    func setAnalysis(id: Int64, _ analysis: TicketAnalysis) throws -> SupportTicket?

    /// Records the pending reply draft written for a ticket.
    func setReplyDraft(id: Int64, draftID: String) throws

    /// A client's tickets opened since `since` or still open, newest first, at most `limit` (what its support
    /// insights read).
    func recentOrOpen(clientID: String, since: Date, limit: Int) throws -> [SupportTicket]
}
