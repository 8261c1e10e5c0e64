import Foundation

/// A change of lead status, kept with whether KAM made it or a person did.
public struct LeadTransition: Codable, Sendable, Hashable {
    public var clientID: String
    public var from: LeadStatus
    public var to: LeadStatus
    public var automatic: Bool
    public var reason: String
    public var at: Date

    public init(clientID: String, from: LeadStatus, to: LeadStatus, automatic: Bool, reason: String, at: Date) {
        self.clientID = clientID
        self.from = from
        self.to = to
        self.automatic = automatic
        self.reason = reason
        self.at = at
    }
}

/// new → contacted → qualified → proposal → negotiation → won / lost.
///
/// Two moves are automatic: the first logged activity moves `new` to `contacted`, and a BANT score at
/// or above the qualifying score (`rules.lead.qualifying_score` of `kam.yaml`, 50 by default) moves
/// `new` or `contacted` to `qualified`. Everything else is a person's decision.
public enum LeadLifecycle {
    public static func afterActivity(clientID: String, status: LeadStatus, at now: Date) -> LeadTransition? {
        guard status == .new else { return nil }
        return LeadTransition(
            clientID: clientID, from: .new, to: .contacted, automatic: true, reason: "first activity logged", at: now)
    }

    public static func afterScoring(
        clientID: String, status: LeadStatus, score: LeadScore, at now: Date, rules: RuleThresholds = RuleThresholds()
    ) -> LeadTransition? {
        guard status == .new || status == .contacted, score.score >= rules.lead.qualifyingScore else { return nil }
        return LeadTransition(
            clientID: clientID, from: status, to: .qualified, automatic: true,
            reason: "BANT score \(score.score) (\(score.explanation))", at: now)
    }

    /// A person's move; any status can be set by hand except leaving a closed lead without reopening it.
    public static func manual(clientID: String, from: LeadStatus, to: LeadStatus, reason: String, at now: Date)
        -> LeadTransition?
    {
        guard from != to else { return nil }
        return LeadTransition(clientID: clientID, from: from, to: to, automatic: false, reason: reason, at: now)
    }
}
