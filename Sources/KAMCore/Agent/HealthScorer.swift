import Foundation

/// Computes a client's health from stored data: by default product usage 30 %, support 20 %,
/// relationship depth 25 %, business outcomes 25 %.
///
/// Every factor is computed from records in the snapshot and explains itself, so a person can see
/// why a score dropped. The weights and bands are `rules.health` of `kam.yaml`; a deal counts as stuck
/// after the same `rules.suggestions.stuck_deal_days` that makes the rules ask for a status check.
public struct HealthScorer: Sendable {
    public var rules: RuleThresholds

    public init(rules: RuleThresholds = RuleThresholds()) {
        self.rules = rules
    }

    public func score(_ snapshot: ClientSnapshot, at now: Date) -> HealthScore {
        let factors = [usage(snapshot, now), support(snapshot, now), relationship(snapshot, now), outcomes(snapshot, now)]
        let total = factors.reduce(0.0) { $0 + Double($1.score) * $1.weight }
        let score = Int(total.rounded())
        return HealthScore(
            clientID: snapshot.client.id, score: score, band: HealthBand(score: score, thresholds: rules.health),
            factors: factors, computedAt: now)
    }

    /// A percentage weight as the factor's share of the total.
    private func share(_ percent: Int) -> Double {
        Double(percent) / 100
    }

    /// Orders in the last 90 days against the 90 before: buying more is using more.
    private func usage(_ s: ClientSnapshot, _ now: Date) -> HealthFactor {
        let recent = s.orders.filter { now.timeIntervalSince($0.orderedAt) <= 90 * 86_400 }
        let prior = s.orders.filter {
            let age = now.timeIntervalSince($0.orderedAt)
            return age > 90 * 86_400 && age <= 180 * 86_400
        }
        let recentAmount = recent.reduce(0) { $0 + $1.amount }
        let priorAmount = prior.reduce(0) { $0 + $1.amount }
        let score: Int
        let why: String
        if s.orders.isEmpty {
            score = 40
            why = "no orders on record"
        } else if recent.isEmpty {
            score = 20
            why = "no orders in the last 90 days"
        } else if priorAmount == 0 {
            score = 80
            why = "\(recent.count) orders in the last 90 days, none in the 90 before"
        } else {
            let growth = (recentAmount - priorAmount) / priorAmount
            score = Int(70 + max(-50, min(30, growth * 100)))
            why = String(format: "orders %@%.0f%% against the previous 90 days", growth >= 0 ? "+" : "", growth * 100)
        }
        return HealthFactor(name: "product usage", weight: share(rules.health.productUsageWeight), score: score, explanation: why)
    }

    /// Support pain: inbound messages and support tickets with negative sentiment in the last 30 days, and
    /// open tickets of high urgency. A ticket opened by email is counted once, through its message.
    private func support(_ s: ClientSnapshot, _ now: Date) -> HealthFactor {
        let inbound = s.activities.filter { $0.direction == .inbound && now.timeIntervalSince($0.occurredAt) <= 30 * 86_400 }
        let negative = inbound.filter { ($0.sentiment ?? 0) < TicketAnalysis.negativeBelow }
        let insights = SupportInsights(tickets: s.tickets, at: now)
        let negativeTickets = insights.negativeLast30Days - insights.negativeByEmailLast30Days
        let urgent = insights.openUrgent
        let score = max(0, 100 - (negative.count + negativeTickets) * 25 - urgent * 10)
        var reasons: [String] = []
        if negative.isEmpty && negativeTickets == 0 {
            reasons.append("no negative inbound messages in 30 days (\(inbound.count) inbound)")
        } else {
            if !negative.isEmpty { reasons.append("\(negative.count) negative inbound messages in 30 days") }
            if negativeTickets > 0 { reasons.append("\(negativeTickets) negative support tickets in 30 days") }
        }
        if urgent > 0 { reasons.append("\(urgent) urgent tickets open") }
        return HealthFactor(
            name: "support", weight: share(rules.health.supportWeight), score: score, explanation: reasons.joined(separator: ", "))
    }

    /// People we know, roles covered, how recently we talked, and how they engaged with campaigns (at most 100).
    private func relationship(_ s: ClientSnapshot, _ now: Date) -> HealthFactor {
        var score = min(30, s.contacts.count * 10)
        var reasons = ["\(s.contacts.count) contacts"]
        if s.contacts.contains(where: { $0.role == .decisionMaker }) {
            score += 20
            reasons.append("a decision maker")
        }
        if s.contacts.contains(where: { $0.role == .champion }) {
            score += 15
            reasons.append("a champion")
        }
        if let last = s.lastInteractionAt {
            let days = Int(now.timeIntervalSince(last) / 86_400)
            score += days <= 7 ? 35 : days <= 14 ? 25 : days <= 30 ? 10 : 0
            reasons.append("last contact \(days) days ago")
        } else {
            reasons.append("no interaction on record")
        }
        // Campaigns: a reply counts most, then a click, then an open, of the last 30 days' campaigns.
        let recent = s.campaignTouches.filter { $0.isRecent(at: now) }
        if !recent.isEmpty {
            let replied = recent.filter(\.replied).count, clicked = recent.filter(\.clicked).count
            score += replied > 0 ? 15 : clicked > 0 ? 10 : 5
            reasons.append("campaigns in \(CampaignTouch.windowDays) days: \(recent.filter(\.opened).count) opened, \(clicked) clicked, \(replied) replied")
        }
        score = min(100, score)
        return HealthFactor(
            name: "relationship depth", weight: share(rules.health.relationshipDepthWeight), score: score,
            explanation: reasons.joined(separator: ", "))
    }

    /// Pipeline that moves, tasks that get done.
    private func outcomes(_ s: ClientSnapshot, _ now: Date) -> HealthFactor {
        var score = 60
        var reasons: [String] = []
        let stuckDays = rules.suggestions.stuckDealDays
        let stuck = s.openDeals.filter { $0.daysInStage(at: now) > stuckDays }
        if !s.openDeals.isEmpty {
            score += 15
            reasons.append("\(s.openDeals.count) open deals")
        }
        if !stuck.isEmpty {
            score -= 20 * stuck.count
            reasons.append("\(stuck.count) stuck over \(stuckDays) days")
        }
        let overdue = s.pendingTasks.filter { $0.isOverdue(at: now) }
        if !overdue.isEmpty {
            score -= 15 * overdue.count
            reasons.append("\(overdue.count) overdue tasks")
        }
        switch s.client.lifecycle {
        case .atRisk:
            score -= 20
            reasons.append("marked at risk")
        case .churned:
            score = 0
            reasons.append("churned")
        default: break
        }
        if reasons.isEmpty { reasons.append("no open deals, no overdue tasks") }
        return HealthFactor(
            name: "business outcomes", weight: share(rules.health.businessOutcomesWeight), score: score,
            explanation: reasons.joined(separator: ", "))
    }
}
