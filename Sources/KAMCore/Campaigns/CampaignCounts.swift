/// How many recipients of a campaign (or of a segment, or of several campaigns) did each thing, and the rates.
///
/// A recipient is counted once however often they opened or clicked. Delivered is sent minus bounced; opens,
/// clicks and replies count delivered recipients only, and a recipient who clicked counts as opened. Rates are of
/// the delivered (open, click, reply, unsubscribe), of the sent (bounce) and of the opened (click-to-open); nil when
/// the denominator is zero.
///
/// For example:
///
///     var counts = CampaignCounts()
///     counts.add(RecipientEngagement(email: "a@acme.com", opens: 2, clicks: 1))
///     counts.add(RecipientEngagement(email: "b@acme.com", bounced: true))
///     counts.openRate    // 1.0: one delivered, one opened
///     counts.bounceRate  // 0.5
public struct CampaignCounts: Encodable, Sendable, Hashable {
    public var recipients = 0
    public var sends = 0
    public var bounces = 0
    public var opens = 0
    public var clicks = 0
    public var unsubscribes = 0
    public var replies = 0

    public init() {}

    public init(recipients: Int, sends: Int, bounces: Int, opens: Int, clicks: Int, unsubscribes: Int, replies: Int) {
        self.recipients = recipients
        self.sends = sends
        self.bounces = bounces
        self.opens = opens
        self.clicks = clicks
        self.unsubscribes = unsubscribes
        self.replies = replies
    }

    /// Counts one recipient in.
    public mutating func add(_ recipient: RecipientEngagement) {
        recipients += 1
        guard recipient.sent else { return }
        sends += 1
        if recipient.bounced { bounces += 1 }
        if recipient.opened { opens += 1 }
        if recipient.clicked { clicks += 1 }
        if recipient.unsubscribed { unsubscribes += 1 }
        if recipient.didReply { replies += 1 }
    }

    /// Both counts together (two segments, two campaigns).
    public mutating func add(_ other: CampaignCounts) {
        recipients += other.recipients
        sends += other.sends
        bounces += other.bounces
        opens += other.opens
        clicks += other.clicks
        unsubscribes += other.unsubscribes
        replies += other.replies
    }

    public var delivered: Int { sends - bounces }
    public var openRate: Double? { Self.rate(opens, of: delivered) }
    public var clickRate: Double? { Self.rate(clicks, of: delivered) }
    public var clickToOpenRate: Double? { Self.rate(clicks, of: opens) }
    public var replyRate: Double? { Self.rate(replies, of: delivered) }
    public var unsubscribeRate: Double? { Self.rate(unsubscribes, of: delivered) }
    public var bounceRate: Double? { Self.rate(bounces, of: sends) }

    static func rate(_ part: Int, of whole: Int) -> Double? {
        whole > 0 ? Double(part) / Double(whole) : nil
    }

    private enum CodingKeys: String, CodingKey {
        case recipients, sends, delivered, bounces, opens, clicks, unsubscribes, replies
        case openRate, clickRate, clickToOpenRate, replyRate, unsubscribeRate, bounceRate
    }

    /// The counts and the rates (a rate without a denominator is null).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(recipients, forKey: .recipients)
        try container.encode(sends, forKey: .sends)
        try container.encode(delivered, forKey: .delivered)
        try container.encode(bounces, forKey: .bounces)
        try container.encode(opens, forKey: .opens)
        try container.encode(clicks, forKey: .clicks)
        try container.encode(unsubscribes, forKey: .unsubscribes)
        try container.encode(replies, forKey: .replies)
        let rates: [(CodingKeys, Double?)] = [
            (.openRate, openRate), (.clickRate, clickRate), (.clickToOpenRate, clickToOpenRate), (.replyRate, replyRate),
            (.unsubscribeRate, unsubscribeRate), (.bounceRate, bounceRate),
        ]
        for (key, value) in rates { try container.encode(value, forKey: key) }
    }
}
