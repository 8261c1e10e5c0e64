import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// Campaigns: every campaign with its sends and rates, newest first, a page at a time (as `GET /campaigns`), and for
/// managers and admins the form that imports a report (`POST /app/campaigns/import`, the same service as
/// `POST /campaigns/import`), with what an import stored or, when it refused the file, each refused row at its
/// `file:line`.
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

    /// What the import form shows again: the tool chosen, the text sent, and why it was refused.
    struct ImportForm: Sendable {
        var vendor: CampaignVendor = .mailchimp
        var file = ""
        var csv = ""
        var error: [String] = []
    }

    /// What an import stored.
    struct Imported: Encodable, Sendable {
        var file: String
        var campaigns: [CampaignImportSummary.Entry]
        var summary: String

        init(_ summary: CampaignImportSummary) {
            file = summary.file
            campaigns = summary.campaigns
            self.summary =
                "\(summary.recipients) recipients: \(summary.linkedToContacts) linked to contacts, \(summary.linkedByDomain) by "
                + "domain, \(summary.unlinked) unlinked (\(summary.freeMail) free mail); \(summary.engagedClients) clients engaged."
        }
    }

    var rows: [Row]
    var empty: Bool
    var limit: String
    var nextQuery: String?
    var canImport: Bool
    var vendors: [ClientsPage.Option]
    var fileName: String
    var csv: String
    var importError: [String]
    var imported: Imported?

    static func make(
        _ runtime: Runtime, page request: PageRequest, requestQuery: [URLQueryItem], form: ImportForm = ImportForm(),
        imported: CampaignImportSummary? = nil, as user: ActingUser
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
                ClientsPage.Option(value: $0.rawValue, title: vendorTitle($0), selected: $0 == form.vendor)
            },
            fileName: form.file, csv: form.csv, importError: form.error, imported: imported.map(Imported.init))
    }

    /// The tool's name and its report as the import form offers them.
    private static func vendorTitle(_ vendor: CampaignVendor) -> String {
        switch vendor {
        case .mailchimp: "Mailchimp campaign report"
        case .hubspot: "HubSpot marketing email export"
        }
    }
}
