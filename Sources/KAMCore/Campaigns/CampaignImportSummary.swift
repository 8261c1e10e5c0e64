/// What a campaign import stored: the campaigns it created or replaced, and how its recipients were linked.
public struct CampaignImportSummary: Encodable, Sendable, Hashable {
    /// A campaign of the file and its id in the store.
    public struct Entry: Encodable, Sendable, Hashable {
        public var id: Int64
        public var name: String
        /// `created`, or `replaced` when an earlier import had it (its recipients are the file's now).
        public var outcome: String
        public var recipients: Int
    }

    public var file: String
    public var campaigns: [Entry] = []
    public var recipients = 0
    /// Recipients whose address is a contact's (linked to the contact and its client).
    public var linkedToContacts = 0
    /// Recipients linked to a client by their address's registrable domain (no contact has the address).
    public var linkedByDomain = 0
    /// Recipients of free-mail providers (never a client by their domain) that no contact has.
    public var freeMail = 0
    /// Recipients linked to no client.
    public var unlinked = 0
    /// Clients one of whose people opened, clicked or replied.
    public var engagedClients = 0

    public init(file: String) {
        self.file = file
    }
}
