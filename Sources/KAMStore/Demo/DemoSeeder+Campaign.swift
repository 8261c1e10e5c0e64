import Foundation
import KAMCore

extension DemoSeeder {
    /// The demo campaign's id in its report, and so in the store (`mailchimp:` and the id).
    static let campaignID = "demo-product-update"
    static let campaignExternalID = "\(CampaignVendor.mailchimp.rawValue):\(campaignID)"

    /// The demo's email campaign (`kam demo`): one product-update newsletter sent six days before `now` to the demo
    /// accounts' contacts, as a Mailchimp campaign report, so `kam campaigns`, its report, trend and insights, the
    /// campaigns page and the API's campaign routes have something to show. Jane Smith (Acme's decision maker) clicked
    /// the pricing page; Globex's people opened it and Li Wei clicked the fleet article; one address bounced; one
    /// address belongs to no demo account (unlinked). Imported through `CampaignImporter` like any report, under a fixed
    /// campaign id, the first time only: a later run finds it there and writes nothing (nil), as a second import of the
    /// report would record another `campaign.imported`. Kept out of `seedDemo`, whose accounts many tests count on as
    /// they are.
    public static func seedCampaign(into campaigns: any CampaignStoring, now: Date) throws -> CampaignImportSummary? {
        if try campaigns.list().contains(where: { $0.campaign.externalID == campaignExternalID }) { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let sent = formatter.string(from: now.addingTimeInterval(-6 * 86_400))
        let campaign = "\(campaignID),Product update,What's new: line monitoring and fleet maps,\(sent),Customers"
        // Email, first and last name, campaign id, title, subject, send time, audience, segment, opens, clicks, bounce,
        // unsubscribed, clicked URLs.
        let rows = [
            "jane.smith@acme.example,Jane,Smith,\(campaign),Decision makers,3,2,,,https://kam.example/pricing;https://kam.example/blog/line-monitoring",
            "bob.lee@acme.example,Bob,Lee,\(campaign),Operations,1,0,,,",
            "hank@globex.example,Hank,Scorpio,\(campaign),Decision makers,2,0,,,",
            "li.wei@globex.example,Li,Wei,\(campaign),Operations,1,1,,,https://kam.example/blog/fleet-maps",
            "peter@initech.example,Peter,Gibbons,\(campaign),Operations,0,0,,,",
            "bill@initech.example,Bill,Lumbergh,\(campaign),Decision makers,0,0,,yes,",
            "alice@umbrella.example,Alice,Abernathy,\(campaign),Decision makers,0,0,hard,,",
            "pepper@stark.example,Pepper,Potts,\(campaign),Decision makers,1,0,,,",
            "reader@newsletter-fan.example,Sam,Reader,\(campaign),Prospects,1,0,,,",
        ]
        let header =
            "Email Address,First Name,Last Name,Campaign ID,Campaign Title,Subject,Send Time,Audience,Segment,Opens,Clicks,"
            + "Bounce,Unsubscribed,Clicked URLs"
        let report = ([header] + rows).joined(separator: "\n") + "\n"
        return try CampaignImporter(campaigns: campaigns, domains: try CompanyDomains.bundled(), now: { now })
            .importCSV(Data(report.utf8), file: "demo campaign", vendor: .mailchimp)
    }
}
