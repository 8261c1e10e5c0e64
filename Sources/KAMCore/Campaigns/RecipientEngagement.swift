/// What one recipient of a campaign did with it, as the export says: counts of opens and clicks, and flags.
///
/// An open is not always tracked (images off), so a recipient who clicked counts as having opened
/// (`CampaignCounts`), as both Mailchimp and HubSpot count them.
public struct RecipientEngagement: Codable, Sendable, Hashable {
    /// The address, as the export writes it.
    public var email: String
    public var sent: Bool
    public var opens: Int
    public var clicks: Int
    public var bounced: Bool
    public var unsubscribed: Bool
    public var replied: Bool
    /// The links clicked, when the export lists them.
    public var clickedURLs: [String]

    public init(
        email: String, sent: Bool = true, opens: Int = 0, clicks: Int = 0, bounced: Bool = false,
        unsubscribed: Bool = false, replied: Bool = false, clickedURLs: [String] = []
    ) {
        self.email = email
        self.sent = sent
        self.opens = opens
        self.clicks = clicks
        self.bounced = bounced
        self.unsubscribed = unsubscribed
        self.replied = replied
        self.clickedURLs = clickedURLs
    }

    /// Delivered and opened (or clicked: a click is an open whose image was not loaded).
    public var opened: Bool { sent && !bounced && (opens > 0 || clicks > 0) }
    /// Delivered and clicked a tracked link.
    public var clicked: Bool { sent && !bounced && clicks > 0 }
    /// Delivered and replied.
    public var didReply: Bool { sent && !bounced && replied }
    /// Opened, clicked or replied.
    public var engaged: Bool { opened || didReply }
}
