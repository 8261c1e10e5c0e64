import Foundation

extension DomainEvent {
    /// A campaign's report was imported: created, or its recipients replaced by a later export.
    public static func campaignImported(_ campaign: Campaign, counts: CampaignCounts, outcome: String, at: Date) -> DomainEvent {
        DomainEvent(
            .campaignImported, clientID: nil, subjectID: String(campaign.id),
            ["vendor": .string(campaign.vendor.rawValue), "outcome": .string(outcome), "sent_at": time(campaign.sentAt),
             "recipients": .int(Int64(counts.recipients)), "sends": .int(Int64(counts.sends)),
             "opens": .int(Int64(counts.opens)), "clicks": .int(Int64(counts.clicks)), "replies": .int(Int64(counts.replies))],
            at: at)
    }

    /// A client's people engaged with a campaign (or engaged more than the campaign's last import said): one event a
    /// client, so that rules (`on: campaign.engaged`) can act on it.
    public static func campaignEngaged(campaignID: Int64, _ client: EngagedClient, at: Date) -> DomainEvent {
        DomainEvent(
            .campaignEngaged, clientID: client.clientID, subjectID: String(campaignID),
            ["campaign_id": .int(campaignID), "opened": .int(Int64(client.opened)), "clicked": .int(Int64(client.clicked)),
             "replied": .int(Int64(client.replied)), "decision_maker_clicked": .bool(client.decisionMakerClicked)],
            at: at)
    }
}
