import Foundation
import KAMCore

/// Reads Mailchimp's campaign report CSV: one row a recipient, with the campaign's title, send time and subject on
/// each row (so one file may hold several campaigns). Columns are matched by name (docs/connectors.md lists them and
/// the names each may go by); every recipient of the report was sent the campaign.
public enum MailchimpCampaignReport {
    public static let name = CampaignVendor.mailchimp.rawValue

    static func read(_ table: ExportTable) throws -> CampaignExport {
        let email = try table.require(["Email Address", "Email"])
        let title = try table.require(["Campaign Title", "Title", "Campaign Name"])
        let sent = try table.require(["Send Time", "Send Date", "Sent"])
        let id = table.column(["Campaign ID", "Campaign Id", "Unique Id"]), subject = table.column(["Subject", "Subject Line"])
        let audience = table.column(["Audience", "List", "List Name"]), segment = table.column(["Segment", "Segment Name"])
        let opens = table.column(["Opens", "Open Count"]), clicks = table.column(["Clicks", "Click Count"])
        let bounce = table.column(["Bounce", "Bounced", "Bounce Type"]), unsubscribed = table.column(["Unsubscribed", "Unsubscribe"])
        let replied = table.column(["Replied", "Replies"]), links = table.column(["Clicked URLs", "URLs Clicked", "Clicked Links"])
        var export = CampaignExport(file: table.file)
        for row in table.rows {
            let name = try table.required(row, title, "Campaign Title")
            guard let sentAt = try table.date(row, sent, "Send Time") else {
                throw table.invalid(row, "Send Time", "is empty; when was the campaign sent?")
            }
            let recipient = RecipientEngagement(
                email: try table.email(row, email, "Email Address"), sent: true,
                opens: try table.count(row, opens, "Opens"), clicks: try table.count(row, clicks, "Clicks"),
                bounced: try table.flag(row, bounce, "Bounce"), unsubscribed: try table.flag(row, unsubscribed, "Unsubscribed"),
                replied: try table.flag(row, replied, "Replied"), clickedURLs: table.links(row, links))
            let externalID = export.externalID(vendor: .mailchimp, id: table.text(row, id), name: name, sentAt: sentAt)
            try export.add(
                recipient, line: row.line,
                to: CampaignExport.Entry(
                    externalID: externalID, name: name, vendor: .mailchimp, sentAt: sentAt, subject: table.text(row, subject),
                    segment: table.text(row, segment) ?? table.text(row, audience)),
                externalID: externalID)
        }
        return export
    }
}
