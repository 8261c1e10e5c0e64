/// When the suggestion rules fire: `rules.suggestions` of `kam.yaml`.
///
/// The defaults are the source documents' values: follow up after 7 days without contact and check a
/// deal stuck in its stage for more than 14 (plan 001), intervene below health 60 and propose an upsell
/// on 50 % growth (customers system 002), schedule a meeting at BANT 75 (sales OS 004).
public struct SuggestionThresholds: Sendable, Hashable {
    /// A follow-up when the last interaction is at least this many days old (or there is none).
    public var silentDays: Int
    /// A status check when a deal has been in its stage for more than this many days.
    public var stuckDealDays: Int
    /// An escalation when a pending task is this many whole days past its due date; 0 escalates as soon
    /// as it is late.
    public var overdueDays: Int
    /// An interaction at least this positive (sentiment -1...1) counts toward an upsell...
    public var positiveSentiment: Double
    /// ...when it is at most this many days old.
    public var positiveWithinDays: Int
    /// An upsell when orders of the last `orderGrowthWindowDays` grew at least this much (0.5 is 50 %)
    /// against the same span before.
    public var orderGrowth: Double
    public var orderGrowthWindowDays: Int
    /// An intervention when health is below this score.
    public var interventionBelowHealth: Int
    /// A meeting when the BANT lead score is at least this.
    public var meetingLeadScore: Int
    /// A stuck deal of at least this amount (in its own currency) ranks higher.
    public var largeDealAmount: Double
    /// A suggestion nobody acts on expires after this many days.
    public var expiryDays: Int
    /// A renewal risk when the contract renews within this many days and health, contact or lifecycle
    /// says it may not (customers system 002's "renewal risks").
    public var renewalWithinDays: Int

    public init(
        silentDays: Int = 7,
        stuckDealDays: Int = 14,
        overdueDays: Int = 0,
        positiveSentiment: Double = 0.5,
        positiveWithinDays: Int = 14,
        orderGrowth: Double = 0.5,
        orderGrowthWindowDays: Int = 30,
        interventionBelowHealth: Int = 60,
        meetingLeadScore: Int = 75,
        largeDealAmount: Double = 50_000,
        expiryDays: Int = 14,
        renewalWithinDays: Int = 60
    ) {
        self.silentDays = silentDays
        self.stuckDealDays = stuckDealDays
        self.overdueDays = overdueDays
        self.positiveSentiment = positiveSentiment
        self.positiveWithinDays = positiveWithinDays
        self.orderGrowth = orderGrowth
        self.orderGrowthWindowDays = orderGrowthWindowDays
        self.interventionBelowHealth = interventionBelowHealth
        self.meetingLeadScore = meetingLeadScore
        self.largeDealAmount = largeDealAmount
        self.expiryDays = expiryDays
        self.renewalWithinDays = renewalWithinDays
    }
}
