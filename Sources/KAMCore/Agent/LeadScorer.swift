import Foundation

/// A BANT lead score (budget, authority, need, timeline): the points of the criteria met, by default 25 each
/// (`rules.lead.weights` of `kam.yaml`).
public struct LeadScore: Codable, Sendable, Hashable {
    public var score: Int
    public var budget: Bool
    public var authority: Bool
    public var need: Bool
    public var timeline: Bool
    public var explanation: String

    public init(score: Int, budget: Bool, authority: Bool, need: Bool, timeline: Bool, explanation: String) {
        self.score = score
        self.budget = budget
        self.authority = authority
        self.need = need
        self.timeline = timeline
        self.explanation = explanation
    }
}

public struct LeadScorer: Sendable {
    public var rules: RuleThresholds

    public init(rules: RuleThresholds = RuleThresholds()) {
        self.rules = rules
    }

    public func score(_ s: ClientSnapshot, at now: Date) -> LeadScore {
        let budget = (s.client.monthlyBudget ?? 0) > 0 || s.openDeals.contains { $0.amount > 0 }
        let authority = s.contacts.contains { $0.role == .decisionMaker }
        let need = !s.memory.isEmpty || s.activities.contains { $0.direction == .inbound }
        let horizon = now.addingTimeInterval(90 * 86_400)
        let timeline =
            s.openDeals.contains { ($0.closeDate.map { $0 <= horizon }) ?? false }
            || s.pendingTasks.contains { ($0.due.map { $0 <= now.addingTimeInterval(30 * 86_400) }) ?? false }
        let points = rules.lead
        let parts = [
            ("budget", budget, points.budgetPoints), ("authority", authority, points.authorityPoints),
            ("need", need, points.needPoints), ("timeline", timeline, points.timelinePoints),
        ]
        let met = parts.filter(\.1).map(\.0)
        let missing = parts.filter { !$0.1 }.map(\.0)
        var explanation = met.isEmpty ? "no BANT criterion met" : "met: " + met.joined(separator: ", ")
        if !missing.isEmpty && !met.isEmpty { explanation += "; missing: " + missing.joined(separator: ", ") }
        return LeadScore(
            score: parts.filter(\.1).reduce(0) { $0 + $1.2 }, budget: budget, authority: authority, need: need, timeline: timeline,
            explanation: explanation)
    }
}
