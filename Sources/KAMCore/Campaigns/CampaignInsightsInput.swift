import Foundation

/// The variables of `analysis.campaign-insights` for one campaign: its figures and each segment's, as text a model
/// reads. Only counts and rates: no recipient's address and no client's name leaves the store.
///
/// The segments are the recipients grouped by their client's tier (`enterprise clients`, ...; `no client` for free
/// mail and unknown domains), and, when there is one, the previous campaign of the same audience segment.
///
/// For example:
///
///     let input = CampaignInsightsInput(campaign: report.campaign, counts: report.counts, segments: segments,
///                                       previous: nil, links: report.links)
///     input.variables["figures"]   // "sends 7, delivered 6 (bounce rate 14.3%) ..."
public struct CampaignInsightsInput: Sendable {
    public var campaign: Campaign
    public var counts: CampaignCounts
    /// Segment name → its recipients' counts, in the order to show.
    public var segments: [(name: String, counts: CampaignCounts)]
    /// The previous campaign of the same audience segment, to compare with.
    public var previous: CampaignSummary?
    public var links: [CampaignReport.Link]

    public init(
        campaign: Campaign, counts: CampaignCounts, segments: [(name: String, counts: CampaignCounts)], previous: CampaignSummary?,
        links: [CampaignReport.Link]
    ) {
        self.campaign = campaign
        self.counts = counts
        self.segments = segments
        self.previous = previous
        self.links = links
    }

    /// `campaign`, `figures` and `segments`, as the prompt declares them.
    public var variables: [String: String] {
        var campaignText = "\(campaign.name), sent \(UTCTimestamp.day(campaign.sentAt)) from \(campaign.vendor.rawValue)"
        if let subject = campaign.subject { campaignText += ", subject \"\(subject)\"" }
        if let segment = campaign.segment { campaignText += ", audience \(segment)" }
        var figures = Self.line(counts)
        if let previous {
            figures += "\nprevious campaign to \(previous.campaign.segment ?? "the same audience") (\(previous.campaign.name), "
                + "\(UTCTimestamp.day(previous.campaign.sentAt))): " + Self.line(previous.counts)
        }
        if !links.isEmpty {
            figures += "\nlinks clicked: " + links.prefix(5).map { "\($0.url) (\($0.recipients))" }.joined(separator: ", ")
        }
        let segmentText = segments.map { "- \($0.name): " + Self.line($0.counts) }.joined(separator: "\n")
        return ["campaign": campaignText, "figures": figures, "segments": segmentText.isEmpty ? "- none" : segmentText]
    }

    /// `sends 7, delivered 6 (bounce rate 14.3%), opened 5 (83.3%), clicked 2 (33.3%), replied 0 (0.0%), unsubscribed 1 (16.7%)`.
    static func line(_ c: CampaignCounts) -> String {
        func percent(_ rate: Double?) -> String { rate.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }
        return "sends \(c.sends), delivered \(c.delivered) (bounce rate \(percent(c.bounceRate))), opened \(c.opens) "
            + "(\(percent(c.openRate))), clicked \(c.clicks) (\(percent(c.clickRate))), replied \(c.replies) "
            + "(\(percent(c.replyRate))), unsubscribed \(c.unsubscribes) (\(percent(c.unsubscribeRate)))"
    }
}
