/// What one import of a help desk's tickets did (`SupportTicketStoring.importTickets`).
public struct TicketImportOutcome: Sendable, Equatable, Codable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    /// Tickets stored without a client: no contact, organization or company domain matched.
    public var unlinked = 0
    /// How the linked tickets found their client (`contact email`, `organization name`, ...) → count.
    public var links: [String: Int] = [:]

    public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0, unlinked: Int = 0, links: [String: Int] = [:]) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.unlinked = unlinked
        self.links = links
    }
}
