import Foundation
import KAMCore

/// What a campaign reader read from an email tool's export: its campaigns, each with its recipients and the line
/// each was read from, ready for `CampaignImporter` (one transaction for the whole file).
public struct CampaignExport: Sendable {
    /// One campaign of the file.
    public struct Entry: Sendable {
        /// The campaign as the file gives it; its `id` (0) and `importedAt` (its send time) are the store's, set
        /// when it is written (`CampaignWriting`).
        public var campaign: Campaign
        public var recipients: [RecipientEngagement] = []
        /// The line of each recipient, in the same order.
        public var lines: [Int] = []
        /// Each recipient's address lowercased, in the same order: the key its repeats are found by and its contact
        /// is looked up by (`RecipientLinker`), made once a row.
        public var keys: [String] = []

        /// Campaign `externalID` as the file gives it, not stored yet.
        init(externalID: String, name: String, vendor: CampaignVendor, sentAt: Date, subject: String?, segment: String?) {
            campaign = Campaign(
                id: 0, externalID: externalID, name: name, vendor: vendor, sentAt: sentAt, subject: subject, segment: segment,
                importedAt: sentAt)
        }
    }

    public var file: String
    public var campaigns: [Entry] = []
    /// External id → index in `campaigns`.
    private var indexOf: [String: Int] = [:]
    /// By campaign index: lowercased email → the line it was first given on.
    private var seen: [[String: Int]] = []
    /// The last row's campaign (external id and index): a report lists a campaign's recipients together.
    private var last: (externalID: String, index: Int)?
    /// The last row's campaign cells and the external id they made (`externalID(vendor:id:name:sentAt:)`).
    private var lastCells: (id: String?, name: String, sentAt: Date, externalID: String)?

    init(file: String) {
        self.file = file
    }

    /// Rows read, over all campaigns.
    public var rowCount: Int { campaigns.reduce(0) { $0 + $1.recipients.count } }

    /// Adds `recipient` (read from `line`) to the campaign `entry` names, the campaign made from the first of its rows.
    /// - Throws: `ImportError` `.invalidRows` when the campaign already has that address.
    mutating func add(_ recipient: RecipientEngagement, line: Int, to entry: @autoclosure () -> Entry, externalID: String) throws {
        let index: Int
        if let last, last.externalID == externalID {
            index = last.index
        } else if let known = indexOf[externalID] {
            index = known
        } else {
            index = campaigns.count
            indexOf[externalID] = index
            campaigns.append(entry())
            seen.append([:])
        }
        last = (externalID, index)
        let key = recipient.email.lowercased()
        if let first = seen[index].updateValue(line, forKey: key) {
            throw ImportError(
                .invalidRows,
                issues: [.init(
                    file: file, line: line, field: "email",
                    message: "'\(recipient.email)' is already a recipient of campaign '\(campaigns[index].campaign.name)' (line \(first)); an export lists each recipient once: remove the repeated row")])
        }
        campaigns[index].recipients.append(recipient)
        campaigns[index].lines.append(line)
        campaigns[index].keys.append(key)
    }

    /// `externalID(vendor:id:name:sentAt:)` of a row, made again only when its campaign's cells differ from the last
    /// row's (a row of a report without campaign ids would otherwise make a slug of its campaign's name).
    mutating func externalID(vendor: CampaignVendor, id: String?, name: String, sentAt: Date) -> String {
        if let lastCells, lastCells.sentAt == sentAt, lastCells.id == id, lastCells.name == name { return lastCells.externalID }
        let made = Self.externalID(vendor: vendor, id: id, name: name, sentAt: sentAt)
        lastCells = (id, name, sentAt, made)
        return made
    }

    /// The id of a campaign the export gives no id: its name and day, so that the same campaign exported again
    /// is the same campaign.
    static func externalID(vendor: CampaignVendor, id: String?, name: String, sentAt: Date) -> String {
        "\(vendor.rawValue):" + (id ?? "\(Slug.make(name))-\(ImportDate.day(sentAt))")
    }
}
