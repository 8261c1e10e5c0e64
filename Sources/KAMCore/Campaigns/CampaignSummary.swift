/// A campaign and its counts: one line of `kam campaigns list`.
public struct CampaignSummary: Encodable, Sendable, Hashable {
    public var campaign: Campaign
    public var counts: CampaignCounts

    public init(campaign: Campaign, counts: CampaignCounts) {
        self.campaign = campaign
        self.counts = counts
    }
}
