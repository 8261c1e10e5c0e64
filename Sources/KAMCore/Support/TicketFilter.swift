/// Which support tickets to list (`SupportTicketStoring.list`).
public struct TicketFilter: Sendable, Hashable {
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
