/// One ticket as a help desk's export gave it, before it is linked to a client (KAMStore's `TicketFile` reads them).
public struct TicketImportEntry: Sendable, Equatable {
    public var ticket: SupportTicket
    /// The file's own client column (a client id or name), when mapped.
    public var client: String?
    /// Where it came from, for messages (`tickets.csv:17`, `tickets.json: tickets[3]`).
    public var location: String

    public init(ticket: SupportTicket, client: String? = nil, location: String) {
        self.ticket = ticket
        self.client = client
        self.location = location
    }
}
