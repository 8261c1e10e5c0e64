/// A campaign's report counted from its recipients' rows, whichever store reads them (`CampaignRepository`,
/// `PostgresCampaignStore`): the links clicked, the recipients who engaged, and the clients whose people did.
public struct CampaignReportTally {
    private var clicks: [String: Int] = [:]
    private var engagedRecipients = 0
    private var clients: [String: (client: EngagedClient, engagedRecipients: Int)] = [:]

    public init() {}

    /// Counts one recipient of the campaign in (`clickedURLs`: its links, one a line).
    public mutating func add(_ recipient: RecipientEngagement, clickedURLs: String?) {
        if recipient.engaged { engagedRecipients += 1 }
        guard recipient.clicked, let clickedURLs else { return }
        for url in clickedURLs.split(separator: "\n") { clicks[String(url), default: 0] += 1 }
    }

    /// Counts one recipient linked to client `clientID` (named `clientName`) in, among its client's.
    public mutating func add(
        _ recipient: RecipientEngagement, clientID: String, clientName: String?, decisionMaker: Bool
    ) {
        var entry = clients[clientID] ?? (EngagedClient(clientID: clientID, clientName: clientName ?? clientID), 0)
        entry.client.add(recipient, decisionMaker: decisionMaker)
        if recipient.engaged { entry.engagedRecipients += 1 }
        clients[clientID] = entry
    }

    /// The clients whose people engaged, by id, with how many of their recipients engaged.
    public var engagedClients: [(client: EngagedClient, engagedRecipients: Int)] {
        clients.values.filter { $0.client.isEngaged }.sorted { $0.client.clientID < $1.client.clientID }
    }

    /// The report of the campaign `summary` is: the engaged clients counted in, and the other engaged recipients.
    public func report(_ summary: CampaignSummary) -> CampaignReport {
        let clients = engagedClients
        let shown = clients.reduce(0) { $0 + $1.engagedRecipients }
        return CampaignReport(
            campaign: summary.campaign, counts: summary.counts, links: CampaignReport.links(clicks),
            engagedClients: CampaignReport.ordered(clients.map(\.client)), otherEngaged: engagedRecipients - shown)
    }

    /// Counts by segment name (`enterprise clients`, …, `no client`) in the segments' order: the tiers from the
    /// largest, then the other names.
    public static func segments(_ byTier: [String: CampaignCounts]) -> [(name: String, counts: CampaignCounts)] {
        let tiers = SubscriptionTier.allCases.reversed().map { "\($0.rawValue) clients" }
        return byTier.sorted {
            (tiers.firstIndex(of: $0.key) ?? tiers.count, $0.key) < (tiers.firstIndex(of: $1.key) ?? tiers.count, $1.key)
        }
        .map { (name: $0.key, counts: $0.value) }
    }
}
