import Foundation

/// One engaged recipient of a client in one campaign: a person of the client opened, clicked or replied. What the
/// health score's relationship factor and the rules (`link_clicked`, `decision_maker_clicked`) read of campaigns.
public struct CampaignTouch: Codable, Sendable, Hashable {
    public var campaignID: Int64
    /// When the campaign was sent: the exports do not date each open or click, so the send is the touch's time.
    public var sentAt: Date
    /// Whether the recipient is a contact with the decision-maker role.
    public var decisionMaker: Bool
    public var opened: Bool
    public var clicked: Bool
    public var replied: Bool
    public var clickedURLs: [String]

    public init(
        campaignID: Int64, sentAt: Date, decisionMaker: Bool = false, opened: Bool = false, clicked: Bool = false,
        replied: Bool = false, clickedURLs: [String] = []
    ) {
        self.campaignID = campaignID
        self.sentAt = sentAt
        self.decisionMaker = decisionMaker
        self.opened = opened
        self.clicked = clicked
        self.replied = replied
        self.clickedURLs = clickedURLs
    }

    /// How many days of engagement count: the health score's and the rules' window.
    public static let windowDays = 30

    /// Whether the campaign was sent within `windowDays` before `now` (and not after it).
    public func isRecent(at now: Date) -> Bool {
        let age = now.timeIntervalSince(sentAt)
        return age >= 0 && age <= Double(Self.windowDays) * 86_400
    }
}
