/// One campaign of a report as a store imports it: the campaign as the file gives it, its recipients, and each
/// recipient's address lowercased (the key its contact is looked up by). KAMStore's `CampaignExport` reads them.
public struct CampaignImportEntry: Sendable {
    /// Its `id` and `importedAt` are the store's, set when it is written.
    public var campaign: Campaign
    public var recipients: [RecipientEngagement]
    /// Each recipient's address lowercased, in the same order.
    public var keys: [String]

    public init(campaign: Campaign, recipients: [RecipientEngagement], keys: [String]? = nil) {
        self.campaign = campaign
        self.recipients = recipients
        self.keys = keys ?? recipients.map { $0.email.lowercased() }
    }
}
