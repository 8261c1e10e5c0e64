import Foundation
import KAMCore

/// Reads HubSpot's marketing email export (a sent email's Recipients tab, exported as CSV): one row a recipient with
/// the email's name, send date and subject, and what the recipient did (`Sent`, `Delivered`, `Opened`, `Clicked`,
/// `Bounced`, `Unsubscribed`, `Replied`: yes/no, or counts for opens and clicks). docs/connectors.md lists the
/// columns. A recipient HubSpot did not deliver to counts as bounced.
public enum HubSpotEmailExport {
    public static let name = CampaignVendor.hubspot.rawValue

    static func read(_ table: ExportTable) throws -> CampaignExport {
        let email = try table.require(["Email", "Email address", "Recipient"])
        let title = try table.require(["Email name", "Marketing email name", "Campaign"])
        let sendDate = try table.require(["Send date", "Sent date", "Publish date"])
        let id = table.column(["Email ID", "Marketing email ID"]), subject = table.column(["Subject", "Subject line"])
        let list = table.column(["Contact list", "Recipient list", "List", "Segment"])
        let sent = table.column(["Sent"]), delivered = table.column(["Delivered"])
        let opens = table.column(["Open count", "Opens", "Opened"]), clicks = table.column(["Click count", "Clicks", "Clicked"])
        let bounced = table.column(["Bounced", "Hard bounced", "Bounce"]), unsubscribed = table.column(["Unsubscribed"])
        let replied = table.column(["Replied"]), links = table.column(["Clicked URLs", "Clicked links"])
        var export = CampaignExport(file: table.file)
        for row in table.rows {
            let name = try table.required(row, title, "Email name")
            guard let sentAt = try table.date(row, sendDate, "Send date") else {
                throw table.invalid(row, "Send date", "is empty; when was the email sent?")
            }
            // A file without a Sent column lists the recipients it was sent to.
            let wasSent = try sent == nil || table.flag(row, sent, "Sent")
            let delivery = try table.text(row, delivered) == nil || table.flag(row, delivered, "Delivered")
            let bounce = try table.flag(row, bounced, "Bounced")
            let recipient = RecipientEngagement(
                email: try table.email(row, email, "Email"), sent: wasSent,
                opens: try table.count(row, opens, "Opened"), clicks: try table.count(row, clicks, "Clicked"),
                bounced: wasSent && (bounce || !delivery),
                unsubscribed: try table.flag(row, unsubscribed, "Unsubscribed"), replied: try table.flag(row, replied, "Replied"),
                clickedURLs: table.links(row, links))
            let externalID = export.externalID(vendor: .hubspot, id: table.text(row, id), name: name, sentAt: sentAt)
            try export.add(
                recipient, line: row.line,
                to: CampaignExport.Entry(
                    externalID: externalID, name: name, vendor: .hubspot, sentAt: sentAt, subject: table.text(row, subject),
                    segment: table.text(row, list)),
                externalID: externalID)
        }
        return export
    }
}
