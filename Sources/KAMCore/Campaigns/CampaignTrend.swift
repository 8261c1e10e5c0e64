import Foundation

/// How campaigns did over time: each campaign's rates in the order they were sent, the change of its open and click
/// rates against the campaign before it (of the same segment when `bySegment`), and the totals.
///
/// For example:
///
///     let trend = CampaignTrend(summaries)
///     trend.points.last?.openRateChange   // +0.04: four points better than the campaign before
public struct CampaignTrend: Encodable, Sendable, Hashable {
    public struct Point: Encodable, Sendable, Hashable {
        public var campaignID: Int64
        public var name: String
        public var sentAt: Date
        public var segment: String?
        public var sends: Int
        public var openRate: Double?
        public var clickRate: Double?
        public var replyRate: Double?
        public var unsubscribeRate: Double?
        /// Open rate minus the previous campaign's (a fraction: 0.04 is four points); nil for the first one or
        /// when either has no rate.
        public var openRateChange: Double?
        public var clickRateChange: Double?
    }

    /// Oldest first.
    public var points: [Point]
    /// Every campaign's recipients counted together.
    public var total: CampaignCounts

    /// The trend of `summaries` (any order); with `bySegment`, each point is compared with the previous campaign of
    /// its own segment.
    public init(_ summaries: [CampaignSummary], bySegment: Bool = false) {
        let ordered = summaries.sorted {
            $0.campaign.sentAt != $1.campaign.sentAt ? $0.campaign.sentAt < $1.campaign.sentAt : $0.campaign.id < $1.campaign.id
        }
        var previous: [String: CampaignCounts] = [:]
        var total = CampaignCounts()
        points = ordered.map { summary in
            let key = bySegment ? summary.campaign.segment ?? "" : ""
            let before = previous[key]
            previous[key] = summary.counts
            total.add(summary.counts)
            let counts = summary.counts
            return Point(
                campaignID: summary.campaign.id, name: summary.campaign.name, sentAt: summary.campaign.sentAt,
                segment: summary.campaign.segment, sends: counts.sends, openRate: counts.openRate, clickRate: counts.clickRate,
                replyRate: counts.replyRate, unsubscribeRate: counts.unsubscribeRate,
                openRateChange: Self.change(counts.openRate, before?.openRate),
                clickRateChange: Self.change(counts.clickRate, before?.clickRate))
        }
        self.total = total
    }

    private static func change(_ now: Double?, _ before: Double?) -> Double? {
        guard let now, let before else { return nil }
        return now - before
    }
}
