import Foundation

/// One condition of a rule's `when`, over the event and the client's facts (`RuleFacts`). Each is written as one
/// key of the `when:` mapping; `RuleEvaluator` evaluates it and reports the value it found.
public enum RuleCondition: Sendable, Hashable, Codable {
    /// `health_below: 60`: the client's health score (the event's new score for `health.changed`) is below.
    case healthBelow(Int)
    /// `health_crossed_below: 60`: a `health.changed` event whose new score is below and whose previous one was not
    /// (or was the first score): fires once per fall, not on every re-score below.
    case healthCrossedBelow(Int)
    /// `health_drop_at_least: 10`: a `health.changed` event whose score fell by at least this many points.
    case healthDropAtLeast(Int)
    /// `usage_growth_above: 50`: order amount of the last 30 days against the 30 before grew by more than this
    /// percentage (usage is not stored; orders are its record).
    case usageGrowthAbove(Double)
    /// `days_silent_at_least: 30`: days since the client's last activity (a client never contacted counts).
    case daysSilentAtLeast(Int)
    /// `deal_stage: [proposal, negotiation]`: the event's deal entered one of these stages, or (for other events)
    /// an open deal is in one.
    case dealStage([DealStage])
    /// `days_in_stage_at_least: 21`: the event's deal (or an open deal, of the stages above when given) has been in
    /// its stage this many days.
    case daysInStageAtLeast(Int)
    /// `sentiment_below: -0.3`: the latest activity with a sentiment has one below this.
    case sentimentBelow(Double)
    /// `sentiment_above: 0.5`.
    case sentimentAbove(Double)
    /// `lead_status: [new, contacted]`.
    case leadStatus([LeadStatus])
    /// `tier: [enterprise]`.
    case tier([SubscriptionTier])
    /// `lifecycle: [active, at-risk]`.
    case lifecycle([LifecycleStatus])
    /// `renewal_within_days: 90`: the renewal date is today or later and at most this many days away.
    case renewalWithinDays(Int)
    /// `engagement_drop_at_least: 50`: inbound activities of the last 30 days fell by at least this percentage
    /// against the 30 days before (which had some).
    case engagementDropAtLeast(Double)
    /// `link_clicked: "*/pricing*"`: a person of the client clicked a link matching the pattern (`LinkPattern`) in a
    /// campaign sent in the last 30 days.
    case linkClicked(LinkPattern)
    /// `decision_maker_clicked: "*/pricing*"`: as `link_clicked`, by a contact with the decision-maker role.
    case decisionMakerClicked(LinkPattern)
    /// `event: {role: decision-maker}`: fields of the event's payload equal these values (a list: one of them).
    case eventPayload([String: [String]])

    /// The key it is written under in `when:`.
    public var field: String {
        switch self {
        case .healthBelow: "health_below"
        case .healthCrossedBelow: "health_crossed_below"
        case .healthDropAtLeast: "health_drop_at_least"
        case .usageGrowthAbove: "usage_growth_above"
        case .daysSilentAtLeast: "days_silent_at_least"
        case .dealStage: "deal_stage"
        case .daysInStageAtLeast: "days_in_stage_at_least"
        case .sentimentBelow: "sentiment_below"
        case .sentimentAbove: "sentiment_above"
        case .leadStatus: "lead_status"
        case .tier: "tier"
        case .lifecycle: "lifecycle"
        case .renewalWithinDays: "renewal_within_days"
        case .engagementDropAtLeast: "engagement_drop_at_least"
        case .linkClicked: "link_clicked"
        case .decisionMakerClicked: "decision_maker_clicked"
        case .eventPayload: "event"
        }
    }

    /// What it asks for, as a person reads it: `< 60`, `one of proposal, negotiation`.
    public var expected: String {
        switch self {
        case .healthBelow(let n): "< \(n)"
        case .healthCrossedBelow(let n): "from >= \(n) to < \(n)"
        case .healthDropAtLeast(let n): "a drop of >= \(n) points"
        case .usageGrowthAbove(let p): "> \(RuleFacts.percent(p / 100))"
        case .daysSilentAtLeast(let n): ">= \(n) days"
        case .dealStage(let stages): "one of \(stages.map(\.rawValue).joined(separator: ", "))"
        case .daysInStageAtLeast(let n): ">= \(n) days"
        case .sentimentBelow(let s): "< \(s)"
        case .sentimentAbove(let s): "> \(s)"
        case .leadStatus(let values): "one of \(values.map(\.rawValue).joined(separator: ", "))"
        case .tier(let values): "one of \(values.map(\.rawValue).joined(separator: ", "))"
        case .lifecycle(let values): "one of \(values.map(\.rawValue).joined(separator: ", "))"
        case .renewalWithinDays(let n): "within \(n) days"
        case .engagementDropAtLeast(let p): "a drop of >= \(p.formatted(.number.precision(.fractionLength(0...1))))%"
        case .linkClicked(let pattern): "a click on \(pattern.text) within \(CampaignTouch.windowDays) days"
        case .decisionMakerClicked(let pattern): "a decision maker's click on \(pattern.text) within \(CampaignTouch.windowDays) days"
        case .eventPayload(let fields):
            fields.keys.sorted().map { "\($0) = \(fields[$0]!.joined(separator: "|"))" }.joined(separator: ", ")
        }
    }

    /// Every key `when:` accepts.
    public static let fields: Set<String> = [
        "health_below", "health_crossed_below", "health_drop_at_least", "usage_growth_above", "days_silent_at_least", "deal_stage",
        "days_in_stage_at_least", "sentiment_below", "sentiment_above", "lead_status", "tier", "lifecycle",
        "renewal_within_days", "engagement_drop_at_least", "link_clicked", "decision_maker_clicked", "event",
    ]
}
