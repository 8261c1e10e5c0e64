/// One campaign in full: its counts, the links clicked, and the clients whose people engaged (only the clients the
/// reader may see; the recipients of the others count in `counts` and `otherEngaged`, never by name).
public struct CampaignReport: Encodable, Sendable, Hashable {
    /// A tracked link and how many recipients clicked it.
    public struct Link: Encodable, Sendable, Hashable {
        public var url: String
        public var recipients: Int

        public init(url: String, recipients: Int) {
            self.url = url
            self.recipients = recipients
        }
    }

    public var campaign: Campaign
    public var counts: CampaignCounts
    /// Most clicked first (then by URL).
    public var links: [Link]
    /// Most engaged first: replies, then clicks, then opens, then the client's id.
    public var engagedClients: [EngagedClient]
    /// Engaged recipients linked to no client the reader may see (free mail, unknown domains, other teams' clients).
    public var otherEngaged: Int

    public init(campaign: Campaign, counts: CampaignCounts, links: [Link], engagedClients: [EngagedClient], otherEngaged: Int) {
        self.campaign = campaign
        self.counts = counts
        self.links = links
        self.engagedClients = engagedClients
        self.otherEngaged = otherEngaged
    }

    /// Orders clients most engaged first.
    public static func ordered(_ clients: [EngagedClient]) -> [EngagedClient] {
        clients.sorted {
            ($0.replied, $0.clicked, $0.opened) != ($1.replied, $1.clicked, $1.opened)
                ? ($0.replied, $0.clicked, $0.opened) > ($1.replied, $1.clicked, $1.opened) : $0.clientID < $1.clientID
        }
    }

    /// Links by recipients who clicked them, most first.
    public static func links(_ clicks: [String: Int]) -> [Link] {
        clicks.map { Link(url: $0.key, recipients: $0.value) }
            .sorted { $0.recipients != $1.recipients ? $0.recipients > $1.recipients : $0.url < $1.url }
    }
}
