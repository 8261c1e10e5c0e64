import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// Campaigns: every campaign with its sends and rates, newest first, a page at a time (as `GET /campaigns`), and for
/// managers and admins the form that imports a report: the script sends it to `POST /campaigns/import` and shows what
/// was stored or, when the file is refused, each refused row at its `file:line`.
struct CampaignsPage: Encodable, Sendable {
    /// A campaign's (or a segment's) sends and rates as the page writes them.
    struct Rates: Encodable, Sendable {
        var sends: Int
        var open: String
        var click: String
        var bounce: String
        var unsubscribe: String
        var reply: String

        init(_ counts: CampaignCounts) {
            sends = counts.sends
            open = WebFormat.rate(counts.openRate)
            click = WebFormat.rate(counts.clickRate)
            bounce = WebFormat.rate(counts.bounceRate)
            unsubscribe = WebFormat.rate(counts.unsubscribeRate)
            reply = WebFormat.rate(counts.replyRate)
        }
    }

    struct Row: Encodable, Sendable {
        var id: Int64
        var name: String
        var sent: String
        var vendor: String
        var segment: String?
        var rates: Rates
    }

    var rows: [Row]
    var empty: Bool
    var limit: String
    var nextQuery: String?
    var canImport: Bool
    var vendors: [ClientsPage.Option]

    static func make(
        _ runtime: Runtime, page request: PageRequest, requestQuery: [URLQueryItem], as user: ActingUser
    ) throws -> CampaignsPage {
        let page = request.page(of: try runtime.campaigns.list(as: user))
        return CampaignsPage(
            rows: page.items.map { summary in
                Row(
                    id: summary.campaign.id, name: summary.campaign.name, sent: WebFormat.day(summary.campaign.sentAt),
                    vendor: summary.campaign.vendor.rawValue, segment: summary.campaign.segment, rates: Rates(summary.counts))
            },
            empty: page.items.isEmpty, limit: String(request.limit),
            nextQuery: WebFormat.nextQuery(requestQuery, cursor: page.next),
            canImport: try runtime.campaigns.mayImport(as: user),
            vendors: CampaignVendor.allCases.map {
                ClientsPage.Option(value: $0.rawValue, title: vendorTitle($0), selected: $0 == .mailchimp)
            })
    }

    /// The tool's name and its report as the import form offers them.
    private static func vendorTitle(_ vendor: CampaignVendor) -> String {
        switch vendor {
        case .mailchimp: "Mailchimp campaign report"
        case .hubspot: "HubSpot marketing email export"
        }
    }
}
