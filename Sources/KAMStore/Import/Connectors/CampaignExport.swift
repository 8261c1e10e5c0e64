import Foundation
import KAMCore

/// What a campaign reader read from an email tool's export: its campaigns, each with its recipients and the line
/// each was read from, ready for `CampaignImporter` (one transaction for the whole file).
public struct CampaignExport: Sendable {
    /// One campaign of the file.
    public struct Entry: Sendable {
        public var externalID: String
        public var name: String
        public var vendor: CampaignVendor
        public var sentAt: Date
        public var subject: String?
        public var segment: String?
        public var recipients: [RecipientEngagement] = []
        /// The line of each recipient, in the same order.
        public var lines: [Int] = []
    }

    public var file: String
    public var campaigns: [Entry] = []
    /// External id → index in `campaigns`.
    private var indexOf: [String: Int] = [:]
    /// Campaign index and lowercased email → the line it was first given on.
    private var seen: [Int: [String: Int]] = [:]

    init(file: String) {
        self.file = file
    }

    /// Rows read, over all campaigns.
    public var rowCount: Int { campaigns.reduce(0) { $0 + $1.recipients.count } }

    /// Adds `recipient` (read from `line`) to the campaign `entry` names, the campaign made from the first of its rows.
    /// - Throws: `ImportError` `.invalidRows` when the campaign already has that address.
    mutating func add(_ recipient: RecipientEngagement, line: Int, to entry: @autoclosure () -> Entry, externalID: String) throws {
        let index: Int
        if let known = indexOf[externalID] {
            index = known
        } else {
            index = campaigns.count
            indexOf[externalID] = index
            campaigns.append(entry())
        }
        let key = recipient.email.lowercased()
        if let first = seen[index]?[key] {
            throw ImportError(
                .invalidRows,
                issues: [.init(
                    file: file, line: line, field: "email",
                    message: "'\(recipient.email)' is already a recipient of campaign '\(campaigns[index].name)' (line \(first)); an export lists each recipient once: remove the repeated row")])
        }
        seen[index, default: [:]][key] = line
        campaigns[index].recipients.append(recipient)
        campaigns[index].lines.append(line)
    }

    /// The id of a campaign the export gives no id: its name and day, so that the same campaign exported again
    /// is the same campaign.
    static func externalID(vendor: CampaignVendor, id: String?, name: String, sentAt: Date) -> String {
        "\(vendor.rawValue):" + (id ?? "\(Slug.make(name))-\(ImportDate.day(sentAt))")
    }
}
