import Foundation

/// One email campaign as its tool reported it: what was sent, when, to which segment.
///
/// Campaigns are the portfolio's, not a client's: every user sees them; what a user sees of the clients who engaged
/// is limited to the clients they may see (`CampaignReport`).
public struct Campaign: Codable, Sendable, Hashable {
    public var id: Int64
    /// The tool's id prefixed with the tool (`mailchimp:42b1c`), so that a later export of the same campaign replaces
    /// its recipients instead of adding a second campaign.
    public var externalID: String
    public var name: String
    public var vendor: CampaignVendor
    public var sentAt: Date
    public var subject: String?
    /// The audience segment or list it went to, when the export says.
    public var segment: String?
    public var importedAt: Date

    public init(
        id: Int64, externalID: String, name: String, vendor: CampaignVendor, sentAt: Date, subject: String? = nil,
        segment: String? = nil, importedAt: Date
    ) {
        self.id = id
        self.externalID = externalID
        self.name = name
        self.vendor = vendor
        self.sentAt = sentAt
        self.subject = subject
        self.segment = segment
        self.importedAt = importedAt
    }
}
