import Foundation
import KAMCore
import KAMRuntime

/// One campaign: its counts and rates, the clients whose people engaged (only those the reader may see, each linked to
/// its page), its recipients' figures by their client's tier, the links clicked, and the trend of the campaigns to
/// its segment as a server-made SVG chart with the same figures as a table.
struct CampaignPage: Encodable, Sendable {
    struct Count: Encodable, Sendable {
        var name: String
        var count: Int
        var rate: String
    }

    struct Engaged: Encodable, Sendable {
        var id: String
        var name: String
        var recipients: Int
        var opened: Int
        var clicked: Int
        var replied: Int
        var decisionMaker: String
        var links: [String]
    }

    struct Segment: Encodable, Sendable {
        var name: String
        var rates: CampaignsPage.Rates
    }

    struct TrendRow: Encodable, Sendable {
        var id: Int64
        var name: String
        var current: Bool
        var sent: String
        var sends: Int
        var open: String
        var openChange: String
        var click: String
        var clickChange: String
        var reply: String
    }

    var id: Int64
    var name: String
    var externalID: String
    var vendor: String
    var sent: String
    var subject: String?
    var segment: String?
    var imported: String
    var counts: [Count]
    var engaged: [Engaged]
    /// Engaged recipients of no client the reader sees, when there are any.
    var otherEngaged: String?
    var segments: [Segment]
    var links: [CampaignReport.Link]
    var trendNote: String
    var trendSVG: String
    var trend: [TrendRow]

    static func make(_ runtime: Runtime, id: Int64, as user: ActingUser) throws -> CampaignPage {
        let report = try runtime.campaigns.report(id, as: user)
        let campaign = report.campaign
        let trend = try runtime.campaigns.trend(bySegment: true, as: user)
        let points = trend.points.filter { $0.segment == campaign.segment }
        let audience = campaign.segment.map { "segment \($0)" } ?? "no segment"
        let note = "The campaigns to \(audience), oldest first: open, click and reply rates, each change against the one before."
        let segments = try runtime.campaigns.segments(id, as: user)
        return CampaignPage(
            id: campaign.id, name: campaign.name, externalID: campaign.externalID, vendor: campaign.vendor.rawValue,
            sent: WebFormat.time(campaign.sentAt), subject: campaign.subject, segment: campaign.segment,
            imported: WebFormat.time(campaign.importedAt), counts: counts(report.counts),
            engaged: report.engagedClients.map { client in
                Engaged(
                    id: client.clientID, name: client.clientName, recipients: client.recipients, opened: client.opened,
                    clicked: client.clicked, replied: client.replied,
                    decisionMaker: client.decisionMakerClicked ? "yes" : "no", links: client.clickedURLs)
            },
            otherEngaged: report.otherEngaged > 0 ? String(report.otherEngaged) : nil,
            segments: segments.map { Segment(name: $0.name, rates: CampaignsPage.Rates($0.counts)) },
            links: report.links, trendNote: note,
            trendSVG: chart(points, title: "Rates of the campaigns to \(audience)", description: note),
            trend: points.map { point in
                TrendRow(
                    id: point.campaignID, name: point.name, current: point.campaignID == campaign.id,
                    sent: WebFormat.day(point.sentAt), sends: point.sends, open: WebFormat.rate(point.openRate),
                    openChange: change(point.openRateChange), click: WebFormat.rate(point.clickRate),
                    clickChange: change(point.clickRateChange), reply: WebFormat.rate(point.replyRate))
            })
    }

    /// A line each for the open, click and reply rates (in percent) of `points`, labelled by the day sent.
    static func chart(_ points: [CampaignTrend.Point], title: String, description: String) -> String {
        let rates: [(String, KeyPath<CampaignTrend.Point, Double?>)] = [
            ("open", \.openRate), ("click", \.clickRate), ("reply", \.replyRate),
        ]
        let series = rates.map { name, rate in
            SVGChart.Series(
                name: name,
                points: points.map { SVGChart.Point(label: WebFormat.day($0.sentAt), value: ($0[keyPath: rate] ?? 0) * 100) })
        }
        return SVGChart.lines(
            series, unit: " %", id: "campaign-trend", title: title,
            description: description + " The table below lists the same figures.")
    }

    /// What the recipients did, each with its rate and what the rate is of.
    static func counts(_ counts: CampaignCounts) -> [Count] {
        [
            Count(name: "were sent it", count: counts.sends, rate: "—"),
            Count(name: "bounced", count: counts.bounces, rate: WebFormat.rate(counts.bounceRate) + " of the sent"),
            Count(name: "were delivered", count: counts.delivered, rate: "—"),
            Count(name: "opened", count: counts.opens, rate: WebFormat.rate(counts.openRate) + " of the delivered"),
            Count(
                name: "clicked", count: counts.clicks,
                rate: WebFormat.rate(counts.clickRate) + " of the delivered, "
                    + WebFormat.rate(counts.clickToOpenRate) + " of the opened"),
            Count(
                name: "unsubscribed", count: counts.unsubscribes,
                rate: WebFormat.rate(counts.unsubscribeRate) + " of the delivered"),
            Count(name: "replied", count: counts.replies, rate: WebFormat.rate(counts.replyRate) + " of the delivered"),
        ]
    }

    /// `+4 pts`, `-3 pts`, `0 pts`; `—` for the first campaign.
    static func change(_ change: Double?) -> String {
        guard let change else { return "—" }
        let points = Int((change * 100).rounded())
        return (points > 0 ? "+" : "") + "\(points) pts"
    }
}
