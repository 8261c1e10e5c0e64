import Foundation

/// What the rules know about one client at one moment, derived from its stored records by `init(snapshot:...)`:
/// no fact is invented. Usage is not stored, so usage growth is the growth of order amounts (last 30 days against
/// the 30 before); engagement is the count of inbound activities (emails, calls, meetings) in the same windows.
public struct RuleFacts: Sendable, Hashable, Codable {
    /// An open deal (or the event's deal) and how long it has been in its stage.
    public struct DealFact: Sendable, Hashable, Codable {
        public var id: Int64
        public var stage: DealStage
        public var daysInStage: Int

        public init(id: Int64, stage: DealStage, daysInStage: Int) {
            self.id = id
            self.stage = stage
            self.daysInStage = daysInStage
        }
    }

    /// A link a person of the client clicked in a campaign sent in the last 30 days (`CampaignTouch.windowDays`).
    public struct LinkClick: Sendable, Hashable, Codable {
        public var url: String
        public var campaignID: Int64
        /// Clicked by a contact with the decision-maker role.
        public var decisionMaker: Bool

        public init(url: String, campaignID: Int64, decisionMaker: Bool) {
            self.url = url
            self.campaignID = campaignID
            self.decisionMaker = decisionMaker
        }
    }

    public var clientID: String
    public var clientName: String
    public var ownerID: String?
    public var tier: SubscriptionTier
    public var lifecycle: LifecycleStatus
    public var leadStatus: LeadStatus
    /// The latest stored health score, if the client has one.
    public var health: Int?
    /// Order growth as a fraction (0.5 is +50%); nil when the 30 days before had no orders.
    public var usageGrowth: Double?
    /// Whole days since the last activity; nil when there never was one.
    public var daysSilent: Int?
    public var openDeals: [DealFact]
    /// The sentiment of the latest activity that has one (-1...1).
    public var sentiment: Double?
    /// Whole days until the renewal date; nil without one, negative once past.
    public var renewalInDays: Int?
    public var inboundLast30: Int
    public var inboundPrior30: Int
    /// The BANT lead score (0...100) and its explanation, when the runtime computed one.
    public var leadScore: Int?
    public var leadExplanation: String?
    /// Links the client's people clicked in campaigns of the last 30 days, newest campaign first.
    public var linkClicks: [LinkClick]

    public init(
        clientID: String, clientName: String, ownerID: String? = nil, tier: SubscriptionTier = .standard,
        lifecycle: LifecycleStatus = .active, leadStatus: LeadStatus = .new, health: Int? = nil,
        usageGrowth: Double? = nil, daysSilent: Int? = nil, openDeals: [DealFact] = [], sentiment: Double? = nil,
        renewalInDays: Int? = nil, inboundLast30: Int = 0, inboundPrior30: Int = 0, leadScore: Int? = nil,
        leadExplanation: String? = nil, linkClicks: [LinkClick] = []
    ) {
        self.clientID = clientID
        self.clientName = clientName
        self.ownerID = ownerID
        self.tier = tier
        self.lifecycle = lifecycle
        self.leadStatus = leadStatus
        self.health = health
        self.usageGrowth = usageGrowth
        self.daysSilent = daysSilent
        self.openDeals = openDeals
        self.sentiment = sentiment
        self.renewalInDays = renewalInDays
        self.inboundLast30 = inboundLast30
        self.inboundPrior30 = inboundPrior30
        self.leadScore = leadScore
        self.leadExplanation = leadExplanation
        self.linkClicks = linkClicks
    }

    /// How far back activities count: the two 30-day engagement windows.
    public static let activityWindow: TimeInterval = 60 * 86_400

    /// The facts of `snapshot` (whose activities must reach back `activityWindow` for the engagement windows) at `now`.
    public init(snapshot s: ClientSnapshot, health: Int?, lead: LeadScore? = nil, at now: Date) {
        self.init(
            client: s.client, health: health, lead: lead,
            orders: s.orders.map { (orderedAt: $0.orderedAt, amount: $0.amount) },
            activities: s.activities.map { (occurredAt: $0.occurredAt, inbound: $0.direction == .inbound, sentiment: $0.sentiment) },
            lastInteractionAt: s.lastInteractionAt,
            openDeals: s.openDeals.compactMap { deal in
                deal.id.map { DealFact(id: $0, stage: deal.stage, daysInStage: deal.daysInStage(at: now)) }
            },
            campaignTouches: s.campaignTouches, at: now)
    }

    /// The facts from the parts of a client's records they derive from, so that a reader of many clients at once
    /// (`RuleFactsReader`) and a snapshot give the same facts.
    ///
    /// - Parameters:
    ///   - orders: the client's orders, at least those of the last 60 days (and any dated later).
    ///   - activities: the client's activities of the last 60 days (and any dated later), newest first.
    ///   - lastInteractionAt: the time of the client's latest activity, however old.
    ///   - openDeals: the open deals, in the order of their stage's start.
    ///   - campaignTouches: the client's engaged campaign recipients of the last 30 days (and more), newest campaign first.
    public init(
        client: Client, health: Int?, lead: LeadScore? = nil, orders: [(orderedAt: Date, amount: Double)],
        activities: [(occurredAt: Date, inbound: Bool, sentiment: Double?)], lastInteractionAt: Date?,
        openDeals: [DealFact], campaignTouches: [CampaignTouch] = [], at now: Date
    ) {
        let day = 86_400.0
        var last30 = 0
        var prior30 = 0
        for activity in activities where activity.inbound {
            let age = now.timeIntervalSince(activity.occurredAt)
            if age >= 0, age <= 30 * day { last30 += 1 } else if age > 30 * day, age <= 60 * day { prior30 += 1 }
        }
        self.init(
            clientID: client.id, clientName: client.name, ownerID: client.ownerID, tier: client.tier,
            lifecycle: client.lifecycle, leadStatus: client.leadStatus, health: health,
            usageGrowth: SuggestionRules.orderGrowth(orders, now: now, windowDays: 30),
            daysSilent: lastInteractionAt.map { max(0, Int(now.timeIntervalSince($0) / day)) },
            openDeals: openDeals,
            sentiment: activities.first { $0.sentiment != nil }?.sentiment,
            renewalInDays: client.renewalDate.map { Int(($0.timeIntervalSince(now) / day).rounded(.down)) },
            inboundLast30: last30, inboundPrior30: prior30, leadScore: lead?.score, leadExplanation: lead?.explanation,
            linkClicks: campaignTouches.filter { $0.clicked && $0.isRecent(at: now) }.flatMap { touch in
                touch.clickedURLs.map { LinkClick(url: $0, campaignID: touch.campaignID, decisionMaker: touch.decisionMaker) }
            })
    }

    /// Engagement's fall as a fraction (0.5 is half as many inbound activities); nil when the prior window had none.
    public var engagementDrop: Double? {
        guard inboundPrior30 > 0 else { return nil }
        return Double(inboundPrior30 - inboundLast30) / Double(inboundPrior30)
    }

    /// The placeholders a rule's texts may use, and their values here.
    public func placeholders(event: RuleEvent) -> [String: String] {
        [
            "client": clientName, "client_id": clientID, "owner": ownerID ?? "nobody",
            // A health.changed event's own score: the evaluation is of that event, even when a later score exists.
            "health": (event.kind == EventKind.healthChanged.rawValue ? event.payload["score"]?.intValue.map { String($0) } : nil)
                ?? health.map(String.init) ?? "unscored",
            "previous_health": event.payload["previous_score"]?.intValue.map { String($0) } ?? "none",
            "usage_growth": usageGrowth.map(Self.percent) ?? "unknown",
            "days_silent": daysSilent.map(String.init) ?? "never contacted",
            "renewal_days": renewalInDays.map(String.init) ?? "no renewal date",
            "tier": tier.rawValue, "lead_status": leadStatus.rawValue, "event": event.kind,
        ]
    }

    /// Every placeholder name (`{client}`, `{health}`, ...).
    public static let placeholderNames: Set<String> = [
        "client", "client_id", "owner", "health", "previous_health", "usage_growth", "days_silent", "renewal_days",
        "tier", "lead_status", "event",
    ]

    /// `+52%`, `-10%`.
    static func percent(_ fraction: Double) -> String {
        let value = Int((fraction * 100).rounded())
        return (value > 0 ? "+" : "") + "\(value)%"
    }
}
